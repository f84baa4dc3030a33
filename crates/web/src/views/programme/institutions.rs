//! Reporting completeness and timeliness per lead institution (expected,
//! received, on time), as DHIS2 shows it, with a bar chart of completeness.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::Response,
};
use zakrila_domain::{
    policy::{Action, Resource},
    programme::TIMELY_DAYS,
    user::Locale,
};

use super::{
    Bar, bars, load,
    standing::{Completeness, completeness, today},
};
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
    a.require(Action::ViewProgramme, &Resource::System)?;
    let loaded = load(&state, year).await?;
    let base = Base::for_user(&a, lang, "programme-institutions");
    let mut rows: Vec<InstitutionRow> = completeness(&loaded.stored, &loaded.reports, today())
        .into_iter()
        .filter_map(|(org_id, c)| {
            let o = loaded.orgs.get(&org_id)?;
            Some(InstitutionRow {
                slug: o.slug.clone(),
                abbrev: o.abbrev_bg.clone(),
                name: if lang == Locale::En {
                    o.name_en.clone()
                } else {
                    o.name_bg.clone()
                },
                activities: c.activities,
                expected: c.expected,
                received: c.received,
                on_time: c.on_time,
                completeness: share(c.received, c.expected),
                timeliness: share(c.on_time, c.expected),
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        b.activities
            .cmp(&a.activities)
            .then(a.abbrev.cmp(&b.abbrev))
    });
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
