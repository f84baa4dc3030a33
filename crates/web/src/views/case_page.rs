//! One case: profile, stage and its moves, identity (shown on request, audited),
//! consent, referrals, services and the timeline — the view `App::case_view` loads
//! in one operation, turned into the page's rows here. Every form posts back here,
//! into the same input the API takes, and works without JavaScript.

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    response::Response,
};
use serde::Deserialize;
use zakrila_app::{
    cases::{CaseView, ConsentBody, StageForm},
    referrals::{NewReferralBody, NewServiceBody, ServiceStatusBody},
};
use zakrila_domain::{
    case::{
        ClosureReason, ConsentKind, ConsentState, ExploitationForm, IdentificationKind,
        ReferralAction, ReferralStatus, ServiceStatus, Sex, Stage,
    },
    user::Locale,
};

use crate::{
    auth::{Authed, PageUser},
    error::{AppError, HttpError},
    label,
    lang::Lang,
    options,
    state::AppState,
    views::{
        layout::{Base, date, datetime},
        render,
    },
};

pub struct Line {
    pub when: String,
    pub what: String,
    /// Who did it (timeline); empty elsewhere.
    pub by: String,
}

pub struct RefRow {
    pub id: String,
    pub to: String,
    pub purpose: String,
    pub status: String,
    pub can_revoke: bool,
}

/// What was typed into the referral form, shown again when the referral is refused.
#[derive(Default)]
pub struct RefForm {
    pub to_org: String,
    pub purpose: String,
    pub service: String,
    pub note: String,
    pub override_reason: String,
}

impl From<&NewReferralBody> for RefForm {
    fn from(b: &NewReferralBody) -> Self {
        Self {
            to_org: b.to_org.clone(),
            purpose: b.purpose.clone(),
            service: b.service.clone().unwrap_or_default(),
            note: b.note.clone(),
            override_reason: b.consent_override_reason.clone().unwrap_or_default(),
        }
    }
}

pub struct SvcRow {
    pub id: String,
    pub name: String,
    /// The providing organisation's name.
    pub provider: String,
    /// The project it is attributed to, if any.
    pub project: String,
    pub status: String,
    pub due: String,
    pub cost: String,
    pub next: Vec<(&'static str, &'static str)>,
}

#[derive(Template)]
// Whitespace next to template tags collapses to one character: the page keeps its
// spacing and loses the indentation of its many sections.
#[template(path = "case.html", whitespace = "minimize")]
pub struct CasePage {
    pub base: Base,
    pub c: CaseView,
    pub stage: String,
    pub profile: Vec<(String, String)>,
    pub forms: String,
    pub identification: String,
    pub duplicates: Vec<String>,
    /// Other organisations assisting the same person (confirmed linkage, with consent).
    pub involved_orgs: Vec<String>,
    pub identity: Option<zakrila_app::cases::Identity>,
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
    /// Projects a new service may be attributed to: `(id, name)`.
    pub projects: Vec<(String, String)>,
    pub timeline: Vec<Line>,
    pub errors: Vec<String>,
    pub ref_form: RefForm,
    pub own_slug: String,
    /// Assessment, return, reintegration, child, proceedings and rights sections.
    pub details: String,
}

/// The organisation and country lists every case form picks from, fetched once by
/// the case page (htmx, on load) rather than repeated in its HTML.
#[derive(Template)]
#[template(path = "case_lists_partial.html")]
pub struct ListsPartial {
    pub own_slug: String,
    pub own_label: String,
    pub orgs: Vec<(String, String)>,
    pub countries: Vec<(&'static str, &'static str)>,
}

pub async fn lists(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
) -> Result<Response, HttpError> {
    let dir = state.app.organisations(&a).await?;
    render(&ListsPartial {
        own_label: crate::i18n::t(lang, "case-own-org"),
        own_slug: a.org.slug.clone(),
        orgs: dir
            .orgs
            .iter()
            .filter(|e| e.org.id != a.org.id)
            .map(|e| {
                (
                    e.org.slug.clone(),
                    format!("{} — {}", e.org.abbrev_bg, e.org.name(lang)),
                )
            })
            .collect(),
        countries: countries_common_first(lang),
    })
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    duplicates: String,
}

