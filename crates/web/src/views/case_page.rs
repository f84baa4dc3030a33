//! One case: profile, stage and its moves, identity (shown on request, audited),
//! consent, referrals, services and the timeline. Every form posts back here and
//! works without JavaScript.

use std::collections::HashMap;

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use zakrila_domain::{
    case::{
        ClosureReason, ConsentKind, ConsentState, DeclineReason, ExploitationForm,
        IdentificationKind, ReferralAction, ServiceStatus, Sex, Stage,
    },
    policy::Action,
    user::Locale,
};
use zakrila_store::{audit, cases::IdentityPlain, entity::case};

use crate::{
    access::{case_for, held_case_resource},
    api::{
        cases::{StageBody, now, parse_move},
        referrals::{
            NewReferralBody, NewServiceBody, act, plan_service, refer, set_service_status,
        },
    },
    auth::{Authed, PageUser},
    error::{AppError, HttpError},
    label,
    lang::Lang,
    options,
    state::AppState,
    views::{
        layout::{Base, date_bg, datetime},
        render, unprocessable,
    },
};

pub struct Line {
    pub when: String,
    pub what: String,
}

pub struct RefRow {
    pub id: String,
    pub to: String,
    pub purpose: String,
    pub status: String,
    pub can_revoke: bool,
}

pub struct SvcRow {
    pub id: String,
    pub name: String,
    pub status: String,
    pub due: String,
    pub cost: String,
    pub next: Vec<(&'static str, &'static str)>,
}

#[derive(Template)]
#[template(path = "case.html")]
pub struct CasePage {
    pub base: Base,
    pub c: case::Model,
    pub stage: String,
    pub profile: Vec<(String, String)>,
    pub forms: String,
    pub identification: String,
    pub duplicates: Vec<String>,
    /// Other organisations assisting the same person (confirmed linkage, with consent).
    pub involved_orgs: Vec<String>,
    pub identity: Option<IdentityPlain>,
    pub can_move: bool,
    pub can_refer: bool,
    pub next_stages: Vec<(&'static str, &'static str)>,
    pub closure_reasons: Vec<(&'static str, &'static str)>,
    pub ident_kinds: Vec<(&'static str, &'static str)>,
    pub consent_kinds: Vec<(&'static str, &'static str)>,
    pub consent_states: Vec<(&'static str, &'static str)>,
    pub consents: Vec<Line>,
    pub referrals: Vec<RefRow>,
    pub services: Vec<SvcRow>,
    pub catalogue: Vec<(String, String)>,
    pub orgs: Vec<(String, String)>,
    pub timeline: Vec<Line>,
    pub errors: Vec<String>,
    pub own_slug: String,
    /// Assessment, return, reintegration, child, proceedings and rights sections.
    pub details: String,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    duplicates: String,
}

fn bgn(stotinki: i64) -> String {
    let m = zakrila_domain::case::Money::from_stotinki(stotinki);
    format!("{m} ({})", m.to_eur())
}

