//! `/api/v1/users`: accounts, for admins. The operations are `zakrila_app::accounts`.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use serde::Serialize;
use utoipa::ToSchema;
use zakrila_app::accounts::{AccountRow, NewAccount};

use crate::{auth::ApiUser, error::HttpError, state::AppState};

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

impl From<AccountRow> for User {
    fn from(r: AccountRow) -> Self {
        let u = r.account;
        User {
            organisation: r.org.map(|o| o.slug).unwrap_or_default(),
            role: u.role.map_or("unknown", |r| r.as_str()).to_owned(),
            status: if u.active { "active" } else { "disabled" }.to_owned(),
            id: u.id,
            email: u.email,
            display_name: u.display_name,
            totp_enabled: u.totp_enabled,
        }
    }
}

/// Accounts this admin may see: everyone for the Commission's admins, else their
/// organisation's.
#[utoipa::path(get, path = "/api/v1/users", tag = "accounts", responses((status = 200, body = Vec<User>), (status = 403, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
) -> Result<Json<Vec<User>>, HttpError> {
    let o = state.app.accounts(&a).await?;
    Ok(Json(o.accounts.into_iter().map(User::from).collect()))
}

/// What an admin sends to create an account.
#[derive(serde::Deserialize, ToSchema)]
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
) -> Result<(StatusCode, Json<CreatedUser>), HttpError> {
    let created = state
        .app
        .create_account(
            &a,
            NewAccount {
                email: c.email,
                display_name: c.display_name,
                organisation: c.organisation,
                role: c.role,
            },
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedUser {
            user: created.row.into(),
            one_time_password: created.one_time_password,
        }),
    ))
}

/// Disables an account and ends its sessions.
#[utoipa::path(post, path = "/api/v1/users/{id}/disable", tag = "accounts", params(("id" = String, Path)), responses((status = 204), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 409, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn disable(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<StatusCode, HttpError> {
    state.app.disable_account(&a, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
