//! The sections of the case page beyond registration, stages, consent, referrals and
//! services: needs and risk assessment, safe return, reintegration plan, child,
//! criminal proceedings and offenders, subject report and erasure. Rendered as one
//! HTML fragment (`case_details_partial.html`, which includes a `case_*_partial.html`
//! per section) that the case page embeds; every form posts to `/cases/{id}/…` and
//! works without JavaScript.

pub mod forms;

use askama::Template;
use zakrila_domain::{
    case::{
        AgeBand, AssessmentDomain, Country, Escort, FollowUpOutcome, GoalStatus, LegalStatus,
        Money, OffenderRole, ProceedingsStage, ProposalStatus, ProtectionMeasure, RiskLevel, Sex,
        Stage, Transport, TravelDocument, WitnessStatus, compensation_deadline, format_date,
        parse_date,
    },
    policy::Action,
    user::Locale,
};
use zakrila_store::{
    cases::{assessment_items, proceedings_of_row},
    entity::case,
};

use crate::{
    access::held_case_resource,
    api::cases::now,
    auth::Authed,
    error::{AppError, HttpError},
    i18n, label, options,
    state::AppState,
    views::layout::datetime,
};

type Options = Vec<(&'static str, &'static str)>;

/// The translator the partials use (`tr.t("key")`).
pub struct Tr(pub Locale);

impl Tr {
    pub fn t(&self, key: &str) -> String {
        i18n::t(self.0, key)
    }
}

pub struct AssessRow {
    pub on: String,
    pub risk: String,
    pub items: String,
}

pub struct ReturnView {
    pub from_country: String,
    pub from_city: String,
    pub travel_date: String,
    pub escort: String,
    pub documents: String,
    pub transport: String,
    pub version: i32,
}

pub struct GoalRow {
    pub id: String,
    pub area: String,
    pub goal: String,
    pub status: String,
    pub version: i32,
    pub next: Options,
}

pub struct FollowUpRow {
    pub id: String,
    pub due: String,
    pub held: String,
    pub outcome: String,
    pub note: String,
    pub overdue: bool,
    pub version: i32,
}

pub struct ChildView {
    pub guardian_recorded: bool,
    pub guardian: Option<String>,
    pub mechanism_engaged: bool,
    pub mechanism_date: String,
    pub version: i32,
    pub proposals: Vec<(String, String)>,
}

pub struct ProcRow {
    pub id: String,
    pub stage: String,
    pub stage_code: String,
    pub court: String,
    pub case_number: String,
    pub witness: String,
    pub witness_code: String,
    pub measures: String,
    /// Every protection measure with whether it applies, for the edit form.
    pub measure_opts: Vec<(&'static str, &'static str, bool)>,
    pub final_act: String,
    pub final_act_iso: String,
    pub compensation: String,
    pub compensation_input: String,
    pub filed_on_iso: String,
    pub deadline: String,
    pub open: bool,
    pub version: i32,
}

pub struct OffenderRow {
    pub id: String,
    pub text: String,
    pub status: String,
    pub status_code: String,
    pub version: i32,
}

#[derive(Template)]
#[template(path = "case_details_partial.html")]
pub struct CaseDetails {
    pub tr: Tr,
    pub case_id: String,
    pub case_version: i32,
    pub can_edit: bool,
    pub can_erase: bool,
    pub can_see_identity: bool,
    pub closed: bool,
    pub erased: Option<String>,
    pub today: String,
    pub risk: String,
    pub domains: Options,
    pub assessments: Vec<AssessRow>,
    pub ret: Option<ReturnView>,
    pub countries: Options,
    pub escorts: Options,
    pub documents: Options,
    pub transports: Options,
    pub goals: Vec<GoalRow>,
    pub follow_ups: Vec<FollowUpRow>,
    pub outcomes: Options,
    pub child: Option<ChildView>,
    pub proposal_statuses: Options,
    pub proceedings: Vec<ProcRow>,
    pub any_open: bool,
    pub proc_stages: Options,
    pub witness_statuses: Options,
    pub measures: Options,
    pub offenders: Vec<OffenderRow>,
    pub sexes: Options,
    pub age_bands: Options,
    pub roles: Options,
    pub legal_statuses: Options,
}

