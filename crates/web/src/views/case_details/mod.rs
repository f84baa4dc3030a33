//! The sections of the case page beyond registration, stages, consent, referrals and
//! services: needs and risk assessment, safe return, reintegration plan, child,
//! criminal proceedings and offenders, subject report and erasure. Rendered as one
//! HTML fragment (`case_details.html`, which includes a `case_details_*.html` per
//! section) that the case page embeds; every form posts to `/cases/{id}/…` and
//! works without JavaScript. The data and what the caller may do come from one
//! operation, `App::details_section`; this module only labels and lays it out.

pub mod forms;

use askama::Template;
use zakrila_app::case_details::{CaseId, DetailsSection};
use zakrila_domain::{
    case::{
        AgeBand, AssessmentDomain, CompensationOutcome, Country, Escort, FollowUpOutcome,
        GoalStatus, LegalStatus, OffenderRole, ProceedingsStage, ProposalStatus, ProtectionMeasure,
        RiskLevel, Sex, Transport, TravelDocument, WitnessStatus,
    },
    user::Locale,
};

use crate::{
    auth::Authed,
    error::{AppError, HttpError},
    i18n, label, options,
    state::AppState,
    views::layout::datetime,
};

type Options = Vec<(&'static str, &'static str)>;

/// The translator the section templates use (`tr.t("key")`).
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
    /// The place, or that one is recorded, or empty.
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
    pub proposals: Vec<ProposalRow>,
}

pub struct ProposalRow {
    pub id: String,
    pub proposed_on: String,
    pub status: String,
    pub status_code: String,
    pub decided_on: String,
    /// `YYYY-MM-DD` for the date input.
    pub decided_iso: String,
    pub version: i32,
}

