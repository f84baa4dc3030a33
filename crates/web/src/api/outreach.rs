//! `/api/v1/places`, `/api/v1/consultations` and `/api/v1/events`: the directory of
//! places, the mobile teams' consultations and the events. Thin adapters over
//! `zakrila_app::outreach`.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use serde::Serialize;
use utoipa::ToSchema;
use zakrila_app::{
    cases::Registered,
    outreach::{
        ConsultationBody, ConsultationOut, EventBody, EventOut, OpenCaseBody, PlaceBody, PlaceOut,
    },
};

use crate::{auth::ApiUser, error::HttpError, state::AppState};

/// Every place of the directory (reception centres, homes, shelters).
#[utoipa::path(get, path = "/api/v1/places", tag = "outreach", responses((status = 200, body = Vec<PlaceOut>)))]
pub async fn places(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
) -> Result<Json<Vec<PlaceOut>>, HttpError> {
    Ok(Json(state.app.places(&a).await?))
}

/// Adds a place (the Commission's admins and coordinators).
#[utoipa::path(post, path = "/api/v1/places", tag = "outreach", request_body = PlaceBody,
    responses((status = 201, body = PlaceOut), (status = 403, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn create_place(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Json(b): Json<PlaceBody>,
) -> Result<(StatusCode, Json<PlaceOut>), HttpError> {
    Ok((
        StatusCode::CREATED,
        Json(state.app.create_place(&a, b).await?),
    ))
}

/// The caller's organisation's latest consultations.
#[utoipa::path(get, path = "/api/v1/consultations", tag = "outreach", responses((status = 200, body = Vec<ConsultationOut>), (status = 403, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn consultations(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
) -> Result<Json<Vec<ConsultationOut>>, HttpError> {
    Ok(Json(state.app.consultations(&a).await?))
}

/// A recorded consultation, and the case opened from it if one was.
#[derive(Serialize, ToSchema)]
pub struct Recorded {
    pub consultation: ConsultationOut,
    pub case: Option<Registered>,
}

/// Records a consultation; with `open_case` and `person`, opens the person's case
/// in the same step.
#[utoipa::path(post, path = "/api/v1/consultations", tag = "outreach", request_body = ConsultationBody,
    responses((status = 201, body = Recorded), (status = 403, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn record(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Json(b): Json<ConsultationBody>,
) -> Result<(StatusCode, Json<Recorded>), HttpError> {
    let (consultation, case) = state.app.record_consultation(&a, b).await?;
    Ok((StatusCode::CREATED, Json(Recorded { consultation, case })))
}

/// One consultation of the caller's organisation.
#[utoipa::path(get, path = "/api/v1/consultations/{id}", tag = "outreach", params(("id" = String, Path)),
    responses((status = 200, body = ConsultationOut), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn consultation(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<ConsultationOut>, HttpError> {
    Ok(Json(state.app.consultation(&a, &id).await?))
}

/// Opens a case for the person of a consultation (names given now).
#[utoipa::path(post, path = "/api/v1/consultations/{id}/case", tag = "outreach", params(("id" = String, Path)), request_body = OpenCaseBody,
    responses((status = 201, body = Registered), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 409, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn open_case(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(b): Json<OpenCaseBody>,
) -> Result<(StatusCode, Json<Registered>), HttpError> {
    let r = state.app.open_case_from_consultation(&a, &id, b).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// The network's latest events.
#[utoipa::path(get, path = "/api/v1/events", tag = "outreach", responses((status = 200, body = Vec<EventOut>)))]
pub async fn events(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
) -> Result<Json<Vec<EventOut>>, HttpError> {
    Ok(Json(state.app.list_events(&a).await?))
}

/// Records an event; the participants' total must equal the sum of the categories.
#[utoipa::path(post, path = "/api/v1/events", tag = "outreach", request_body = EventBody,
    responses((status = 201, body = EventOut), (status = 403, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn record_event(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Json(b): Json<EventBody>,
) -> Result<(StatusCode, Json<EventOut>), HttpError> {
    Ok((
        StatusCode::CREATED,
        Json(state.app.record_event(&a, b).await?),
    ))
}

/// One event with its participants by category.
#[utoipa::path(get, path = "/api/v1/events/{id}", tag = "outreach", params(("id" = String, Path)),
    responses((status = 200, body = EventOut), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn event(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<EventOut>, HttpError> {
    Ok(Json(state.app.event(&a, &id).await?))
}
