//! `/stats/abroad`: the referrals to and from abroad of the whole network counted by
//! year, direction, country and kind — the figures `GET /api/v1/stats/referrals-abroad`
//! gives, from the same `zakrila_app::abroad` operation, with words for the codes.

use askama::Template;
use axum::{extract::State, response::Response};
use zakrila_domain::abroad::{CounterpartKind, Direction};

use crate::{
    auth::PageUser,
    error::HttpError,
    format, label,
    lang::Lang,
    state::AppState,
    views::{layout::Base, render},
};

pub struct Row {
    pub year: String,
    pub direction: String,
    pub country: String,
    pub kind: String,
    pub referrals: u64,
    pub accepted: u64,
}

#[derive(Template)]
#[template(path = "stats_abroad.html")]
pub struct AbroadStatsPage {
    pub base: Base,
    pub rows: Vec<Row>,
    pub referrals: u64,
    pub accepted: u64,
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
) -> Result<Response, HttpError> {
    let counts = state.app.abroad_counts(&a).await?;
    let rows: Vec<Row> = counts
        .iter()
        .map(|c| Row {
            year: c.year.clone(),
            direction: label!(Direction, &c.direction, lang),
            country: format::country(&c.country, lang),
            kind: label!(CounterpartKind, &c.kind, lang),
            referrals: c.referrals,
            accepted: c.accepted,
        })
        .collect();
    render(&AbroadStatsPage {
        base: Base::for_user(&a, lang, "abroad-stats-title"),
        referrals: rows.iter().map(|r| r.referrals).sum(),
        accepted: rows.iter().map(|r| r.accepted).sum(),
        rows,
    })
}
