//! `/api/v1/projects`: projects with their targets and live progress. Thin
//! adapters over `zakrila_app::projects`.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use zakrila_app::projects::{ProjectBody, ProjectOut, ProjectPage};

use crate::{auth::ApiUser, error::HttpError, state::AppState};

/// Every project, each target as `{name, target, achieved}` counted live.
#[utoipa::path(get, path = "/api/v1/projects", tag = "projects", responses((status = 200, body = Vec<ProjectOut>)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
) -> Result<Json<Vec<ProjectOut>>, HttpError> {
    let lang = a.user.locale.as_str();
    Ok(Json(state.app.projects(&a, lang).await?))
}

/// Creates a project with targets chosen from the catalogue of queries.
#[utoipa::path(post, path = "/api/v1/projects", tag = "projects", request_body = ProjectBody,
    responses((status = 201, body = ProjectOut), (status = 403, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Json(b): Json<ProjectBody>,
) -> Result<(StatusCode, Json<ProjectOut>), HttpError> {
    Ok((
        StatusCode::CREATED,
        Json(state.app.create_project(&a, b).await?),
    ))
}

/// One project with its targets and their burn-up month by month.
#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "projects", params(("id" = String, Path)),
    responses((status = 200, body = ProjectPage), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn get(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<ProjectPage>, HttpError> {
    let lang = a.user.locale.as_str();
    Ok(Json(state.app.project(&a, &id, lang).await?))
}
