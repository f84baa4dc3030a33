//! `GET /api/v1/me`: who the caller is.

use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::ApiUser;

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub locale: String,
    pub organisation: String,
    pub totp_enabled: bool,
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", responses(
    (status = 200, body = Me),
    (status = 401, body = super::ProblemDoc, content_type = "application/problem+json"),
))]
pub async fn me(ApiUser(a): ApiUser) -> Json<Me> {
    Json(Me {
        id: a.user.id,
        email: a.user.email,
        display_name: a.user.display_name,
        role: a.actor.role.as_str().to_owned(),
        locale: a.user.locale.as_str().to_owned(),
        organisation: a.org.slug,
        totp_enabled: a.user.totp_enabled,
    })
}
