//! `/stats`: national statistics for analysts and the Commission's coordinators —
//! the harmonised tables of a year with a bar beside every count, the shared
//! exports (CTDC, Eurostat) with small cells suppressed, the privacy budget and the
//! form that publishes a differentially private release. `/open/stats`: the
//! published releases, for anyone, with what the noise means.

use askama::Template;
use axum::{
    extract::{Query, State},
    http::header,
    response::{IntoResponse, Redirect, Response},
};
use zakrila_app::stats::{
    BudgetView, ExportQuery, ReleaseInput, ReleaseView, TableView, YearQuery, cell_label,
};
use zakrila_domain::{
    policy::{Action, Resource},
    user::Locale,
};

use crate::{
    auth::PageUser,
    error::{AppError, HttpError},
    form::FormFields,
    i18n::t,
    lang::Lang,
    state::AppState,
    views::{
        layout::{Base, datetime},
        render, unprocessable,
    },
};

pub struct RowView {
    pub labels: Vec<String>,
    pub count: u64,
    /// Bar length, 0–100.
    pub bar: u64,
}

pub struct TableBlock {
    pub id: String,
    pub title: String,
    pub dims: Vec<String>,
    pub rows: Vec<RowView>,
    pub total: u64,
}

/// A table as the pages show it: words for every code, a bar for every count.
pub fn block(tv: &TableView, lang: Locale) -> TableBlock {
    let bg = lang == Locale::Bg;
    let max = tv.cells.iter().map(|c| c.count).max().unwrap_or(0).max(1);
    TableBlock {
        id: tv.id.clone(),
        title: if bg {
            tv.title_bg.clone()
        } else {
            tv.title_en.clone()
        },
        dims: tv
            .dims
            .iter()
            .map(|d| t(lang, &format!("stats-dim-{d}")))
            .collect(),
        rows: tv
            .cells
            .iter()
            .map(|c| RowView {
                labels: tv
                    .dims
                    .iter()
                    .zip(&c.keys)
                    .map(|(d, k)| cell_label(d, k, bg))
                    .collect(),
                count: c.count,
                bar: c.count * 100 / max,
            })
            .collect(),
        total: tv.total,
    }
}

pub struct TableChoice {
    pub id: String,
    pub title: String,
}

#[derive(Template)]
#[template(path = "stats.html")]
pub struct StatsPage {
    pub base: Base,
    pub year: i32,
    pub tables: Vec<TableBlock>,
    pub budget: BudgetView,
    pub can_export: bool,
    pub can_release: bool,
    pub choices: Vec<TableChoice>,
    pub errors: Vec<String>,
    pub epsilon: String,
}

async fn stats_page(
    state: &AppState,
    a: &crate::auth::Authed,
    lang: Locale,
    year: Option<i32>,
    errors: Vec<String>,
    epsilon: String,
) -> Result<Response, HttpError> {
    let tables = state.app.stats_tables(a, YearQuery { year }).await?;
    let budget = state
        .app
        .stats_budget(
            a,
            YearQuery {
                year: Some(tables.year),
            },
        )
        .await?;
    let bg = lang == Locale::Bg;
    render(&StatsPage {
        base: Base::for_user(a, lang, "stats-title"),
        year: tables.year,
        choices: tables
            .tables
            .iter()
            .map(|tv| TableChoice {
                id: tv.id.clone(),
                title: if bg {
                    tv.title_bg.clone()
                } else {
                    tv.title_en.clone()
                },
            })
            .collect(),
        tables: tables.tables.iter().map(|tv| block(tv, lang)).collect(),
        budget,
        can_export: a.can(Action::ExportStatistics, &Resource::System),
        can_release: a.can(Action::ReleaseStatistics, &Resource::System),
        errors,
        epsilon,
    })
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Query(q): Query<YearQuery>,
) -> Result<Response, HttpError> {
    stats_page(&state, &a, lang, q.year, vec![], String::new()).await
}

/// A shared export as a download.
pub async fn export_csv(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Query(q): Query<ExportQuery>,
) -> Result<Response, HttpError> {
    let e = state.app.stats_export(&a, q).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", e.filename),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        e.csv,
    )
        .into_response())
}

/// The release form: publishes, or shows the form again with the reason.
pub async fn release(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    f: FormFields,
) -> Result<Response, HttpError> {
    let year = f.get("year").and_then(|y| y.parse::<i32>().ok());
    let input = ReleaseInput {
        year: year.unwrap_or(0),
        epsilon: f.text("epsilon"),
        tables: f.all("tables"),
    };
    match state.app.release_statistics(&a, input).await {
        Ok(r) => Ok(Redirect::to(&format!("/open/stats#release-{}", r.id)).into_response()),
        Err(AppError::Invalid(fs)) => {
            let errors = fs.iter().map(|e| t(lang, e.key)).collect();
            let page = stats_page(&state, &a, lang, year, errors, f.text("epsilon")).await?;
            Ok(unprocessable(page))
        }
        Err(e) => Err(e.into()),
    }
}

pub struct ReleaseBlock {
    pub id: String,
    pub year: i32,
    pub epsilon: String,
    pub when: String,
    pub tables: Vec<TableBlock>,
}

#[derive(Template)]
#[template(path = "open_stats.html")]
pub struct OpenStatsPage {
    pub base: Base,
    pub releases: Vec<ReleaseBlock>,
}

fn release_block(r: &ReleaseView, lang: Locale) -> ReleaseBlock {
    ReleaseBlock {
        id: r.id.clone(),
        year: r.year,
        epsilon: r
            .epsilon
            .replace('.', if lang == Locale::Bg { "," } else { "." }),
        when: datetime(r.created_at),
        tables: r.tables.iter().map(|tv| block(tv, lang)).collect(),
    }
}

/// The published releases, for anyone.
pub async fn open(State(state): State<AppState>, Lang(lang): Lang) -> Result<Response, HttpError> {
    let releases = state.app.published_statistics().await?;
    render(&OpenStatsPage {
        base: Base::anonymous(lang, t(lang, "open-stats-title")),
        releases: releases.iter().map(|r| release_block(r, lang)).collect(),
    })
}