async fn page(
    state: &AppState,
    a: &Authed,
    lang: Locale,
    mut v: CaseView,
    duplicates: Vec<String>,
    errors: Vec<String>,
    ref_form: RefForm,
) -> Result<Response, HttpError> {
    let t = |k: &str| crate::i18n::t(lang, k);
    let yes_no = |b: bool| if b { t("yes") } else { t("no") };
    let profile = vec![
        (t("case-sex"), label!(Sex, &v.sex, lang)),
        (t("case-age-band"), v.age_band.clone().unwrap_or_default()),
        (
            t("case-citizenship"),
            v.citizenship
                .as_deref()
                .map(|c| crate::format::country(c, lang))
                .unwrap_or_default(),
        ),
        (t("case-child"), yes_no(v.is_child)),
        (t("case-unaccompanied"), yes_no(v.unaccompanied)),
        (t("case-disability"), yes_no(v.disability)),
    ];
    let identification = match &v.identification {
        Some((k, by, on)) => format!(
            "{} · {} · {}",
            label!(IdentificationKind, k, lang),
            if *by == a.org.slug {
                a.org.abbrev_bg.clone()
            } else {
                v.other_orgs
                    .iter()
                    .find(|o| o.slug == *by)
                    .map_or_else(|| by.clone(), |o| o.abbrev_bg.clone())
            },
            date(on)
        ),
        None => t("case-not-identified"),
    };
    let consents = v
        .consents
        .iter()
        .map(|r| Line {
            when: datetime(r.at_ms),
            what: format!(
                "{}: {}",
                lang.pick(r.kind.label_bg(), r.kind.label_en()),
                lang.pick(r.state.label_bg(), r.state.label_en())
            ),
            by: String::new(),
        })
        .collect();
    let referrals = v
        .referrals
        .iter()
        .map(|r| RefRow {
            id: r.id.clone(),
            to: r
                .to
                .as_ref()
                .map(|o| o.abbrev_bg.clone())
                .unwrap_or_default(),
            purpose: r
                .purpose
                .clone()
                .unwrap_or_else(|| crate::i18n::t(lang, "details-text-hidden")),
            status: label!(ReferralStatus, &r.status, lang),
            can_revoke: r.can_revoke,
        })
        .collect();
    let services = v
        .services
        .iter()
        .map(|s| SvcRow {
            id: s.id.clone(),
            name: s
                .name
                .as_ref()
                .map(|(bg, en)| lang.pick(bg, en).to_owned())
                .unwrap_or_else(|| s.service_code.clone()),
            provider: s
                .provider
                .as_ref()
                .map(|o| lang.pick(&o.name_bg, &o.name_en).to_owned())
                .unwrap_or_default(),
            project: s
                .project
                .as_ref()
                .map(|(bg, en)| lang.pick(bg, en).to_owned())
                .unwrap_or_default(),
            status: label!(ServiceStatus, &s.status_code, lang),
            due: s.due_date.as_deref().map(date).unwrap_or_default(),
            cost: s
                .cost_stotinki
                .map(|s| crate::format::money_bgn(s, lang))
                .unwrap_or_default(),
            next: s
                .next
                .iter()
                .map(|n| (n.as_str(), lang.pick(n.label_bg(), n.label_en())))
                .collect(),
        })
        .collect();
    let timeline = v
        .timeline
        .iter()
        .map(|e| Line {
            when: datetime(e.at_ms),
            what: t(&format!("timeline-{}", e.action.replace('.', "-"))),
            by: e.by.clone(),
        })
        .collect();
    let mut involved_orgs: Vec<String> = v
        .involved_orgs
        .iter()
        .map(|o| o.name(lang).to_owned())
        .collect();
    involved_orgs.sort();
    involved_orgs.dedup();
    let details =
        crate::views::case_details::sections(state, a, lang, &v.record, v.identity.is_some())
            .await?;
    // Accommodation and referrals abroad: a section of its own, after the details.
    let details = details + &crate::views::accommodation::case_section(lang, &v.accommodation)?;
    let details = details + &crate::views::case_documents::case_section(lang, &v.documents)?;
    render(&CasePage {
        details,
        base: Base::for_user(a, lang, "case-title"),
        involved_orgs,
        stage: label!(Stage, &v.stage_code, lang),
        forms: v
            .forms
            .iter()
            .map(|f| label!(ExploitationForm, f, lang))
            .collect::<Vec<_>>()
            .join(", "),
        can_move: v.can_move,
        can_refer: v.can_refer,
        next_stages: v
            .next_stages
            .iter()
            .map(|s| (s.as_str(), lang.pick(s.label_bg(), s.label_en())))
            .collect(),
        closure_reasons: options!(ClosureReason, lang),
        ident_kinds: options!(IdentificationKind, lang),
        consent_kinds: options!(ConsentKind, lang),
        consent_states: options!(ConsentState, lang),
        catalogue: v
            .catalogue
            .iter()
            .map(|(code, bg, en)| (code.clone(), lang.pick(bg, en).to_owned()))
            .collect(),
        projects: v
            .projects
            .iter()
            .map(|(id, bg, en)| (id.clone(), lang.pick(bg, en).to_owned()))
            .collect(),
        profile,
        identification,
        duplicates,
        identity: v.identity.take(),
        consents,
        referrals,
        services,
        timeline,
        errors,
        ref_form,
        own_slug: a.org.slug.clone(),
        c: v,
    })
}

/// Bulgaria and the countries most cases come from or are exploited in first, then
/// the rest by name.
fn countries_common_first(lang: Locale) -> Vec<(&'static str, &'static str)> {
    const COMMON: [&str; 12] = [
        "BGR", "DEU", "GRC", "NLD", "ITA", "ESP", "FRA", "AUT", "BEL", "GBR", "CYP", "ROU",
    ];
    let mut all = crate::views::cases::countries(lang);
    all.sort_by_key(|(code, _)| {
        COMMON
            .iter()
            .position(|c| c == code)
            .unwrap_or(COMMON.len())
    });
    all
}

