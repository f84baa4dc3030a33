//! `/linkage`: the NCCTHB coordinator's review of probable cross-organisation
//! matches. Each candidate shows two pseudonymous case codes, their organisations,
//! the similarity and the non-identifying profile — never a name — with confirm
//! and reject buttons (plain forms), a button to run matching now, and the count
//! of unique persons.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use zakrila_app::linkage::{Candidate, Review, Side};
use zakrila_domain::user::Locale;

use crate::{
    auth::PageUser,
    error::{AppError, HttpError},
    lang::Lang,
    state::AppState,
    views::{
        layout::{Base, datetime},
        render,
    },
};

pub struct SideRow {
    pub code: String,
    pub org: String,
    pub profile: String,
}

pub struct CandidateRow {
    pub id: String,
    pub similarity: String,
    pub status: String,
    pub when: String,
    pub a: SideRow,
    pub b: SideRow,
}

#[derive(Template)]
#[template(path = "linkage.html")]
pub struct LinkagePage {
    pub base: Base,
    pub pending: Vec<CandidateRow>,
    pub reviewed: Vec<CandidateRow>,
    pub persons: u64,
    pub confirmed_links: u64,
    pub unique_persons: u64,
    /// After "run now": (matches found, new in the queue).
    pub last_run: Option<(u64, u64)>,
    pub notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    matches: Option<u64>,
    queued: Option<u64>,
    #[serde(default)]
    reviewed: String,
}

fn side(s: &Side, lang: Locale) -> SideRow {
    let org = s
        .org
        .as_ref()
        .map(|o| format!("{} — {}", o.abbrev_bg, o.name(lang)))
        .unwrap_or_default();
    let pick = |bg: &'static str, en: &'static str| lang.pick(bg, en);
    let mut parts: Vec<String> = vec![];
    parts.extend(s.sex.map(|x| pick(x.label_bg(), x.label_en()).to_owned()));
    parts.extend(
        s.age_band
            .map(|x| pick(x.label_bg(), x.label_en()).to_owned()),
    );
    parts.extend(
        s.citizenship
            .as_deref()
            .map(|c| crate::format::country(c, lang)),
    );
    parts.push(
        s.forms
            .iter()
            .map(|x| pick(x.label_bg(), x.label_en()))
            .collect::<Vec<_>>()
            .join(", "),
    );
    parts.extend(s.stage.map(|x| pick(x.label_bg(), x.label_en()).to_owned()));
    parts.retain(|p| !p.is_empty());
    SideRow {
        code: s.case_code.clone(),
        org,
        profile: parts.join(" · "),
    }
}

fn row(c: &Candidate, lang: Locale) -> CandidateRow {
    CandidateRow {
        id: c.id.clone(),
        similarity: crate::format::number(c.similarity, 3, lang),
        status: crate::i18n::t(lang, &format!("linkage-status-{}", c.status.as_str())),
        when: datetime(c.reviewed_at.unwrap_or(c.created_at)),
        a: side(&c.a, lang),
        b: side(&c.b, lang),
    }
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Query(q): Query<PageQuery>,
) -> Result<Response, HttpError> {
    let r = state.app.linkage_review(&a).await?;
    let notice = match q.reviewed.as_str() {
        "conflict" => Some(crate::i18n::t(lang, "linkage-already-reviewed")),
        _ => None,
    };
    render(&LinkagePage {
        base: Base::for_user(&a, lang, "linkage-title"),
        pending: r.pending.iter().map(|c| row(c, lang)).collect(),
        reviewed: r.reviewed.iter().map(|c| row(c, lang)).collect(),
        persons: r.unique.persons,
        confirmed_links: r.unique.confirmed_links,
        unique_persons: r.unique.unique_persons,
        last_run: q.matches.zip(q.queued),
        notice,
    })
}

pub async fn run(
    State(state): State<AppState>,
    PageUser(a): PageUser,
) -> Result<Response, HttpError> {
    let s = state.app.run_linkage(&a).await?;
    Ok(Redirect::to(&format!(
        "/linkage?matches={}&queued={}",
        s.matches, s.queued
    ))
    .into_response())
}

async fn decide(
    state: &AppState,
    a: &crate::auth::Authed,
    id: &str,
    decision: Review,
) -> Result<Response, HttpError> {
    match state.app.review_linkage(a, id, decision).await {
        Ok(_) => Ok(Redirect::to("/linkage").into_response()),
        // Someone else decided first (another tab, another coordinator): say so.
        Err(AppError::Conflict(_)) => {
            Ok(Redirect::to("/linkage?reviewed=conflict").into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn confirm(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    decide(&state, &a, &id, Review::Confirm).await
}

pub async fn reject(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    decide(&state, &a, &id, Review::Reject).await
}
