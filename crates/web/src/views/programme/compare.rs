//! Two years of the Programme side by side: activities added, removed and changed
//! (matched by code), so the Commission sees what the new year's Programme alters.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
};
use serde::Deserialize;
use zakrila_domain::policy::{Action, Resource};
use zakrila_programme::{ChangedField, compare};

use crate::{
    auth::PageUser,
    error::{AppError, HttpError},
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
    a.require(Action::ViewProgramme, &Resource::System)?;
    let before = state
        .store
        .load_programme(q.a)
        .await?
        .ok_or(AppError::NotFound)?;
    let after = state
        .store
        .load_programme(q.b)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = compare(&before.programme, &after.programme);
    let base = Base::for_user(&a, lang, "programme-compare");
    let title = |p: &zakrila_programme::Programme, code: &str| {
        p.activity(code)
            .map(|x| x.title.clone())
            .unwrap_or_default()
    };
    render(&ComparePage {
        a: q.a,
        b: q.b,
        years: state.store.programme_years().await?,
        added: c
            .added
            .iter()
            .map(|code| (code.clone(), title(&after.programme, code)))
            .collect(),
        removed: c
            .removed
            .iter()
            .map(|code| (code.clone(), title(&before.programme, code)))
            .collect(),
        changed: c
            .changed
            .iter()
            .map(|ch| Changed {
                code: ch.code.clone(),
                title: title(&after.programme, &ch.code),
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