/// Renders the page again with the error messages when an action was refused (the
/// case page loaded once, by the same operation as `show`).
pub(crate) async fn or_errors(
    state: &AppState,
    a: &Authed,
    lang: Locale,
    id: &str,
    result: Result<(), HttpError>,
) -> Result<Response, HttpError> {
    or_errors_keeping(state, a, lang, id, result, None, "").await
}

/// `or_errors`, showing the referral form again as it was typed.
async fn or_errors_keeping(
    state: &AppState,
    a: &Authed,
    lang: Locale,
    id: &str,
    result: Result<(), HttpError>,
    ref_form: Option<RefForm>,
    anchor: &str,
) -> Result<Response, HttpError> {
    let (msgs, status) = match result {
        Ok(()) => {
            return Ok(crate::flash::redirect(
                &format!("/cases/{id}{anchor}"),
                "flash-saved",
            ));
        }
        Err(HttpError(AppError::Invalid(fs))) => (
            fs.iter()
                .map(|f| {
                    // On the referral form the missing consent is the referral
                    // consent, and the message names the field that overrides it.
                    let key = if f.key == "error-consent-missing" && ref_form.is_some() {
                        "error-referral-consent-missing"
                    } else {
                        f.key
                    };
                    crate::i18n::t(lang, key)
                })
                .collect(),
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(HttpError(AppError::Conflict(k))) => (
            vec![crate::i18n::t(
                lang,
                if k == "stale" {
                    "problem-conflict-stale"
                } else {
                    "problem-conflict"
                },
            )],
            axum::http::StatusCode::CONFLICT,
        ),
        Err(e) => return Err(e),
    };
    let v = state.app.case_view(a, id, None).await?;
    let mut r = page(
        state,
        a,
        lang,
        v,
        vec![],
        msgs,
        ref_form.unwrap_or_default(),
    )
    .await?;
    *r.status_mut() = status;
    Ok(r)
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, HttpError> {
    let v = state.app.case_view(&a, &id, None).await?;
    let duplicates = q
        .duplicates
        .split(',')
        .filter(|s| zakrila_domain::case::CaseCode::parse(s).is_ok())
        .map(str::to_owned)
        .collect();
    page(&state, &a, lang, v, duplicates, vec![], RefForm::default()).await
}

/// The same page with the identity shown; the read is audited.
pub async fn show_identity(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    let v = state.app.case_view(&a, &id, Some("case page")).await?;
    page(&state, &a, lang, v, vec![], vec![], RefForm::default()).await
}

pub async fn move_stage(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    Form(f): Form<StageForm>,
) -> Result<Response, HttpError> {
    let result = state.app.move_stage(&a, &id, f.into()).await.map(|_| ());
    or_errors_keeping(
        &state,
        &a,
        lang,
        &id,
        result.map_err(Into::into),
        None,
        "#stage",
    )
    .await
}

pub async fn consent(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    Form(f): Form<ConsentBody>,
) -> Result<Response, HttpError> {
    let result = state.app.record_consent(&a, &id, f).await;
    or_errors_keeping(
        &state,
        &a,
        lang,
        &id,
        result.map_err(Into::into),
        None,
        "#consents",
    )
    .await
}

pub async fn referral(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    Form(f): Form<NewReferralBody>,
) -> Result<Response, HttpError> {
    let typed = RefForm::from(&f);
    let result = state.app.refer(&a, &id, f).await.map(|_| ());
    or_errors_keeping(
        &state,
        &a,
        lang,
        &id,
        result.map_err(Into::into),
        Some(typed),
        "#referrals",
    )
    .await
}

pub async fn revoke_referral(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Path((id, rid)): Path<(String, String)>,
) -> Result<Response, HttpError> {
    state
        .app
        .act_on_referral(&a, &rid, ReferralAction::Revoke)
        .await?;
    Ok(crate::flash::redirect(
        &format!("/cases/{id}#referrals"),
        "flash-referral-revoked",
    ))
}

pub async fn add_service(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    Form(f): Form<NewServiceBody>,
) -> Result<Response, HttpError> {
    let result = state.app.plan_service(&a, &id, f).await.map(|_| ());
    or_errors_keeping(
        &state,
        &a,
        lang,
        &id,
        result.map_err(Into::into),
        None,
        "#services",
    )
    .await
}

pub async fn service_status(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path((id, sid)): Path<(String, String)>,
    Form(f): Form<ServiceStatusBody>,
) -> Result<Response, HttpError> {
    let result = state.app.set_service_status(&a, &sid, f).await.map(|_| ());
    or_errors_keeping(
        &state,
        &a,
        lang,
        &id,
        result.map_err(Into::into),
        None,
        "#services",
    )
    .await
}