async fn page(
    state: &AppState,
    a: &Authed,
    lang: Locale,
    c: case::Model,
    identity: Option<IdentityPlain>,
    duplicates: Vec<String>,
    errors: Vec<String>,
) -> Result<Response, HttpError> {
    let t = |k: &str| crate::i18n::t(lang, k);
    let res = held_case_resource(a, &c);
    let p = state.store.person_of(&c).await?;
    let orgs_all = state.store.list_orgs().await?;
    let org_name = |id: &str| {
        orgs_all
            .iter()
            .find(|o| o.id == id)
            .map(|o| o.abbrev_bg.clone())
            .unwrap_or_default()
    };
    let catalogue_all = state.store.list_services().await?;
    let svc_name = |code: &str| {
        catalogue_all
            .iter()
            .find(|s| s.code == code)
            .map(|s| {
                if lang == Locale::En {
                    s.name_en.clone()
                } else {
                    s.name_bg.clone()
                }
            })
            .unwrap_or_else(|| code.to_owned())
    };
    let stage = Stage::parse(&c.stage).unwrap_or(Stage::Signal);
    let profile = vec![
        (t("case-sex"), label!(Sex, &p.sex, lang)),
        (t("case-age-band"), p.age_band.clone().unwrap_or_default()),
        (
            t("case-citizenship"),
            p.citizenship.clone().unwrap_or_default(),
        ),
        (t("case-child"), if p.is_child { t("yes") } else { t("no") }),
        (
            t("case-unaccompanied"),
            if p.unaccompanied { t("yes") } else { t("no") },
        ),
        (
            t("case-disability"),
            if p.disability { t("yes") } else { t("no") },
        ),
    ];
    let identification = match (&c.identification_kind, &c.identified_by, &c.identified_on) {
        (Some(k), Some(by), Some(on)) => format!(
            "{} · {by} · {}",
            label!(IdentificationKind, k, lang),
            date_bg(on)
        ),
        _ => t("case-not-identified"),
    };
    let consents = state
        .store
        .consents(&c.id)
        .await?
        .into_iter()
        .map(|r| Line {
            when: datetime((r.at.unix_timestamp_nanos() / 1_000_000) as i64),
            what: format!(
                "{}: {}",
                label!(ConsentKind, r.kind.as_str(), lang),
                label!(ConsentState, r.state.as_str(), lang)
            ),
        })
        .collect();
    let referrals = state
        .store
        .referrals_of_case(&c.id)
        .await?
        .into_iter()
        .map(|r| RefRow {
            can_revoke: r.from_org == a.org.id
                && matches!(r.status.as_str(), "pending" | "accepted"),
            to: org_name(&r.to_org),
            status: label!(zakrila_domain::case::ReferralStatus, &r.status, lang),
            purpose: r.purpose,
            id: r.id,
        })
        .collect();
    let services = state
        .store
        .services_of_case(&c.id)
        .await?
        .into_iter()
        .map(|s| {
            let status = ServiceStatus::parse(&s.status).unwrap_or(ServiceStatus::Planned);
            SvcRow {
                name: format!(
                    "{} — {}",
                    svc_name(&s.service_code),
                    org_name(&s.provider_org)
                ),
                status: label!(ServiceStatus, &s.status, lang),
                due: s.due_date.as_deref().map(date_bg).unwrap_or_default(),
                cost: s.cost_stotinki.map(bgn).unwrap_or_default(),
                next: ServiceStatus::ALL
                    .iter()
                    .filter(|n| status.move_to(**n).is_ok())
                    .map(|n| {
                        (
                            n.as_str(),
                            if lang == Locale::En {
                                n.label_en()
                            } else {
                                n.label_bg()
                            },
                        )
                    })
                    .collect(),
                id: s.id,
            }
        })
        .collect();
    let mut timeline: Vec<Line> = audit::list(
        &state.store.db,
        &audit::AuditQuery {
            entity: Some("case".into()),
            entity_id: Some(c.id.clone()),
            ..Default::default()
        },
        200,
    )
    .await?
    .into_iter()
    .map(|e| Line {
        when: datetime(e.at),
        what: t(&format!("timeline-{}", e.action.replace('.', "-"))),
    })
    .collect();
    timeline.reverse();
    let details =
        crate::views::case_details::sections(state, a, lang, &c, identity.is_some()).await?;
    render(&CasePage {
        details,
        base: Base::for_user(a, lang, "case-title"),
        involved_orgs: crate::views::linkage::involved_organisations(state, &c, lang).await?,
        stage: label!(Stage, &c.stage, lang),
        forms: zakrila_store::comma_items(&c.forms)
            .map(|f| label!(ExploitationForm, f, lang))
            .collect::<Vec<_>>()
            .join(", "),
        can_move: a.can(Action::MoveCaseStage, &res),
        can_refer: a.can(Action::ReferCase, &res),
        next_stages: stage
            .next()
            .iter()
            .map(|s| {
                (
                    s.as_str(),
                    if lang == Locale::En {
                        s.label_en()
                    } else {
                        s.label_bg()
                    },
                )
            })
            .collect(),
        closure_reasons: options!(ClosureReason, lang),
        ident_kinds: options!(IdentificationKind, lang),
        consent_kinds: options!(ConsentKind, lang),
        consent_states: options!(ConsentState, lang),
        catalogue: catalogue_all
            .iter()
            .map(|s| {
                (
                    s.code.clone(),
                    if lang == Locale::En {
                        s.name_en.clone()
                    } else {
                        s.name_bg.clone()
                    },
                )
            })
            .collect(),
        orgs: orgs_all
            .iter()
            .filter(|o| o.id != a.org.id)
            .map(|o| {
                (
                    o.slug.clone(),
                    format!(
                        "{} — {}",
                        o.abbrev_bg,
                        if lang == Locale::En {
                            &o.name_en
                        } else {
                            &o.name_bg
                        }
                    ),
                )
            })
            .collect(),
        profile,
        identification,
        duplicates,
        identity,
        consents,
        referrals,
        services,
        timeline,
        errors,
        own_slug: a.org.slug.clone(),
        c,
    })
}

