//! `/projects` and `/projects/{id}`: projects with their targets against what the
//! data shows achieved, and a burn-up chart (SVG, no script) over the period.
//! Operations in `zakrila_app::projects`.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::Response,
};
use zakrila_app::projects::{ProjectOut, TargetOut};
use zakrila_domain::user::Locale;

use crate::{
    auth::PageUser,
    error::HttpError,
    format,
    lang::Lang,
    state::AppState,
    views::{
        layout::{Base, date},
        render,
    },
};

pub struct TargetRow {
    pub name: String,
    pub target: String,
    pub achieved: String,
    pub percent: String,
    /// The bar's width, 0–100.
    pub bar: i64,
}

pub struct ProjectRow {
    pub id: String,
    pub name: String,
    pub org: String,
    pub period: String,
    pub targets: Vec<TargetRow>,
}

fn target_row(t: &TargetOut, lang: Locale) -> TargetRow {
    TargetRow {
        name: lang.pick(&t.name_bg, &t.name_en).to_owned(),
        target: format::integer(t.target, lang),
        achieved: format::integer(t.achieved, lang),
        percent: format::percent(Some(t.percent as f64), lang),
        bar: t.percent.clamp(0, 100),
    }
}

fn project_row(p: &ProjectOut, lang: Locale, orgs: &[zakrila_app::Org]) -> ProjectRow {
    ProjectRow {
        id: p.id.clone(),
        name: lang.pick(&p.name_bg, &p.name_en).to_owned(),
        org: orgs
            .iter()
            .find(|o| o.slug == p.org)
            .map(|o| o.name(lang).to_owned())
            .unwrap_or_else(|| p.org.clone()),
        period: format!("{} – {}", date(&p.starts_on), date(&p.ends_on)),
        targets: p.targets.iter().map(|t| target_row(t, lang)).collect(),
    }
}

#[derive(Template)]
#[template(path = "projects.html")]
pub struct ProjectsPage {
    pub base: Base,
    pub projects: Vec<ProjectRow>,
}

pub async fn list(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
) -> Result<Response, HttpError> {
    let list = state.app.projects(&a, lang.as_str()).await?;
    let orgs = state.app.organisations(&a).await?;
    let orgs: Vec<_> = orgs.orgs.into_iter().map(|e| e.org).collect();
    render(&ProjectsPage {
        projects: list.iter().map(|p| project_row(p, lang, &orgs)).collect(),
        base: Base::for_user(&a, lang, "projects-title"),
    })
}

/// One line of the burn-up chart: a target's points and its target line.
pub struct Line {
    pub name: String,
    pub points: String,
    pub target_y: i64,
    pub colour: &'static str,
}

#[derive(Template)]
#[template(path = "project.html")]
pub struct ProjectPageView {
    pub base: Base,
    pub project: ProjectRow,
    pub donor: String,
    pub partners: String,
    pub budget: String,
    pub lines: Vec<Line>,
    pub first_month: String,
    pub last_month: String,
}

const COLOURS: [&str; 6] = [
    "#1f5fa8", "#b3541e", "#2e7d32", "#6a1b9a", "#00838f", "#8d6e63",
];
/// The chart's drawing area, in SVG units.
const W: i64 = 600;
const H: i64 = 200;

pub async fn show(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    let p = state.app.project(&a, &id, lang.as_str()).await?;
    let orgs = state.app.organisations(&a).await?;
    let orgs: Vec<_> = orgs.orgs.into_iter().map(|e| e.org).collect();
    let n = p.burn_up.len().max(2) as i64 - 1;
    // Each line is scaled to its own target, so targets of different sizes share
    // the chart: the top is 120 % of each target.
    let lines = p
        .project
        .targets
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let top = (t.target.max(1) * 6 / 5).max(1);
            let y = |v: i64| H - (v.min(top) * H / top);
            Line {
                name: lang.pick(&t.name_bg, &t.name_en).to_owned(),
                points: p
                    .burn_up
                    .iter()
                    .enumerate()
                    .map(|(k, pt)| {
                        format!(
                            "{},{}",
                            k as i64 * W / n,
                            y(pt.achieved.get(i).copied().unwrap_or(0))
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" "),
                target_y: y(t.target),
                colour: COLOURS[i % COLOURS.len()],
            }
        })
        .collect();
    let partners = p
        .project
        .partners
        .iter()
        .map(|s| {
            orgs.iter()
                .find(|o| &o.slug == s)
                .map(|o| o.abbrev_bg.clone())
                .unwrap_or_else(|| s.clone())
        })
        .collect::<Vec<_>>()
        .join(", ");
    render(&ProjectPageView {
        donor: p.project.donor.clone().unwrap_or_else(|| "—".into()),
        budget: p
            .project
            .budget_stotinki
            .map(|b| format::money_bgn(b, lang))
            .unwrap_or_else(|| "—".into()),
        partners,
        first_month: p
            .burn_up
            .first()
            .map(|b| b.month.clone())
            .unwrap_or_default(),
        last_month: p
            .burn_up
            .last()
            .map(|b| b.month.clone())
            .unwrap_or_default(),
        lines,
        project: project_row(&p.project, lang, &orgs),
        base: Base::for_user(&a, lang, "projects-title"),
    })
}
