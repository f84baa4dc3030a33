//! Reporting completeness and timeliness per lead institution (expected,
//! received, on time), as DHIS2 shows it, with a bar chart of completeness; the
//! figures are `App::programme_institutions`.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::Response,
};
use zakrila_app::programme::Completeness;
use zakrila_domain::programme::TIMELY_DAYS;

use super::{Bar, bars};
use crate::{
    auth::PageUser,
    error::HttpError,
    lang::Lang,
    state::AppState,
    views::{layout::Base, render},
};

pub struct InstitutionRow {
    pub slug: String,
    pub abbrev: String,
    pub name: String,
    pub activities: usize,
    pub expected: usize,
    pub received: usize,
    pub on_time: usize,
    pub completeness: String,
    pub timeliness: String,
}

#[derive(Template)]
#[template(path = "programme_institutions.html")]
pub struct InstitutionsPage {
    pub base: Base,
    pub year: i32,
    pub rows: Vec<InstitutionRow>,
    pub bars: Vec<Bar>,
    pub chart_height: u32,
    pub timely_days: i64,
}

fn share(part: usize, whole: usize) -> String {
    Completeness::percent(part, whole)
        .map(|p| format!("{p} %"))
        .unwrap_or_else(|| "—".into())
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(year): Path<i32>,
) -> Result<Response, HttpError> {
    let institutions = state.app.programme_institutions(&a, year).await?;
    let base = Base::for_user(&a, lang, "programme-institutions");
    let rows: Vec<InstitutionRow> = institutions
        .into_iter()
        .map(|i| {
            let c = i.completeness;
            InstitutionRow {
                name: i.org.name(lang).to_owned(),
                slug: i.org.slug,
                abbrev: i.org.abbrev_bg,
                activities: c.activities,
                expected: c.expected,
                received: c.received,
                on_time: c.on_time,
                completeness: share(c.received, c.expected),
                timeliness: share(c.on_time, c.expected),
            }
        })
        .collect();
    let bars = bars(rows.iter().map(|r| {
        (
            r.abbrev.clone(),
            Completeness::percent(r.received, r.expected).map(f64::from),
        )
    }));
    render(&InstitutionsPage {
        chart_height: bars.len() as u32 * 28 + 4,
        bars,
        base,
        year,
        rows,
        timely_days: TIMELY_DAYS,
    })
}