/// Renders the page again with the error messages when an action was refused.
pub(crate) async fn or_errors(
    state: &AppState,
    a: &Authed,
    lang: Locale,
    id: &str,
    result: Result<(), HttpError>,
) -> Result<Response, HttpError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/cases/{id}")).into_response()),
        Err(HttpError(AppError::Invalid(fs))) => {
            let c = case_for(state, a, id, Action::ViewCase).await?;
            let msgs = fs.iter().map(|f| crate::i18n::t(lang, f.key)).collect();
            page(state, a, lang, c, None, vec![], msgs)
                .await
                .map(unprocessable)
        }
        Err(HttpError(AppError::Conflict(k))) => {
            let c = case_for(state, a, id, Action::ViewCase).await?;
            let msg = crate::i18n::t(
                lang,
                if k == "stale" {
                    "problem-conflict-stale"
                } else {
                    "problem-conflict"
                },
            );
            page(state, a, lang, c, None, vec![], vec![msg])
                .await
                .map(|mut r| {
                    *r.status_mut() = axum::http::StatusCode::CONFLICT;
                    r
                })
        }
        Err(e) => Err(e),
    }
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, HttpError> {
    let c = case_for(&state, &a, &id, Action::ViewCase).await?;
    let duplicates = q
        .duplicates
        .split(',')
        .filter(|s| zakrila_domain::case::CaseCode::parse(s).is_ok())
        .map(str::to_owned)
        .collect();
    page(&state, &a, lang, c, None, duplicates, vec![]).await
}

/// The same page with the identity shown; the read is audited.
pub async fn show_identity(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    let c = case_for(&state, &a, &id, Action::ViewIdentity).await?;
    let identity = state
        .store
        .read_identity(a.user_uuid(), &c, "case page")
        .await?;
    page(&state, &a, lang, c, Some(identity), vec![], vec![]).await
}

