//! The referral inbox: referrals addressed to the caller's organisation, newest
//! first, a page at a time (pending ones first on each page), with their age, the
//! requested service, the purpose and the consent they were made under; the
//! receiver's answers — accept, decline, complete; and below, the referrals the
//! organisation sent, paged alike. HTTP over `zakrila_app::referrals`, as the API is.

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    response::Response,
};
use serde::Deserialize;
use zakrila_app::referrals::{DeclineBody, InboxItem, InboxQuery};
use zakrila_domain::{
    case::{DeclineReason, ReferralAction, ReferralStatus},
    user::Locale,
};

use crate::{
    auth::PageUser,
    error::HttpError,
    label,
    lang::Lang,
    options,
    state::AppState,
    views::{layout::Base, render},
};

pub struct InboxRow {
    pub id: String,
    pub case_id: String,
    pub code: String,
    pub from: String,
    pub to: String,
    pub service: String,
    pub purpose: String,
    pub consent: String,
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
    pub sent: Vec<InboxRow>,
    pub sent_total: u64,
    pub sent_prev: Option<String>,
    pub sent_next: Option<String>,
    pub reasons: Vec<(&'static str, &'static str)>,
    /// All referrals to the organisation.
    pub total: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    page: Option<u64>,
    #[serde(default)]
    sent_page: Option<u64>,
}

fn row(i: &InboxItem, lang: Locale) -> InboxRow {
    let t = |k: &str| crate::i18n::t(lang, k);
    let abbrev =
        |o: &Option<zakrila_app::Org>| o.as_ref().map(|o| o.abbrev_bg.clone()).unwrap_or_default();
    InboxRow {
        id: i.referral.id.clone(),
        case_id: i.referral.case_id.clone(),
        code: i.case_code.clone(),
        from: abbrev(&i.from),
        to: abbrev(&i.to),
        service: i
            .service_name
            .as_ref()
            .map(|(bg, en)| lang.pick(bg, en).to_owned())
            .unwrap_or_else(|| "—".to_owned()),
        purpose: i.purpose.clone().unwrap_or_else(|| "—".to_owned()),
        consent: t(if i.consent_override {
            "referral-consent-override"
        } else {
            "referral-consent-given"
        }),
        status: label!(ReferralStatus, &i.referral.status, lang),
        pending: i.status == Some(ReferralStatus::Pending),
        accepted: i.status == Some(ReferralStatus::Accepted),
        age_days: i.age_days,
    }
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Query(q): Query<PageQuery>,
) -> Result<Response, HttpError> {
    let inbox = state
        .app
        .inbox(
            &a,
            &InboxQuery {
                page: q.page,
                ..Default::default()
            },
        )
        .await?;
    let sent = state
        .app
        .sent_referrals(
            &a,
            &InboxQuery {
                page: q.sent_page,
                ..Default::default()
            },
        )
        .await?;
    let mut rows: Vec<InboxRow> = inbox.items.iter().map(|i| row(i, lang)).collect();
    rows.sort_by_key(|r| (!r.pending, -r.age_days));
    let (page, sent_page) = (inbox.page, sent.page);
    let link = |p: u64, s: u64| format!("/referrals?page={p}&sent_page={s}");
    render(&InboxPage {
        base: Base::for_user(&a, lang, "referrals-title"),
        rows,
        sent: sent.items.iter().map(|i| row(i, lang)).collect(),
        sent_total: sent.total,
        sent_prev: (sent_page > 0).then(|| link(page, sent_page - 1) + "#sent"),
        sent_next: sent.has_next().then(|| link(page, sent_page + 1) + "#sent"),
        reasons: options!(DeclineReason, lang),
        total: inbox.total,
        prev: (page > 0).then(|| link(page - 1, sent_page)),
        next: inbox.has_next().then(|| link(page + 1, sent_page)),
    })
}

pub async fn accept(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Path(rid): Path<String>,
) -> Result<Response, HttpError> {
    let r = state
        .app
        .act_on_referral(&a, &rid, ReferralAction::Accept)
        .await?;
    Ok(crate::flash::redirect(
        &format!("/cases/{}", r.case_id),
        "flash-referral-accepted",
    ))
}

pub async fn decline(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Path(rid): Path<String>,
    Form(f): Form<DeclineBody>,
) -> Result<Response, HttpError> {
    state.app.decline_referral(&a, &rid, f).await?;
    Ok(crate::flash::redirect(
        "/referrals",
        "flash-referral-declined",
    ))
}

pub async fn complete(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Path(rid): Path<String>,
) -> Result<Response, HttpError> {
    state
        .app
        .act_on_referral(&a, &rid, ReferralAction::Complete)
        .await?;
    Ok(crate::flash::redirect(
        "/referrals",
        "flash-referral-completed",
    ))
}