fn day(s: &Option<String>) -> String {
    s.as_deref()
        .and_then(|d| parse_date(d, "date").ok())
        .map(format_date)
        .unwrap_or_default()
}

pub fn bgn(m: Money) -> String {
    format!("{m} ({})", m.to_eur())
}

/// The sections for case `c`; `identity_shown` when the page already made an audited
/// identity read, so the guardian may be shown with it.
pub async fn sections(
    state: &AppState,
    a: &Authed,
    lang: Locale,
    c: &case::Model,
    identity_shown: bool,
) -> Result<String, HttpError> {
    let res = held_case_resource(a, c);
    let p = state.store.person_of(c).await?;
    let today = now().date();
    let iso_today = today.to_string();
    let en = lang == Locale::En;
    let country = |code: &str| {
        Country::parse(code)
            .map(|c| if en { c.name_en() } else { c.name_bg() })
            .unwrap_or("")
            .to_owned()
    };
    let assessments = state
        .store
        .assessments_of_case(&c.id)
        .await?
        .into_iter()
        .map(|m| AssessRow {
            items: assessment_items(&m)
                .iter()
                .map(|i| {
                    format!(
                        "{} {}",
                        if en {
                            i.domain.label_en()
                        } else {
                            i.domain.label_bg()
                        },
                        i.score.value()
                    )
                })
                .collect::<Vec<_>>()
                .join(" · "),
            risk: label!(RiskLevel, &m.risk_level, lang),
            on: day(&Some(m.assessed_on)),
        })
        .collect();
    let ret = state
        .store
        .return_of_case(&c.id)
        .await?
        .map(|r| ReturnView {
            from_country: country(&r.from_country),
            from_city: r.from_city.unwrap_or_default(),
            travel_date: day(&r.travel_date),
            escort: r
                .escort
                .as_deref()
                .map(|v| label!(Escort, v, lang))
                .unwrap_or_default(),
            documents: r
                .documents
                .as_deref()
                .map(|v| label!(TravelDocument, v, lang))
                .unwrap_or_default(),
            transport: r
                .transport
                .as_deref()
                .map(|v| label!(Transport, v, lang))
                .unwrap_or_default(),
            version: r.version,
        });
    let goals = state
        .store
        .goals_of_case(&c.id)
        .await?
        .into_iter()
        .map(|g| GoalRow {
            area: g
                .area
                .as_deref()
                .map(|v| label!(AssessmentDomain, v, lang))
                .unwrap_or_default(),
            goal: g.goal.unwrap_or_default(),
            next: options!(GoalStatus, lang)
                .into_iter()
                .filter(|(code, _)| *code != g.status)
                .collect(),
            status: label!(GoalStatus, &g.status, lang),
            version: g.version,
            id: g.id,
        })
        .collect();
    let follow_ups = state
        .store
        .follow_ups_of_case(&c.id)
        .await?
        .into_iter()
        .map(|f| FollowUpRow {
            overdue: f.held_on.is_none() && f.due_on < iso_today,
            due: day(&Some(f.due_on)),
            held: day(&f.held_on),
            outcome: f
                .outcome
                .as_deref()
                .map(|v| label!(FollowUpOutcome, v, lang))
                .unwrap_or_default(),
            note: f.note.unwrap_or_default(),
            version: f.version,
            id: f.id,
        })
        .collect();
    let child = if p.is_child {
        let m = state.store.child_of_case(&c.id).await?;
        let guardian = match (&m, identity_shown) {
            (Some(m), true) => {
                state
                    .store
                    .read_guardian(a.user_uuid(), m, "case page")
                    .await?
            }
            _ => None,
        };
        let proposals = state
            .store
            .child_proposals(&c.id)
            .await?
            .into_iter()
            .map(|x| {
                (
                    day(&Some(x.proposed_on)),
                    label!(ProposalStatus, &x.status, lang),
                )
            })
            .collect();
        Some(ChildView {
            guardian_recorded: m.as_ref().is_some_and(|m| m.guardian.is_some()),
            guardian,
            mechanism_engaged: m.as_ref().is_some_and(|m| m.mechanism_engaged) || c.child_mechanism,
            mechanism_date: m
                .as_ref()
                .and_then(|m| m.mechanism_date.clone())
                .unwrap_or_default(),
            version: m.map_or(0, |m| m.version),
            proposals,
        })
    } else {
        None
    };
    let proceedings: Vec<ProcRow> = state
        .store
        .proceedings_of_case(&c.id)
        .await?
        .into_iter()
        .map(|m| {
            let d = proceedings_of_row(&m);
            ProcRow {
                stage: label!(ProceedingsStage, &m.stage, lang),
                stage_code: m.stage.clone(),
                court: m.court.clone().unwrap_or_default(),
                case_number: m.case_number.clone().unwrap_or_default(),
                witness: label!(WitnessStatus, &m.witness_status, lang),
                witness_code: m.witness_status.clone(),
                measures: d
                    .protection_measures
                    .iter()
                    .map(|x| if en { x.label_en() } else { x.label_bg() })
                    .collect::<Vec<_>>()
                    .join(", "),
                measure_opts: ProtectionMeasure::ALL
                    .iter()
                    .map(|x| {
                        (
                            x.as_str(),
                            if en { x.label_en() } else { x.label_bg() },
                            d.protection_measures.contains(x),
                        )
                    })
                    .collect(),
                final_act: day(&m.final_act_date),
                final_act_iso: m.final_act_date.clone().unwrap_or_default(),
                compensation: d
                    .compensation
                    .map(|x| format!("{} · {}", bgn(x.amount()), format_date(x.filed_on())))
                    .unwrap_or_default(),
                compensation_input: m
                    .compensation_stotinki
                    .map(|s| format!("{},{:02}", s / 100, s % 100))
                    .unwrap_or_default(),
                filed_on_iso: m.compensation_filed_on.clone().unwrap_or_default(),
                deadline: d
                    .final_act_date
                    .map(|x| format_date(compensation_deadline(x)))
                    .unwrap_or_default(),
                open: d.is_open(),
                version: m.version,
                id: m.id,
            }
        })
        .collect();
    let offenders = state
        .store
        .offenders_of_case(&c.id)
        .await?
        .into_iter()
        .map(|o| OffenderRow {
            text: [
                label!(OffenderRole, &o.role, lang),
                label!(Sex, &o.sex, lang),
                o.age_band.clone().unwrap_or_default(),
                o.citizenship.as_deref().map(country).unwrap_or_default(),
            ]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
            status: label!(LegalStatus, &o.legal_status, lang),
            status_code: o.legal_status,
            version: o.version,
            id: o.id,
        })
        .collect();
    let erased = state
        .store
        .erasure_of_case(&c.id)
        .await?
        .map(|e| datetime(e.erased_at));
    let details = CaseDetails {
        tr: Tr(lang),
        case_id: c.id.clone(),
        case_version: c.version,
        can_edit: a.can(Action::EditCase, &res),
        can_erase: a.can(Action::EraseCase, &res),
        can_see_identity: a.can(Action::ViewIdentity, &res),
        closed: Stage::parse(&c.stage) == Ok(Stage::Closed),
        erased,
        today: iso_today,
        risk: c
            .risk_level
            .as_deref()
            .map(|r| label!(RiskLevel, r, lang))
            .unwrap_or_default(),
        domains: options!(AssessmentDomain, lang),
        assessments,
        ret,
        countries: crate::views::cases::countries(lang),
        escorts: options!(Escort, lang),
        documents: options!(TravelDocument, lang),
        transports: options!(Transport, lang),
        goals,
        follow_ups,
        outcomes: options!(FollowUpOutcome, lang),
        child,
        proposal_statuses: options!(ProposalStatus, lang),
        any_open: proceedings.iter().any(|p| p.open),
        proceedings,
        proc_stages: options!(ProceedingsStage, lang),
        witness_statuses: options!(WitnessStatus, lang),
        measures: options!(ProtectionMeasure, lang),
        offenders,
        sexes: options!(Sex, lang),
        age_bands: options!(AgeBand, lang),
        roles: options!(OffenderRole, lang),
        legal_statuses: options!(LegalStatus, lang),
    };
    details.render().map_err(|e| {
        tracing::error!(error = %e, "template rendering failed");
        AppError::Internal.into()
    })
}
