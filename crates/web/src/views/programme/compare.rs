//! Two years of the Programme side by side: activities added, removed and changed
//! (matched by code), so the Commission sees what the new year's Programme alters;
//! the comparison is `App::compare_programmes`.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
};
use serde::Deserialize;
use zakrila_app::programme::compare::Named;
use zakrila_programme::ChangedField;

use crate::{
    auth::PageUser,
    error::HttpError,
    lang::Lang,
    state::AppState,
    views::{layout::Base, render},
};

#[derive(Deserialize)]
pub struct CompareQuery {
    a: i32,
    b: i32,
}

pub struct Changed {
    pub code: String,
    pub title: String,
    pub fields: String,
}

#[derive(Template)]
#[template(path = "programme_compare.html")]
pub struct ComparePage {
    pub base: Base,
    pub a: i32,
    pub b: i32,
    pub years: Vec<i32>,
    pub added: Vec<(String, String)>,
    pub removed: Vec<(String, String)>,
    pub changed: Vec<Changed>,
}

fn field_key(f: ChangedField) -> &'static str {
    match f {
        ChangedField::Title => "programme-activity",
        ChangedField::Section => "programme-section",
        ChangedField::StrategicObjective => "programme-objective",
        ChangedField::OperationalObjective => "programme-operational",
        ChangedField::Budget => "programme-budget",
        ChangedField::Deadline => "programme-deadline",
        ChangedField::ExpectedResults => "programme-expected",
        ChangedField::Indicators => "programme-indicators",
        ChangedField::Lead => "programme-lead",
        ChangedField::Partners => "programme-partners",
    }
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Query(q): Query<CompareQuery>,
) -> Result<Response, HttpError> {
    let c = state.app.compare_programmes(&a, q.a, q.b).await?;
    let base = Base::for_user(&a, lang, "programme-compare");
    let pairs = |v: Vec<Named>| v.into_iter().map(|n| (n.code, n.title)).collect();
    render(&ComparePage {
        a: q.a,
        b: q.b,
        years: c.years,
        added: pairs(c.added),
        removed: pairs(c.removed),
        changed: c
            .changed
            .into_iter()
            .map(|ch| Changed {
                code: ch.code,
                title: ch.title,
                fields: ch
                    .fields
                    .iter()
                    .map(|f| base.t(field_key(*f)))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect(),
        base,
    })
}
