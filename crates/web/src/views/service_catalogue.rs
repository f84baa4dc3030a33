//! The service catalogue page (`/service-catalogue`): the national services and
//! the organisation's own, with the admins' form to add one and buttons to retire
//! one — over the same operations as `/api/v1/service-catalogue`.

use askama::Template;
use axum::{
    Form,
    extract::{Path, State},
    response::Response,
};
use zakrila_app::{
    AppError,
    service_catalogue::{CatalogueEntry, NewCatalogueEntryBody},
};
use zakrila_domain::{
    policy::{Action, Resource},
    user::Locale,
};

use crate::{
    auth::{Authed, PageUser},
    error::HttpError,
    i18n::t,
    lang::Lang,
    state::AppState,
    views::{layout::Base, render, unprocessable},
};

#[derive(Template)]
#[template(path = "service_catalogue.html")]
pub struct CataloguePage {
    pub base: Base,
    pub national: Vec<CatalogueEntry>,
    pub own: Vec<CatalogueEntry>,
    pub can_manage: bool,
    pub errors: Vec<String>,
    pub form: NewCatalogueEntryBody,
}

impl CataloguePage {
    /// The entry's name in the page's language.
    pub fn name<'a>(&self, e: &'a CatalogueEntry) -> &'a str {
        self.base.lang.pick(&e.name_bg, &e.name_en)
    }
    pub fn description<'a>(&self, e: &'a CatalogueEntry) -> &'a str {
        self.base.lang.pick(&e.description_bg, &e.description_en)
    }
}

async fn page_of(
    state: &AppState,
    a: &Authed,
    lang: Locale,
    errors: Vec<String>,
    form: NewCatalogueEntryBody,
) -> Result<CataloguePage, HttpError> {
    let (national, own) = state
        .app
        .service_catalogue(a)
        .await?
        .into_iter()
        .partition(|e| !e.own);
    Ok(CataloguePage {
        base: Base::for_user(a, lang, "catalogue-title"),
        national,
        own,
        can_manage: a.can(
            Action::ManageServiceCatalogue,
            &Resource::Org(a.actor.org_id),
        ),
        errors,
        form,
    })
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
) -> Result<Response, HttpError> {
    render(&page_of(&state, &a, lang, vec![], Default::default()).await?)
}

pub async fn add(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Form(f): Form<NewCatalogueEntryBody>,
) -> Result<Response, HttpError> {
    match state.app.add_catalogue_entry(&a, f.clone()).await {
        Ok(_) => Ok(crate::flash::redirect(
            "/service-catalogue",
            "flash-catalogue-added",
        )),
        Err(e @ AppError::Invalid(_)) => {
            let msgs = e.keys().into_iter().map(|k| t(lang, k)).collect();
            Ok(unprocessable(render(
                &page_of(&state, &a, lang, msgs, f).await?,
            )?))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn retire(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Path(code): Path<String>,
) -> Result<Response, HttpError> {
    state.app.retire_catalogue_entry(&a, &code).await?;
    Ok(crate::flash::redirect(
        "/service-catalogue",
        "flash-catalogue-retired",
    ))
}
