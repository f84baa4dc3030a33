//! Referrals between organisations, and services delivered for a case: HTTP over
//! `zakrila_app::referrals`, which the pages call too.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode},
};
use zakrila_domain::case::ReferralAction;

pub use zakrila_app::referrals::{
    DeclineBody, InboxQuery as InboxParams, NewReferralBody, NewServiceBody, Referral, Service,
    ServiceStatusBody,
};

use crate::{auth::ApiUser, error::HttpError, state::AppState};

/// Refers a case to another organisation. Needs the person's referral consent
/// unless a written override reason is given.
#[utoipa::path(post, path = "/api/v1/cases/{id}/referrals", tag = "referrals", params(("id" = String, Path)), request_body = NewReferralBody,
    responses((status = 201, body = Referral), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(b): Json<NewReferralBody>,
) -> Result<(StatusCode, Json<Referral>), HttpError> {
    let r = state.app.refer(&a, &id, b).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// Referrals addressed to the caller's organisation (pending unless `status` says
/// otherwise), newest first, a page at a time (`page`, `limit` ≤ 200, 50 by
/// default); `X-Total-Count` says how many match in all.
#[utoipa::path(get, path = "/api/v1/referrals", tag = "referrals", params(InboxParams), responses((status = 200, body = Vec<Referral>, headers(("X-Total-Count" = u64, description = "Matching referrals in all")))))]
pub async fn inbox(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Query(p): Query<InboxParams>,
) -> Result<(HeaderMap, Json<Vec<Referral>>), HttpError> {
    let inbox = state.app.inbox(&a, &p.pending_by_default()).await?;
    let mut headers = HeaderMap::new();
    headers.insert("x-total-count", HeaderValue::from(inbox.total));
    Ok((
        headers,
        Json(inbox.items.into_iter().map(|i| i.referral).collect()),
    ))
}

/// Accepts a referral: the case becomes visible to the receiving organisation.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/accept", tag = "referrals", params(("id" = String, Path)), responses((status = 200, body = Referral), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn accept(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Referral>, HttpError> {
    Ok(Json(
        state
            .app
            .act_on_referral(&a, &id, ReferralAction::Accept)
            .await?,
    ))
}

/// Declines a referral, with a reason.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/decline", tag = "referrals", params(("id" = String, Path)), request_body = DeclineBody, responses((status = 200, body = Referral)))]
pub async fn decline(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(b): Json<DeclineBody>,
) -> Result<Json<Referral>, HttpError> {
    Ok(Json(state.app.decline_referral(&a, &id, b).await?))
}

/// Marks an accepted referral completed: the receiver's access ends.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/complete", tag = "referrals", params(("id" = String, Path)), responses((status = 200, body = Referral)))]
pub async fn complete(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Referral>, HttpError> {
    Ok(Json(
        state
            .app
            .act_on_referral(&a, &id, ReferralAction::Complete)
            .await?,
    ))
}

/// Revokes a referral (the sender): the receiver loses access at once.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/revoke", tag = "referrals", params(("id" = String, Path)), responses((status = 200, body = Referral)))]
pub async fn revoke(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Referral>, HttpError> {
    Ok(Json(
        state
            .app
            .act_on_referral(&a, &id, ReferralAction::Revoke)
            .await?,
    ))
}

/// Plans a service for the case.
#[utoipa::path(post, path = "/api/v1/cases/{id}/services", tag = "cases", params(("id" = String, Path)), request_body = NewServiceBody, responses((status = 201, body = Service), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn add_service(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(b): Json<NewServiceBody>,
) -> Result<(StatusCode, Json<Service>), HttpError> {
    let s = state.app.plan_service(&a, &id, b).await?;
    Ok((StatusCode::CREATED, Json(s)))
}

/// Moves a service along planned → in progress → delivered (or cancelled).
#[utoipa::path(post, path = "/api/v1/services/{id}/status", tag = "cases", params(("id" = String, Path)), request_body = ServiceStatusBody, responses((status = 200, body = Service), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn service_status(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(b): Json<ServiceStatusBody>,
) -> Result<Json<Service>, HttpError> {
    Ok(Json(state.app.set_service_status(&a, &id, b).await?))
}
