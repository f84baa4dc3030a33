//! The National Programme's pages: the year's dashboard (this module), an
//! activity with its reporting and review, institutions' completeness, the
//! downloads and the coordinators' import.

pub mod activity;
pub mod compare;
pub mod files;
pub mod institutions;
pub mod reporting;
pub mod standing;

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use serde::Deserialize;
use zakrila_domain::{
    policy::{Action, Resource},
    user::Locale,
};
use zakrila_programme::{ProgressActuals, roman};
use zakrila_store::{
    entity::{organisation, progress_report},
    programme::{StoredProgramme, actuals},
};

use self::standing::{ActivityStanding, Standing, percent, today};
use crate::{
    auth::{Authed, PageUser},
    error::{AppError, HttpError},
    lang::Lang,
    state::AppState,
    views::{layout::Base, render},
};

/// A programme with everything the pages compute from.
pub struct Loaded {
    pub stored: StoredProgramme,
    pub reports: Vec<progress_report::Model>,
    pub actuals: ProgressActuals,
    /// Organisations by id.
    pub orgs: HashMap<String, organisation::Model>,
}

impl Loaded {
    pub fn abbrevs(&self, ids: &[String]) -> String {
        ids.iter()
            .filter_map(|id| self.orgs.get(id))
            .map(|o| o.abbrev_bg.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

pub async fn load(state: &AppState, year: i32) -> Result<Loaded, HttpError> {
    let stored = state
        .store
        .load_programme(year)
        .await?
        .ok_or(AppError::NotFound)?;
    let reports = state.store.progress_reports(&stored.record.id).await?;
    let actuals = actuals(&stored, &reports);
    let orgs = state
        .store
        .list_orgs()
        .await?
        .into_iter()
        .map(|o| (o.id.clone(), o))
        .collect();
    Ok(Loaded {
        stored,
        reports,
        actuals,
        orgs,
    })
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
    pub counts: Vec<(&'static str, String, usize)>,
    pub sections: Vec<(u8, String)>,
    pub orgs: Vec<(String, String)>,
    pub filter: Filter,
    pub can_manage: bool,
    pub awaiting_total: usize,
}

#[derive(Debug, Default, Deserialize)]
pub struct Filter {
    #[serde(default)]
    pub section: Option<String>,
    #[serde(default)]
    pub org: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
}

impl Filter {
    pub fn section_is(&self, n: &u8) -> bool {
        self.section.as_deref() == Some(n.to_string().as_str())
    }
    pub fn org_is(&self, slug: &str) -> bool {
        self.org.as_deref() == Some(slug)
    }
    pub fn status_is(&self, code: &str) -> bool {
        self.status.as_deref() == Some(code)
    }
}

pub fn standing_label(base: &Base, s: Standing) -> String {
    base.t(&format!("programme-standing-{}", s.code()))
}

/// `/programme`: the latest year's dashboard, or a page saying there is none.
pub async fn latest(
    state: State<AppState>,
    user: PageUser,
    lang: Lang,
    filter: Query<Filter>,
) -> Result<Response, HttpError> {
    let year = state.store.programme_years().await?.first().copied();
    match year {
        Some(y) => overview(state, user, lang, Path(y), filter).await,
        None => {
            let PageUser(a) = user;
            a.require(Action::ViewProgramme, &Resource::System)?;
            let base = Base::for_user(&a, lang.0, "programme-title");
            render(&files::EmptyPage {
                can_manage: a.can(Action::ManageProgramme, &Resource::System),
                base,
            })
        }
    }
}

pub async fn overview(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(year): Path<i32>,
    Query(filter): Query<Filter>,
) -> Result<Response, HttpError> {
    a.require(Action::ViewProgramme, &Resource::System)?;
    let loaded = load(&state, year).await?;
    let standings = standing::activities(&loaded.stored, &loaded.actuals, &loaded.reports, today());
    let base = Base::for_user(&a, lang, "programme-title");
    render(&overview_page(&a, base, &state, &loaded, &standings, filter).await?)
}

async fn overview_page(
    a: &Authed,
    base: Base,
    state: &AppState,
    loaded: &Loaded,
    standings: &[ActivityStanding],
    filter: Filter,
) -> Result<OverviewPage, HttpError> {
    let p = &loaded.stored.programme;
    let year = p.year;
    let org_filter = filter
        .org
        .as_deref()
        .and_then(|slug| loaded.orgs.values().find(|o| o.slug == slug))
        .map(|o| o.id.clone());
    let mut rows = vec![];
    for ((act, ids), st) in p
        .activities
        .iter()
        .zip(&loaded.stored.activities)
        .zip(standings)
    {
        if filter
            .section
            .as_deref()
            .is_some_and(|s| !s.is_empty() && s != act.section.to_string())
        {
            continue;
        }
        if let Some(org) = &org_filter
            && !ids.leads.contains(org)
            && !ids.partners.contains(org)
        {
            continue;
        }
        if filter
            .status
            .as_deref()
            .is_some_and(|s| !s.is_empty() && s != st.standing.code())
        {
            continue;
        }
        rows.push(Row {
            code: act.code.clone(),
            title: if base.lang == Locale::En {
                act.title_en.clone().unwrap_or_else(|| act.title.clone())
            } else {
                act.title.clone()
            },
            section: roman(act.section).to_owned(),
            lead: if ids.leads.is_empty() {
                act.lead
                    .iter()
                    .map(|i| i.mention.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            } else {
                loaded.abbrevs(&ids.leads)
            },
            deadline: act.deadline.describe(base.lang == Locale::En),
            percent: percent(st.percent),
            standing: st.standing.code(),
            standing_label: standing_label(&base, st.standing),
            awaiting: st.awaiting_review,
        });
    }
    let section_percent = |n: u8| {
        let v: Vec<f64> = p
            .activities
            .iter()
            .zip(standings)
            .filter(|(a, _)| a.section == n)
            .map(|(_, s)| s.percent.unwrap_or(0.0))
            .collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    };
    let bars = bars(p.sections.iter().map(|s| {
        (
            format!("{} {}", roman(s.number), s.title),
            section_percent(s.number),
        )
    }));
    let counts = Standing::ALL
        .into_iter()
        .map(|s| {
            (
                s.code(),
                standing_label(&base, s),
                standings.iter().filter(|x| x.standing == s).count(),
            )
        })
        .collect();
    let mut lead_orgs: Vec<(String, String)> = loaded
        .stored
        .activities
        .iter()
        .flat_map(|a| a.leads.iter().chain(&a.partners))
        .filter_map(|id| loaded.orgs.get(id))
        .map(|o| (o.slug.clone(), o.abbrev_bg.clone()))
        .collect();
    lead_orgs.sort_by(|a, b| a.1.cmp(&b.1));
    lead_orgs.dedup();
    Ok(OverviewPage {
        chart_height: bars.len() as u32 * 28 + 4,
        bars,
        year,
        years: state.store.programme_years().await?,
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
        can_manage: a.can(Action::ManageProgramme, &Resource::System),
        awaiting_total: standings.iter().map(|s| s.awaiting_review).sum(),
        base,
    })
}
