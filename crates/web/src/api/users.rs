//! `/api/v1/users`: accounts, for admins.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zakrila_domain::{
    password::NewPassword,
    policy::{Action, Resource},
    role::Role,
    user::Email,
};
use zakrila_store::{accounts::NewUser, entity::user};

use crate::{auth::ApiUser, error::AppError, state::AppState};

#[derive(Serialize, ToSchema)]
pub struct User {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub organisation: String,
    pub role: String,
    pub status: String,
    pub totp_enabled: bool,
}

async fn to_api(state: &AppState, u: user::Model) -> Result<User, AppError> {
    let org = state
        .store
        .org_by_id(&u.org_id)
        .await?
        .map(|o| o.slug)
        .unwrap_or_default();
    Ok(User {
        id: u.id,
        email: u.email,
        display_name: u.display_name,
        organisation: org,
        role: u.role,
        status: u.status,
        totp_enabled: u.totp_enabled,
    })
}

/// Accounts this admin may see: everyone for NCCTHB's admins, else their organisation's.
#[utoipa::path(get, path = "/api/v1/users", tag = "accounts", responses((status = 200, body = Vec<User>), (status = 403, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
) -> Result<Json<Vec<User>>, AppError> {
    a.require(Action::ViewUsers, &Resource::Org(a.actor.org_id))?;
    let mut out = vec![];
    for u in crate::views::users::visible_users(&state, &a).await? {
        out.push(to_api(&state, u).await?);
    }
    Ok(Json(out))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    pub email: String,
    pub display_name: String,
    /// Organisation slug.
    pub organisation: String,
    pub role: String,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedUser {
    #[serde(flatten)]
    pub user: User,
    /// Shown this once; the user must change it at first sign-in.
    pub one_time_password: String,
}

/// Creates an account with a one-time password.
#[utoipa::path(post, path = "/api/v1/users", tag = "accounts", request_body = CreateUser, responses(
    (status = 201, body = CreatedUser),
    (status = 400, body = super::ProblemDoc, content_type = "application/problem+json"),
    (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Json(c): Json<CreateUser>,
) -> Result<(StatusCode, Json<CreatedUser>), AppError> {
    let org = state.store.org_by_slug(&c.organisation).await?;
    let org_uuid = org
        .as_ref()
        .and_then(|o| uuid::Uuid::parse_str(&o.id).ok())
        .unwrap_or(a.actor.org_id);
    a.require(Action::ManageUsers, &Resource::Org(org_uuid))?;
    let mut errors = vec![];
    let email = Email::parse(&c.email).map_err(|e| errors.push(e)).ok();
    let role = Role::parse(&c.role).map_err(|e| errors.push(e)).ok();
    if c.display_name.trim().is_empty() {
        errors.push(zakrila_domain::DomainError::field(
            "display_name",
            "error-name-empty",
        ));
    }
    if org.is_none() {
        errors.push(zakrila_domain::DomainError::field(
            "organisation",
            "error-org-unknown",
        ));
    }
    let (Some(email), Some(role), true) = (email, role, errors.is_empty()) else {
        return Err(errors.into());
    };
    let password = zakrila_store::accounts::one_time_password();
    let u = state
        .store
        .create_user(
            Some(a.user_uuid()),
            NewUser {
                email,
                display_name: c.display_name.trim().to_owned(),
                org_slug: c.organisation,
                role,
                password: NewPassword::parse(&password)?,
                must_change_password: true,
            },
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedUser {
            user: to_api(&state, u).await?,
            one_time_password: password,
        }),
    ))
}

/// Disables an account and ends its sessions.
#[utoipa::path(post, path = "/api/v1/users/{id}/disable", tag = "accounts", params(("id" = String, Path)), responses((status = 204), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn disable(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    let u = crate::access::user_for(&state, &a, &id).await?;
    state.store.disable_user(Some(a.user_uuid()), &u.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