fn one(v: &HashMap<String, Vec<String>>, k: &str) -> Option<String> {
    v.get(k)
        .and_then(|x| x.first())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

fn fields(f: Vec<(String, String)>) -> HashMap<String, Vec<String>> {
    let mut v: HashMap<String, Vec<String>> = HashMap::new();
    for (k, val) in f {
        v.entry(k).or_default().push(val);
    }
    v
}

pub async fn move_stage(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let c = case_for(&state, &a, &id, Action::MoveCaseStage).await?;
    let v = fields(f);
    let identification = match (
        one(&v, "ident_kind"),
        one(&v, "ident_by"),
        one(&v, "ident_date"),
    ) {
        (Some(kind), Some(by), Some(date)) => {
            Some(serde_json::json!({"kind": kind, "by": by, "date": date}))
        }
        _ => None,
    };
    let body = StageBody {
        to: one(&v, "to").unwrap_or_default(),
        version: one(&v, "version")
            .and_then(|s| s.parse().ok())
            .unwrap_or(-1),
        closure_reason: one(&v, "closure_reason"),
        identification,
        child_mechanism_engaged: one(&v, "child_mechanism").is_some(),
    };
    let result = async {
        let mv = parse_move(&body)?;
        state
            .store
            .move_stage(a.user_uuid(), &c.id, body.version, mv, now())
            .await?;
        Ok(())
    }
    .await;
    or_errors(&state, &a, lang, &id, result).await
}

#[derive(Deserialize)]
pub struct ConsentForm {
    kind: String,
    state: String,
}

pub async fn consent(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    Form(f): Form<ConsentForm>,
) -> Result<Response, HttpError> {
    let c = case_for(&state, &a, &id, Action::EditCase).await?;
    let result = async {
        let kind = ConsentKind::parse(&f.kind)?;
        let st = ConsentState::parse(&f.state)?;
        state
            .store
            .record_consent(a.user_uuid(), &c.id, kind, st, now())
            .await?;
        Ok(())
    }
    .await;
    or_errors(&state, &a, lang, &id, result).await
}

#[derive(Deserialize)]
pub struct ReferForm {
    to_org: String,
    purpose: String,
    #[serde(default)]
    service: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    override_reason: String,
}

pub async fn referral(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    Form(f): Form<ReferForm>,
) -> Result<Response, HttpError> {
    let c = case_for(&state, &a, &id, Action::ReferCase).await?;
    let body = NewReferralBody {
        to_org: f.to_org,
        purpose: f.purpose,
        service: Some(f.service).filter(|s| !s.is_empty()),
        note: f.note,
        consent_override_reason: Some(f.override_reason).filter(|s| !s.trim().is_empty()),
    };
    let result = refer(&state, &a, &c.id, body).await.map(|_| ());
    or_errors(&state, &a, lang, &id, result).await
}

pub async fn revoke_referral(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Path((id, rid)): Path<(String, String)>,
) -> Result<Response, HttpError> {
    act(&state, &a, &rid, ReferralAction::Revoke).await?;
    Ok(Redirect::to(&format!("/cases/{id}")).into_response())
}

#[derive(Deserialize)]
pub struct ServiceForm {
    service: String,
    #[serde(default)]
    provider: String,
    #[serde(default)]
    due_date: String,
    #[serde(default)]
    cost_bgn: String,
}

pub async fn add_service(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    Form(f): Form<ServiceForm>,
) -> Result<Response, HttpError> {
    let c = case_for(&state, &a, &id, Action::EditCase).await?;
    let body = NewServiceBody {
        service: f.service,
        provider: Some(f.provider),
        due_date: Some(f.due_date),
        cost_bgn: Some(f.cost_bgn),
        project: None,
    };
    let result = plan_service(&state, &a, &c.id, body).await.map(|_| ());
    or_errors(&state, &a, lang, &id, result).await
}

#[derive(Deserialize)]
pub struct StatusForm {
    status: String,
}

pub async fn service_status(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path((id, sid)): Path<(String, String)>,
    Form(f): Form<StatusForm>,
) -> Result<Response, HttpError> {
    let result = set_service_status(&state, &a, &sid, &f.status)
        .await
        .map(|_| ());
    or_errors(&state, &a, lang, &id, result).await
}

#[derive(Deserialize)]
pub struct DeclineForm {
    reason: String,
}

/// The referral inbox: incoming referrals, oldest pending first, with their age.
pub mod inbox {
    use super::*;

    pub struct InboxRow {
        pub id: String,
        pub case_id: String,
        pub code: String,
        pub from: String,
        pub purpose: String,
        pub status: String,
        pub pending: bool,
        pub accepted: bool,
        pub age_days: i64,
    }

    #[derive(Template)]
    #[template(path = "referrals.html")]
    pub struct InboxPage {
        pub base: Base,
        pub rows: Vec<InboxRow>,
        pub reasons: Vec<(&'static str, &'static str)>,
    }

    pub async fn page(
        State(state): State<AppState>,
        PageUser(a): PageUser,
        Lang(lang): Lang,
    ) -> Result<Response, HttpError> {
        a.require(
            Action::ViewCase,
            &zakrila_domain::policy::Resource::Org(a.actor.org_id),
        )?;
        let orgs = state.store.list_orgs().await?;
        let now_ms = zakrila_store::now_ms();
        let mut rows = vec![];
        let referrals = state.store.referrals_to(&a.org.id, None).await?;
        let ids: Vec<String> = referrals.iter().map(|r| r.case_id.clone()).collect();
        let codes = state.store.case_codes(&ids).await?;
        for r in referrals {
            let code = codes.get(&r.case_id).cloned().unwrap_or_default();
            rows.push(InboxRow {
                code,
                from: orgs
                    .iter()
                    .find(|o| o.id == r.from_org)
                    .map(|o| o.abbrev_bg.clone())
                    .unwrap_or_default(),
                status: label!(zakrila_domain::case::ReferralStatus, &r.status, lang),
                pending: r.status == "pending",
                accepted: r.status == "accepted",
                age_days: (now_ms - r.created_at) / 86_400_000,
                case_id: r.case_id,
                purpose: r.purpose,
                id: r.id,
            });
        }
        rows.sort_by_key(|r| (!r.pending, -r.age_days));
        render(&InboxPage {
            base: Base::for_user(&a, lang, "referrals-title"),
            rows,
            reasons: options!(DeclineReason, lang),
        })
    }

    pub async fn accept(
        State(state): State<AppState>,
        PageUser(a): PageUser,
        Path(rid): Path<String>,
    ) -> Result<Response, HttpError> {
        let r = act(&state, &a, &rid, ReferralAction::Accept).await?;
        Ok(Redirect::to(&format!("/cases/{}", r.case_id)).into_response())
    }

    pub async fn decline(
        State(state): State<AppState>,
        PageUser(a): PageUser,
        Path(rid): Path<String>,
        Form(f): Form<DeclineForm>,
    ) -> Result<Response, HttpError> {
        let reason = DeclineReason::parse(&f.reason)?;
        act(&state, &a, &rid, ReferralAction::Decline(reason)).await?;
        Ok(Redirect::to("/referrals").into_response())
    }

    pub async fn complete(
        State(state): State<AppState>,
        PageUser(a): PageUser,
        Path(rid): Path<String>,
    ) -> Result<Response, HttpError> {
        act(&state, &a, &rid, ReferralAction::Complete).await?;
        Ok(Redirect::to("/referrals").into_response())
    }
}
