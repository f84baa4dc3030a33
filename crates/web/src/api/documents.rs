//! `/api/v1/cases/{id}/documents`: a case's documents — attach (multipart), list,
//! download (audited), remove. Thin adapters over `zakrila_app::documents`.

use axum::{
    Json,
    extract::{Multipart, Path, State, multipart::MultipartRejection},
    http::StatusCode,
    response::Response,
};
use zakrila_app::documents::DocumentOut;

use crate::{auth::ApiUser, error::HttpError, state::AppState};

/// The multipart form of an upload: the text fields first, the file last.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct DocumentUpload {
    /// consent_form, identity_document, medical, court, other.
    kind: String,
    /// A short description without names (at most 200 characters).
    caption: Option<String>,
    /// PDF, JPEG, PNG or DOCX, told by its content; at most the configured size
    /// (20 MB unless set otherwise).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// A case's documents, newest first (without the names the files had).
#[utoipa::path(get, path = "/api/v1/cases/{id}/documents", tag = "documents", params(("id" = String, Path)), responses((status = 200, body = Vec<DocumentOut>)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<DocumentOut>>, HttpError> {
    Ok(Json(state.app.documents(&a, &id).await?))
}

/// Attaches a document; its type is told by its content. Refused (422, nothing
/// stored) when the content is no accepted type or passes the size limit.
#[utoipa::path(post, path = "/api/v1/cases/{id}/documents", tag = "documents", params(("id" = String, Path)),
    request_body(content = DocumentUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = DocumentOut), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn attach(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    form: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<DocumentOut>), HttpError> {
    let d = crate::documents::attach(&state, &a, &id, form).await?;
    Ok((StatusCode::CREATED, Json(d)))
}

/// Downloads a document as an attachment under a generated name; the read is
/// recorded in the audit trail.
#[utoipa::path(get, path = "/api/v1/cases/{id}/documents/{doc}", tag = "documents", params(("id" = String, Path), ("doc" = String, Path)),
    responses((status = 200, description = "The document's content.", content_type = "application/octet-stream")))]
pub async fn download(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path((id, doc)): Path<(String, String)>,
) -> Result<Response, HttpError> {
    let d = state.app.download_document(&a, &id, &doc).await?;
    Ok(crate::documents::download(d))
}

/// Removes a document and its content.
#[utoipa::path(delete, path = "/api/v1/cases/{id}/documents/{doc}", tag = "documents", params(("id" = String, Path), ("doc" = String, Path)),
    responses((status = 204, description = "Removed.")))]
pub async fn remove(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path((id, doc)): Path<(String, String)>,
) -> Result<StatusCode, HttpError> {
    state.app.remove_document(&a, &id, &doc).await?;
    Ok(StatusCode::NO_CONTENT)
}
