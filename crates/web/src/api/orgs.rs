//! `/api/v1/organisations`: the organisation directory.

use axum::{
    Json,
    extract::{Path, State},
};
use serde::Serialize;
use utoipa::ToSchema;
use zakrila_domain::policy::{Action, Resource};
use zakrila_store::entity::organisation;

use crate::{
    auth::ApiUser,
    error::{AppError, HttpError},
    state::AppState,
};

#[derive(Serialize, ToSchema)]
pub struct Organisation {
    pub slug: String,
    pub abbrev_bg: String,
    pub name_bg: String,
    pub name_en: String,
    pub kind: String,
    /// The parent organisation's slug.
    pub parent: Option<String>,
}

fn to_api(o: &organisation::Model, all: &[organisation::Model]) -> Organisation {
    Organisation {
        slug: o.slug.clone(),
        abbrev_bg: o.abbrev_bg.clone(),
        name_bg: o.name_bg.clone(),
        name_en: o.name_en.clone(),
        kind: o.kind.clone(),
        parent: o
            .parent_id
            .as_ref()
            .and_then(|p| all.iter().find(|x| &x.id == p))
            .map(|p| p.slug.clone()),
    }
}

/// All organisations of the network.
#[utoipa::path(get, path = "/api/v1/organisations", tag = "organisations", responses((status = 200, body = Vec<Organisation>)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
) -> Result<Json<Vec<Organisation>>, HttpError> {
    a.require(Action::ViewOrganisations, &Resource::System)?;
    let all = state.store.list_orgs().await?;
    Ok(Json(all.iter().map(|o| to_api(o, &all)).collect()))
}

/// One organisation by its slug.
#[utoipa::path(get, path = "/api/v1/organisations/{slug}", tag = "organisations",
    params(("slug" = String, Path, description = "stable Latin slug, e.g. `iom`")),
    responses((status = 200, body = Organisation), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn get(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(slug): Path<String>,
) -> Result<Json<Organisation>, HttpError> {
    a.require(Action::ViewOrganisations, &Resource::System)?;
    let all = state.store.list_orgs().await?;
    let o = all
        .iter()
        .find(|o| o.slug == slug)
        .ok_or(AppError::NotFound)?;
    Ok(Json(to_api(o, &all)))
}
