//! `/api/v1/signals`: the hotline's signals (record, queue, read under audit,
//! triage, refer, acknowledge, close, open a case), and `/api/v1/public/tips`, the
//! anonymous tip form's JSON twin (no token). Thin adapters over
//! `zakrila_app::signals` and `zakrila_app::tips`.

use std::net::SocketAddr;

use axum::{
    Json,
    extract::{ConnectInfo, Path, State},
    http::{HeaderMap, StatusCode},
};
use zakrila_app::{
    cases::Registered,
    duplicates::DuplicateBody,
    signals::{
        CaseFromSignalBody, CloseBody, ReferBody, SignalBody, SignalDetail, SignalOut, TriageBody,
    },
    tips::{Receipt, TipAddition, TipBody},
};

use crate::{auth::ApiUser, error::HttpError, state::AppState};

/// The caller's hotline queue (open signals by urgency, then age; then the latest
/// closed), followed by the signals referred to the caller's organisation.
#[utoipa::path(get, path = "/api/v1/signals", tag = "signals", responses((status = 200, body = Vec<SignalOut>), (status = 403, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
) -> Result<Json<Vec<SignalOut>>, HttpError> {
    Ok(Json(state.app.signals(&a).await?))
}

/// Records a signal in the caller's hotline.
#[utoipa::path(post, path = "/api/v1/signals", tag = "signals", request_body = SignalBody,
    responses((status = 201, body = SignalOut), (status = 403, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn record(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Json(b): Json<SignalBody>,
) -> Result<(StatusCode, Json<SignalOut>), HttpError> {
    Ok((
        StatusCode::CREATED,
        Json(state.app.record_signal(&a, b).await?),
    ))
}

/// One signal with its summary, contact, additions and what was sent (an
/// audited read).
#[utoipa::path(get, path = "/api/v1/signals/{id}", tag = "signals", params(("id" = String, Path)),
    responses((status = 200, body = SignalDetail), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn get(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<SignalDetail>, HttpError> {
    Ok(Json(state.app.signal(&a, &id).await?))
}

/// Takes a new signal, confirming or changing its urgency.
#[utoipa::path(post, path = "/api/v1/signals/{id}/triage", tag = "signals", params(("id" = String, Path)), request_body = TriageBody,
    responses((status = 200, body = SignalOut), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 409, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn triage(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(b): Json<TriageBody>,
) -> Result<Json<SignalOut>, HttpError> {
    Ok(Json(state.app.triage_signal(&a, &id, b).await?))
}

/// Refers a signal to institutions of the directory, with what was sent.
#[utoipa::path(post, path = "/api/v1/signals/{id}/referrals", tag = "signals", params(("id" = String, Path)), request_body = ReferBody,
    responses((status = 200, body = SignalOut), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 409, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn refer(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(b): Json<ReferBody>,
) -> Result<Json<SignalOut>, HttpError> {
    Ok(Json(state.app.refer_signal(&a, &id, b).await?))
}

/// The receiving institution acknowledges a signal referred to it.
#[utoipa::path(post, path = "/api/v1/signals/{id}/acknowledge", tag = "signals", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn acknowledge(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<StatusCode, HttpError> {
    state.app.acknowledge_signal(&a, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Closes a signal with its outcome.
#[utoipa::path(post, path = "/api/v1/signals/{id}/close", tag = "signals", params(("id" = String, Path)), request_body = CloseBody,
    responses((status = 200, body = SignalOut), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 409, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn close(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(b): Json<CloseBody>,
) -> Result<Json<SignalOut>, HttpError> {
    Ok(Json(state.app.close_signal(&a, &id, b).await?))
}

/// Marks a signal as a duplicate of another the caller sees, closing it with the
/// outcome "duplicate"; each then shows the other (`original`, `duplicates`).
#[utoipa::path(post, path = "/api/v1/signals/{id}/duplicate", tag = "signals", params(("id" = String, Path)), request_body = DuplicateBody,
    responses((status = 200, body = SignalOut), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 409, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn duplicate(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(b): Json<DuplicateBody>,
) -> Result<Json<SignalOut>, HttpError> {
    Ok(Json(state.app.mark_duplicate(&a, &id, b).await?))
}

/// Opens a case from a signal (its forms, children and country carried over);
/// the signal is closed with "case opened" and remembers the case.
#[utoipa::path(post, path = "/api/v1/signals/{id}/case", tag = "signals", params(("id" = String, Path)), request_body = CaseFromSignalBody,
    responses((status = 201, body = Registered), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 409, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn open_case(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(b): Json<CaseFromSignalBody>,
) -> Result<(StatusCode, Json<Registered>), HttpError> {
    let r = state.app.open_case_from_signal(&a, &id, b).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// An anonymous tip (no token): lands in the tip desk's queue as a web form. The
/// receipt is shown only in this answer; with it, `/api/v1/public/tips/more` adds
/// information. At most a few tips per client address and hour (429 beyond).
#[utoipa::path(post, path = "/api/v1/public/tips", tag = "public", security(()), request_body = TipBody,
    responses((status = 201, body = Receipt), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 429, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn tip(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(b): Json<TipBody>,
) -> Result<(StatusCode, Json<Receipt>), HttpError> {
    let addr = crate::auth::client_addr(&state, &headers, Some(peer));
    let desk = crate::views::tips::desk(&state);
    Ok((
        StatusCode::CREATED,
        Json(state.app.submit_tip(desk, &addr, b).await?),
    ))
}

/// Adds information to an earlier tip by its receipt (no token); nothing is read
/// back.
#[utoipa::path(post, path = "/api/v1/public/tips/more", tag = "public", security(()), request_body = TipAddition,
    responses((status = 204), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn tip_more(
    State(state): State<AppState>,
    Json(b): Json<TipAddition>,
) -> Result<StatusCode, HttpError> {
    state.app.add_to_tip(b).await?;
    Ok(StatusCode::NO_CONTENT)
}
