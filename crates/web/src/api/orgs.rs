//! `/api/v1/organisations`: the organisation directory.

use axum::{
    Json,
    extract::{Path, State},
};
use serde::Serialize;
use utoipa::ToSchema;
use zakrila_app::{directory::ContactsInput, orgs::DirectoryEntry};

use crate::{auth::ApiUser, error::HttpError, state::AppState};

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

fn to_api(e: DirectoryEntry) -> Organisation {
    Organisation {
        kind: e.org.kind.as_str().to_owned(),
        slug: e.org.slug,
        abbrev_bg: e.org.abbrev_bg,
        name_bg: e.org.name_bg,
        name_en: e.org.name_en,
        parent: e.parent_slug,
    }
}

/// All organisations of the network.
#[utoipa::path(get, path = "/api/v1/organisations", tag = "organisations", responses((status = 200, body = Vec<Organisation>)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
) -> Result<Json<Vec<Organisation>>, HttpError> {
    let d = state.app.organisations(&a).await?;
    Ok(Json(d.orgs.into_iter().map(to_api).collect()))
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
    Ok(Json(to_api(state.app.organisation(&a, &slug).await?)))
}

/// An organisation's public contacts (the same shape `PUT` takes).
#[utoipa::path(get, path = "/api/v1/organisations/{slug}/contacts", tag = "organisations",
    params(("slug" = String, Path, description = "stable Latin slug, e.g. `iom`")),
    responses((status = 200, body = ContactsInput), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn get_contacts(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(slug): Path<String>,
) -> Result<Json<ContactsInput>, HttpError> {
    let oc = state.app.org_contacts(&a, &slug).await?;
    Ok(Json(ContactsInput::of(&oc.contacts)))
}

/// Replaces an organisation's public contacts (its own admins, the Commission's).
/// Invalid input changes nothing and names every problem.
#[utoipa::path(put, path = "/api/v1/organisations/{slug}/contacts", tag = "organisations",
    params(("slug" = String, Path, description = "stable Latin slug, e.g. `iom`")),
    request_body = ContactsInput,
    responses((status = 200, body = ContactsInput),
        (status = 403, body = super::ProblemDoc, content_type = "application/problem+json"),
        (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"),
        (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn put_contacts(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(slug): Path<String>,
    Json(body): Json<ContactsInput>,
) -> Result<Json<ContactsInput>, HttpError> {
    let c = state.app.edit_contacts(&a, &slug, body).await?;
    state.public.invalidate();
    Ok(Json(ContactsInput::of(&c)))
}
