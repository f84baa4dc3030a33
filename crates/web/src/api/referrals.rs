//! Referrals between organisations, and services delivered for a case.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::StatusCode,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zakrila_domain::{
    DomainError,
    case::{DeclineReason, ReferralAction, ReferralStatus, ServiceStatus},
    policy::{Action, Resource},
};
use zakrila_store::{cases::NewService, entity::referral};

use crate::{
    access::{case_for, referral_for},
    api::cases::now,
    auth::{ApiUser, Authed},
    error::{AppError, HttpError},
    state::AppState,
};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReferralBody {
    /// The receiving organisation's slug.
    pub to_org: String,
    pub purpose: String,
    /// A service of the catalogue, when the referral is for one.
    pub service: Option<String>,
    #[serde(default)]
    pub note: String,
    /// Refer without the person's referral consent, for this written reason
    /// (caseworkers of the owning organisation only; audited).
    pub consent_override_reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Referral {
    pub id: String,
    pub case_id: String,
    pub from_org: String,
    pub to_org: String,
    pub purpose: String,
    pub service: Option<String>,
    pub status: String,
    pub decline_reason: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

async fn to_api(state: &AppState, r: referral::Model) -> Result<Referral, HttpError> {
    let slug = |id: String| async move {
        state
            .store
            .org_by_id(&id)
            .await
            .map(|o| o.map(|o| o.slug).unwrap_or_default())
    };
    Ok(Referral {
        from_org: slug(r.from_org).await?,
        to_org: slug(r.to_org).await?,
        id: r.id,
        case_id: r.case_id,
        purpose: r.purpose,
        service: r.service_code,
        status: r.status,
        decline_reason: r.decline_reason,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

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
    let c = case_for(&state, &a, &id, Action::ReferCase).await?;
    refer(&state, &a, &c.id, b)
        .await
        .map(|r| (StatusCode::CREATED, Json(r)))
}

pub async fn refer(
    state: &AppState,
    a: &Authed,
    case_id: &str,
    b: NewReferralBody,
) -> Result<Referral, HttpError> {
    let res = state
        .store
        .case_held_by(case_id, &a.org.id)
        .await?
        .ok_or(AppError::NotFound)?
        .0;
    let resource = crate::access::held_case_resource(a, &res);
    let overriding = b
        .consent_override_reason
        .as_deref()
        .is_some_and(|r| !r.trim().is_empty());
    if overriding {
        a.require(Action::OverrideConsent, &resource)?;
    }
    let to = state
        .store
        .org_by_slug(&b.to_org)
        .await?
        .ok_or(DomainError::field("to_org", "error-org-unknown"))?;
    let r = state
        .store
        .create_referral(
            a.user_uuid(),
            zakrila_store::cases::NewReferral {
                case_id: case_id.to_owned(),
                from_org: a.org.id.clone(),
                to_org: to.id,
                purpose: b.purpose,
                service_code: b.service.filter(|s| !s.is_empty()),
                note: b.note,
                consent_override: b.consent_override_reason,
            },
            now(),
        )
        .await?;
    to_api(state, r).await
}

#[derive(Deserialize, IntoParams)]
pub struct InboxParams {
    /// pending (default), accepted, declined, completed, revoked.
    status: Option<String>,
}

/// Referrals addressed to the caller's organisation.
#[utoipa::path(get, path = "/api/v1/referrals", tag = "referrals", params(InboxParams), responses((status = 200, body = Vec<Referral>)))]
pub async fn inbox(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Query(p): Query<InboxParams>,
) -> Result<Json<Vec<Referral>>, HttpError> {
    a.require(Action::ViewCase, &Resource::Org(a.actor.org_id))?;
    let status = ReferralStatus::parse(p.status.as_deref().unwrap_or("pending"))?;
    let mut out = vec![];
    for r in state.store.referrals_to(&a.org.id, Some(status)).await? {
        out.push(to_api(&state, r).await?);
    }
    Ok(Json(out))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct DeclineBody {
    /// Why the referral is declined (see the vocabulary `decline_reason`).
    pub reason: String,
}

pub async fn act(
    state: &AppState,
    a: &Authed,
    id: &str,
    action: ReferralAction,
) -> Result<Referral, HttpError> {
    referral_for(state, a, id, action == ReferralAction::Revoke).await?;
    let r = state
        .store
        .act_on_referral(a.user_uuid(), id, action)
        .await?;
    to_api(state, r).await
}

/// Accepts a referral: the case becomes visible to the receiving organisation.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/accept", tag = "referrals", params(("id" = String, Path)), responses((status = 200, body = Referral), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn accept(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Referral>, HttpError> {
    act(&state, &a, &id, ReferralAction::Accept).await.map(Json)
}

/// Declines a referral, with a reason.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/decline", tag = "referrals", params(("id" = String, Path)), request_body = DeclineBody, responses((status = 200, body = Referral)))]
pub async fn decline(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(b): Json<DeclineBody>,
) -> Result<Json<Referral>, HttpError> {
    let reason = DeclineReason::parse(&b.reason)?;
    act(&state, &a, &id, ReferralAction::Decline(reason))
        .await
        .map(Json)
}

/// Marks an accepted referral completed: the receiver's access ends.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/complete", tag = "referrals", params(("id" = String, Path)), responses((status = 200, body = Referral)))]
pub async fn complete(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Referral>, HttpError> {
    act(&state, &a, &id, ReferralAction::Complete)
        .await
        .map(Json)
}

/// Revokes a referral (the sender): the receiver loses access at once.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/revoke", tag = "referrals", params(("id" = String, Path)), responses((status = 200, body = Referral)))]
pub async fn revoke(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Referral>, HttpError> {
    act(&state, &a, &id, ReferralAction::Revoke).await.map(Json)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewServiceBody {
    /// A catalogue code (`return`, `psychological`…).
    pub service: String,
    /// The providing organisation's slug; the caller's organisation by default.
    pub provider: Option<String>,
    /// `YYYY-MM-DD`.
    pub due_date: Option<String>,
    /// Cost in BGN, e.g. `"1234.56"`.
    pub cost_bgn: Option<String>,
    pub project: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Service {
    pub id: String,
    pub service: String,
    pub status: String,
    pub due_date: Option<String>,
    pub cost_stotinki: Option<i64>,
}

/// Plans a service for the case.
#[utoipa::path(post, path = "/api/v1/cases/{id}/services", tag = "cases", params(("id" = String, Path)), request_body = NewServiceBody, responses((status = 201, body = Service), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn add_service(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(b): Json<NewServiceBody>,
) -> Result<(StatusCode, Json<Service>), HttpError> {
    let c = case_for(&state, &a, &id, Action::EditCase).await?;
    let s = plan_service(&state, &a, &c.id, b).await?;
    Ok((
        StatusCode::CREATED,
        Json(Service {
            id: s.id,
            service: s.service_code,
            status: s.status,
            due_date: s.due_date,
            cost_stotinki: s.cost_stotinki,
        }),
    ))
}

pub async fn plan_service(
    state: &AppState,
    a: &Authed,
    case_id: &str,
    b: NewServiceBody,
) -> Result<zakrila_store::entity::case_service::Model, HttpError> {
    let mut errors = vec![];
    let provider = match b.provider.as_deref().filter(|s| !s.is_empty()) {
        Some(slug) => state
            .store
            .org_by_slug(slug)
            .await?
            .map(|o| o.id)
            .ok_or(DomainError::field("provider", "error-org-unknown"))
            .map_err(|e| errors.push(e))
            .ok(),
        None => Some(a.org.id.clone()),
    };
    let due = b
        .due_date
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|d| zakrila_domain::case::parse_date(d, "due_date"))
        .transpose()
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let cost = b
        .cost_bgn
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(zakrila_domain::case::Money::parse)
        .transpose()
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let Some(provider) = provider.filter(|_| errors.is_empty()) else {
        return Err(errors.into());
    };
    Ok(state
        .store
        .add_service(
            a.user_uuid(),
            NewService {
                case_id: case_id.to_owned(),
                service_code: b.service,
                provider_org: provider,
                due_date: due
                    .map(|d| format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())),
                cost_stotinki: cost.map(|m| m.stotinki()),
                project: b.project.filter(|p| !p.is_empty()),
            },
        )
        .await?)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceStatusBody {
    /// in_progress, delivered or cancelled.
    pub status: String,
}

/// Moves a service along planned → in progress → delivered (or cancelled).
#[utoipa::path(post, path = "/api/v1/services/{id}/status", tag = "cases", params(("id" = String, Path)), request_body = ServiceStatusBody, responses((status = 200, body = Service), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn service_status(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(b): Json<ServiceStatusBody>,
) -> Result<Json<Service>, HttpError> {
    let s = set_service_status(&state, &a, &id, &b.status).await?;
    Ok(Json(Service {
        id: s.id,
        service: s.service_code,
        status: s.status,
        due_date: s.due_date,
        cost_stotinki: s.cost_stotinki,
    }))
}

pub async fn set_service_status(
    state: &AppState,
    a: &Authed,
    id: &str,
    status: &str,
) -> Result<zakrila_store::entity::case_service::Model, HttpError> {
    let s = state
        .store
        .service_by_id(id)
        .await?
        .ok_or(AppError::NotFound)?;
    case_for(state, a, &s.case_id, Action::EditCase).await?;
    let to = ServiceStatus::parse(status)?;
    let today = now().date();
    Ok(state
        .store
        .set_service_status(
            a.user_uuid(),
            id,
            to,
            &format!(
                "{:04}-{:02}-{:02}",
                today.year(),
                today.month() as u8,
                today.day()
            ),
        )
        .await?)
}