pub struct ProcRow {
    pub id: String,
    pub stage: String,
    pub stage_code: String,
    pub court: String,
    /// The number, or that one is recorded, or empty.
    pub case_number: String,
    /// The number was opened (an identity read): the edit form shows it, and an
    /// emptied field then clears it rather than keeping it.
    pub case_number_shown: bool,
    pub case_number_input: String,
    pub witness: String,
    pub witness_code: String,
    pub measures: String,
    /// Every protection measure with whether it applies, for the edit form.
    pub measure_opts: Vec<(&'static str, &'static str, bool)>,
    pub final_act: String,
    pub final_act_iso: String,
    pub compensation: String,
    /// `compensation_eur`, or `compensation_bgn` for a claim entered in lev.
    pub compensation_field: &'static str,
    pub compensation_input: String,
    /// The hearings, each "day time · note".
    pub hearings: Vec<String>,
    pub filed_on_iso: String,
    /// The decision on the claim with its day, the amounts in euro with the lev beside.
    pub decision: String,
    pub awarded: String,
    pub paid: String,
    pub decision_code: String,
    pub decided_iso: String,
    pub awarded_input: String,
    pub paid_input: String,
    pub paid_on_iso: String,
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
#[template(path = "case_details.html", whitespace = "minimize")]
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
    pub escorts: Options,
    pub documents: Options,
    pub transports: Options,
    pub goals: Vec<GoalRow>,
    pub follow_ups: Vec<FollowUpRow>,
    pub outcomes: Options,
    pub child: Option<ChildView>,
    pub proposal_statuses: Options,
    pub compensation_outcomes: Options,
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

fn day(s: Option<&str>) -> String {
    s.map(crate::views::layout::date).unwrap_or_default()
}

/// The sections for case `c` (its id, or the case the page holds);
/// `identity_shown` when the page already made an audited identity read, so the
/// guardian may be shown with it. A page that loads its own aggregate includes
/// `App::details_of` in it and calls `render_sections` instead.
pub async fn sections(
    state: &AppState,
    a: &Authed,
    lang: Locale,
    c: &(impl CaseId + ?Sized),
    identity_shown: bool,
) -> Result<String, HttpError> {
    let d = state
        .app
        .details_section(a, c.case_id(), identity_shown)
        .await?;
    render_sections(lang, &d)
}

/// Lays out the sections the application layer loaded.
pub fn render_sections(lang: Locale, d: &DetailsSection) -> Result<String, HttpError> {
    let iso_today = time::OffsetDateTime::now_utc().date().to_string();
    let country = |code: &str| {
        Country::parse(code)
            .map(|c| lang.pick(c.name_bg(), c.name_en()))
            .unwrap_or("")
            .to_owned()
    };
    // Free text kept in the vault: shown after an identity read, else only that
    // something is recorded.
    let hidden = crate::i18n::t(lang, "details-text-hidden");
    let sealed = |v: &Option<String>, recorded: bool| match v {
        Some(v) => v.clone(),
        None if recorded => hidden.clone(),
        None => String::new(),
    };
    let opt_label =
        |v: &Option<String>, f: &dyn Fn(&str) -> String| v.as_deref().map(f).unwrap_or_default();
    let assessments = d
        .assessments
        .iter()
        .map(|m| AssessRow {
            items: m
                .items
                .iter()
                .map(|i| format!("{} {}", label!(AssessmentDomain, &i.domain, lang), i.score))
                .collect::<Vec<_>>()
                .join(" · "),
            risk: label!(RiskLevel, &m.risk_level, lang),
            on: day(Some(&m.on)),
        })
        .collect();
    let ret = d.return_trip.as_ref().map(|r| ReturnView {
        from_country: country(&r.from_country),
        from_city: sealed(&r.from_city, r.from_city_recorded),
        travel_date: day(r.travel_date.as_deref()),
        escort: opt_label(&r.escort, &|v| label!(Escort, v, lang)),
        documents: opt_label(&r.documents, &|v| label!(TravelDocument, v, lang)),
        transport: opt_label(&r.transport, &|v| label!(Transport, v, lang)),
        version: r.version,
    });
    let goals = d
        .goals
        .iter()
        .map(|g| GoalRow {
            area: opt_label(&g.area, &|v| label!(AssessmentDomain, v, lang)),
            goal: sealed(&g.goal, true),
            next: options!(GoalStatus, lang)
                .into_iter()
                .filter(|(code, _)| *code != g.status)
                .collect(),
            status: label!(GoalStatus, &g.status, lang),
            version: g.version,
            id: g.id.clone(),
        })
        .collect();
    let follow_ups = d
        .follow_ups
        .iter()
        .map(|f| FollowUpRow {
            overdue: f.held_on.is_none() && f.due_on < iso_today,
            due: day(Some(&f.due_on)),
            held: day(f.held_on.as_deref()),
            outcome: opt_label(&f.outcome, &|v| label!(FollowUpOutcome, v, lang)),
            note: sealed(&f.note, f.note_recorded),
            version: f.version,
            id: f.id.clone(),
        })
        .collect();
    let child = d.child.as_ref().map(|ch| ChildView {
        guardian_recorded: ch.guardian_recorded,
        guardian: ch.guardian.clone(),
        mechanism_engaged: ch.mechanism_engaged,
        mechanism_date: ch.mechanism_date.clone().unwrap_or_default(),
        version: ch.version,
        proposals: ch
            .proposals
            .iter()
            .map(|x| ProposalRow {
                id: x.id.clone(),
                proposed_on: day(Some(&x.proposed_on)),
                status: label!(ProposalStatus, &x.status, lang),
                status_code: x.status.clone(),
                decided_on: day(x.decided_on.as_deref()),
                decided_iso: x.decided_on.clone().unwrap_or_default(),
                version: x.version,
            })
            .collect(),
    });
    let proceedings: Vec<ProcRow> = d
        .proceedings
        .iter()
        .map(|m| (m, bgn_claim_of(m)))
        .map(|(m, bgn_claim)| ProcRow {
            stage: label!(ProceedingsStage, &m.stage, lang),
            stage_code: m.stage.clone(),
            court: m.court.clone().unwrap_or_default(),
            case_number: sealed(&m.case_number, m.case_number_recorded),
            case_number_shown: m.case_number.is_some(),
            case_number_input: m.case_number.clone().unwrap_or_default(),
            witness: label!(WitnessStatus, &m.witness_status, lang),
            witness_code: m.witness_status.clone(),
            measures: m
                .protection_measures
                .iter()
                .map(|x| label!(ProtectionMeasure, x, lang))
                .collect::<Vec<_>>()
                .join(", "),
            measure_opts: ProtectionMeasure::ALL
                .iter()
                .map(|x| {
                    (
                        x.as_str(),
                        lang.pick(x.label_bg(), x.label_en()),
                        m.protection_measures.iter().any(|c| c == x.as_str()),
                    )
                })
                .collect(),
            final_act: day(m.final_act_date.as_deref()),
            final_act_iso: m.final_act_date.clone().unwrap_or_default(),
            // A claim is an amount with the day it was filed.
            // A claim is an amount with the day it was filed; euro first, the lev
            // beside, each exact in the currency it was entered in.
            compensation: match (bgn_claim, m.compensation_cents, &m.compensation_filed_on) {
                (Some(s), _, Some(on)) => {
                    format!("{} · {}", crate::format::money_bgn(s, lang), day(Some(on)))
                }
                (None, Some(c), Some(on)) => {
                    format!("{} · {}", crate::format::money_eur(c, lang), day(Some(on)))
                }
                _ => String::new(),
            },
            compensation_field: if bgn_claim.is_some() {
                "compensation_bgn"
            } else {
                "compensation_eur"
            },
            compensation_input: bgn_claim
                .or(m.compensation_cents)
                .map(|s| format!("{},{:02}", s / 100, s % 100))
                .unwrap_or_default(),
            hearings: m
                .hearings
                .iter()
                .map(|h| {
                    let when = match &h.at {
                        Some(at) => format!("{} {at}", day(Some(&h.on))),
                        None => day(Some(&h.on)),
                    };
                    match &h.note {
                        Some(n) => format!("{when} · {n}"),
                        None => when,
                    }
                })
                .collect(),
            filed_on_iso: m.compensation_filed_on.clone().unwrap_or_default(),
            decision: match (&m.compensation_decision, &m.compensation_decided_on) {
                (Some(d), on) => format!(
                    "{} · {}",
                    label!(CompensationOutcome, d, lang),
                    day(on.as_deref())
                ),
                _ => String::new(),
            },
            awarded: m
                .compensation_awarded_cents
                .map(|c| crate::format::money_eur(c, lang))
                .unwrap_or_default(),
            paid: m
                .compensation_paid_cents
                .map(|c| {
                    format!(
                        "{} · {}",
                        crate::format::money_eur(c, lang),
                        day(m.compensation_paid_on.as_deref())
                    )
                })
                .unwrap_or_default(),
            decision_code: m.compensation_decision.clone().unwrap_or_default(),
            decided_iso: m.compensation_decided_on.clone().unwrap_or_default(),
            awarded_input: m
                .compensation_awarded_cents
                .map(|s| format!("{},{:02}", s / 100, s % 100))
                .unwrap_or_default(),
            paid_input: m
                .compensation_paid_cents
                .map(|s| format!("{},{:02}", s / 100, s % 100))
                .unwrap_or_default(),
            paid_on_iso: m.compensation_paid_on.clone().unwrap_or_default(),
            deadline: day(m.compensation_deadline.as_deref()),
            open: m.open,
            version: m.version,
            id: m.id.clone(),
        })
        .collect();
    let offenders = d
        .offenders
        .iter()
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
            status_code: o.legal_status.clone(),
            version: o.version,
            id: o.id.clone(),
        })
        .collect();
    let details = CaseDetails {
        tr: Tr(lang),
        case_id: d.case_id.clone(),
        case_version: d.case_version,
        can_edit: d.can_edit,
        can_erase: d.can_erase,
        can_see_identity: d.can_see_identity,
        closed: d.closed,
        erased: d.erased_at.map(datetime),
        today: iso_today,
        risk: opt_label(&d.risk_level, &|r| label!(RiskLevel, r, lang)),
        domains: options!(AssessmentDomain, lang),
        assessments,
        ret,
        escorts: options!(Escort, lang),
        documents: options!(TravelDocument, lang),
        transports: options!(Transport, lang),
        goals,
        follow_ups,
        outcomes: options!(FollowUpOutcome, lang),
        child,
        proposal_statuses: options!(ProposalStatus, lang),
        compensation_outcomes: options!(CompensationOutcome, lang),
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

/// A claim entered in lev, in stotinki (shown and edited in lev, as entered).
fn bgn_claim_of(m: &zakrila_app::proceedings::ProceedingsOut) -> Option<i64> {
    (m.compensation_currency.as_deref() == Some("BGN"))
        .then_some(m.compensation_stotinki)
        .flatten()
}
