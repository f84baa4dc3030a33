//! The referral inbox: referrals addressed to the caller's organisation, newest
//! first, a page at a time (pending ones first on each page), with their age; and
//! the receiver's answers — accept, decline, complete. HTTP over
//! `zakrila_app::referrals`, as the API is.

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    response::Response,
};
use serde::Deserialize;
use zakrila_app::referrals::{DeclineBody, InboxQuery};
use zakrila_domain::case::{DeclineReason, ReferralAction, ReferralStatus};

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
    /// All referrals to the organisation.
    pub total: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    page: Option<u64>,
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
    let mut rows: Vec<InboxRow> = inbox
        .items
        .iter()
        .map(|i| InboxRow {
            id: i.referral.id.clone(),
            case_id: i.referral.case_id.clone(),
            code: i.case_code.clone(),
            from: i
                .from
                .as_ref()
                .map(|o| o.abbrev_bg.clone())
                .unwrap_or_default(),
            purpose: i.referral.purpose.clone(),
            status: label!(ReferralStatus, &i.referral.status, lang),
            pending: i.status == Some(ReferralStatus::Pending),
            accepted: i.status == Some(ReferralStatus::Accepted),
            age_days: i.age_days,
        })
        .collect();
    rows.sort_by_key(|r| (!r.pending, -r.age_days));
    let link = |p: u64| format!("/referrals?page={p}");
    render(&InboxPage {
        base: Base::for_user(&a, lang, "referrals-title"),
        rows,
        reasons: options!(DeclineReason, lang),
        total: inbox.total,
        prev: (inbox.page > 0).then(|| link(inbox.page - 1)),
        next: inbox.has_next().then(|| link(inbox.page + 1)),
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
    Ok(crate::flash::redirect("/referrals", "flash-referral-declined"))
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
    Ok(crate::flash::redirect("/referrals", "flash-referral-completed"))
}
