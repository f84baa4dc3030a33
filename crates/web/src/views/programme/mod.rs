//! The National Programme's pages: the year's dashboard (this module), an
//! activity with its reporting and review, institutions' completeness, the
//! downloads and the coordinators' import — each over `zakrila_app::programme`.

pub mod activity;
pub mod compare;
pub mod files;
pub mod institutions;
pub mod reporting;

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use zakrila_app::programme::{Filter, Standing, Year};
use zakrila_domain::user::Locale;
use zakrila_programme::roman;

use crate::{
    auth::PageUser,
    error::HttpError,
    lang::Lang,
    state::AppState,
    views::{layout::Base, render},
};

/// A number as people read it: "150", "12,5", "9 905".
pub fn number(v: f64, lang: Locale) -> String {
    crate::format::number(v, 2, lang)
}

/// A number as a form field holds it, without thousands separators, which the
/// English form would read as a decimal point: "9905", "12,5".
pub fn input_number(v: f64, lang: Locale) -> String {
    let s = if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}").trim_end_matches('0').to_owned()
    };
    if lang == Locale::Bg {
        s.replace('.', ",")
    } else {
        s
    }
}

pub fn percent(p: Option<f64>) -> String {
    p.map(|p| format!("{p:.0} %")).unwrap_or_else(|| "—".into())
}

pub struct Row {
    pub code: String,
    pub title: String,
    pub section: String,
    pub lead: String,
    pub deadline: String,
    pub percent: String,
    pub standing: &'static str,
    pub standing_label: String,
    pub awaiting: usize,
}

/// One bar of a server-drawn SVG chart.
pub struct Bar {
    pub label: String,
    pub value: String,
    pub y: u32,
    pub width: u32,
}

pub const BAR_MAX: f64 = 320.0;

pub fn bars(items: impl IntoIterator<Item = (String, Option<f64>)>) -> Vec<Bar> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, (label, p))| Bar {
            label,
            value: percent(p),
            y: i as u32 * 28,
            width: (p.unwrap_or(0.0).clamp(0.0, 100.0) / 100.0 * BAR_MAX).round() as u32,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "programme.html")]
pub struct OverviewPage {
    pub base: Base,
    pub year: i32,
    pub years: Vec<i32>,
    pub title: String,
    pub rows: Vec<Row>,
    pub total: usize,
    pub bars: Vec<Bar>,
    pub chart_height: u32,
    /// Per standing: code, label, count and the label agreeing with the count.
    pub counts: Vec<(&'static str, String, usize, String)>,
    pub sections: Vec<(u8, String)>,
    pub orgs: Vec<(String, String)>,
    pub filter: Filter,
    pub can_manage: bool,
    pub awaiting_total: usize,
}

pub fn standing_label(base: &Base, s: Standing) -> String {
    base.t(&format!("programme-standing-{}", s.code()))
}

/// `/programme`: the latest year's dashboard, or a page saying there is none.
pub async fn latest(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Query(filter): Query<Filter>,
) -> Result<Response, HttpError> {
    let years = state.app.programme_years(&a).await?;
    match years.years.first() {
        Some(&y) => {
            let year = state.app.programme(&a, y).await?;
            render(&overview_page(
                Base::for_user(&a, lang, "programme-title"),
                year,
                filter,
            ))
        }
        None => render(&files::EmptyPage {
            can_manage: years.can_manage,
            base: Base::for_user(&a, lang, "programme-title"),
        }),
    }
}

pub async fn overview(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(year): Path<i32>,
    Query(filter): Query<Filter>,
) -> Result<Response, HttpError> {
    let year = state.app.programme(&a, year).await?;
    render(&overview_page(
        Base::for_user(&a, lang, "programme-title"),
        year,
        filter,
    ))
}

fn overview_page(base: Base, y: Year, filter: Filter) -> OverviewPage {
    let p = &y.programme;
    let mut rows = vec![];
    for (act, ids, st) in y.filtered(&filter) {
        rows.push(Row {
            code: act.code.clone(),
            title: base
                .lang
                .pick(&act.title, act.title_en.as_ref().unwrap_or(&act.title))
                .clone(),
            section: roman(act.section).to_owned(),
            lead: if ids.leads.is_empty() {
                act.lead
                    .iter()
                    .map(|i| i.mention.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            } else {
                y.abbrevs(&ids.leads)
            },
            deadline: act.deadline.describe(base.lang == Locale::En),
            percent: percent(st.percent),
            standing: st.standing.code(),
            standing_label: standing_label(&base, st.standing),
            awaiting: st.awaiting_review,
        });
    }
    let bars = bars(p.sections.iter().map(|s| {
        (
            format!("{} {}", roman(s.number), s.title),
            y.section_percent(s.number),
        )
    }));
    let counts = Standing::ALL
        .into_iter()
        .map(|s| {
            let n = y.standings.iter().filter(|x| x.standing == s).count();
            (
                s.code(),
                standing_label(&base, s),
                n,
                crate::i18n::t_count(
                    base.lang,
                    &format!("programme-standing-counted-{}", s.code()),
                    n as i64,
                ),
            )
        })
        .collect();
    let mut lead_orgs: Vec<(String, String)> = y
        .activities
        .iter()
        .flat_map(|a| a.leads.iter().chain(&a.partners))
        .filter_map(|id| y.orgs.get(id))
        .map(|o| (o.slug.clone(), o.abbrev_bg.clone()))
        .collect();
    lead_orgs.sort_by(|a, b| a.1.cmp(&b.1));
    lead_orgs.dedup();
    OverviewPage {
        chart_height: bars.len() as u32 * 28 + 4,
        bars,
        year: y.year,
        title: p.title.clone(),
        total: p.activities.len(),
        rows,
        counts,
        sections: p
            .sections
            .iter()
            .map(|s| (s.number, format!("{} {}", roman(s.number), s.title)))
            .collect(),
        orgs: lead_orgs,
        filter,
        can_manage: y.can_manage,
        awaiting_total: y.standings.iter().map(|s| s.awaiting_review).sum(),
        years: y.years,
        base,
    }
}
