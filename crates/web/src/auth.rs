//! Who is asking. A request is authenticated by a bearer token (API clients) or by
//! the session cookie (browsers); either way the handler gets an `Authed` with the
//! user, their organisation and the domain `Actor` the policy judges.
//!
//! Sessions go through stages: password accepted → second factor (enrolment or
//! code) → forced password change → complete. `Pending` accepts a session at any
//! stage (for the pages that move it along); `Authed` only a complete one.

use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, header, request::Parts},
    response::{IntoResponse, Redirect, Response},
};
use uuid::Uuid;
use zakrila_domain::policy::{Action, Actor, Decision, Resource, authorize};
use zakrila_store::{
    accounts::{is_active, role_of},
    entity::{organisation, session, user},
};

use crate::{error::AppError, lang::cookie, state::AppState};

pub const SESSION_COOKIE: &str = "zk_session";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Session,
    Token,
}

#[derive(Debug, Clone)]
pub struct Authed {
    pub user: user::Model,
    pub org: organisation::Model,
    pub actor: Actor,
    pub via: Via,
}

impl Authed {
    pub fn user_uuid(&self) -> Uuid {
        self.actor.user_id
    }

    /// Asks the policy; a refusal becomes the matching error (404 when the
    /// resource must look absent).
    pub fn require(&self, action: Action, resource: &Resource) -> Result<(), AppError> {
        match authorize(&self.actor, action, resource) {
            Decision::Allow => Ok(()),
            Decision::Hidden => Err(AppError::NotFound),
            Decision::Forbidden => Err(AppError::Forbidden),
        }
    }

    pub fn can(&self, action: Action, resource: &Resource) -> bool {
        authorize(&self.actor, action, resource).is_allowed()
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// Whether the user's role must pass a second factor before seeing anything.
pub fn needs_second_factor(u: &user::Model) -> bool {
    u.totp_enabled || role_of(u).sees_identities()
}

async fn build(state: &AppState, u: user::Model, via: Via) -> Result<Authed, AppError> {
    let org = state
        .store
        .org_by_id(&u.org_id)
        .await?
        .ok_or(AppError::Internal)?;
    authed(u, org, via)
}

fn authed(u: user::Model, org: organisation::Model, via: Via) -> Result<Authed, AppError> {
    let actor = Actor {
        user_id: Uuid::parse_str(&u.id).map_err(|_| AppError::Internal)?,
        org_id: Uuid::parse_str(&org.id).map_err(|_| AppError::Internal)?,
        role: role_of(&u),
        in_commission: org.slug == "nccthb",
    };
    Ok(Authed {
        user: u,
        org,
        actor,
        via,
    })
}

/// A session at whatever stage, with its user.
#[derive(Debug, Clone)]
pub struct Pending {
    pub session: session::Model,
    pub token: String,
    pub user: user::Model,
}

async fn pending(parts: &Parts, state: &AppState) -> Result<Option<Pending>, AppError> {
    let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let Some(s) = state.store.session(token).await? else {
        return Ok(None);
    };
    let Some(u) = state.store.user_by_id(&s.user_id).await? else {
        return Ok(None);
    };
    if !is_active(&u) {
        return Ok(None);
    }
    Ok(Some(Pending {
        session: s,
        token: token.to_owned(),
        user: u,
    }))
}

/// Where a pending session must go next, or `None` when it is complete.
pub fn next_step(p: &Pending) -> Option<&'static str> {
    if !p.session.second_factor_ok {
        Some(if p.user.totp_enabled {
            "/login/totp"
        } else {
            "/login/totp/enrol"
        })
    } else if p.user.must_change_password {
        Some("/account/password")
    } else {
        None
    }
}

/// Rejection for pages: off to sign-in (or the next sign-in step).
pub struct ToLogin(&'static str);
impl IntoResponse for ToLogin {
    fn into_response(self) -> Response {
        Redirect::to(self.0).into_response()
    }
}

impl FromRequestParts<AppState> for Pending {
    type Rejection = ToLogin;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ToLogin> {
        pending(parts, state)
            .await
            .ok()
            .flatten()
            .ok_or(ToLogin("/login"))
    }
}

/// A fully signed-in browser user (for HTML pages).
pub struct PageUser(pub Authed);

impl FromRequestParts<AppState> for PageUser {
    type Rejection = ToLogin;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ToLogin> {
        let p = pending(parts, state)
            .await
            .ok()
            .flatten()
            .ok_or(ToLogin("/login"))?;
        if let Some(step) = next_step(&p) {
            return Err(ToLogin(step));
        }
        build(state, p.user, Via::Session)
            .await
            .map(PageUser)
            .map_err(|_| ToLogin("/login"))
    }
}

/// An API caller: bearer token, or a complete browser session.
pub struct ApiUser(pub Authed);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        if let Some(token) = bearer(&parts.headers) {
            let (u, org) = state
                .store
                .user_for_token(token)
                .await?
                .filter(|(u, _)| is_active(u))
                .ok_or(AppError::Unauthorized)?;
            return authed(u, org, Via::Token).map(ApiUser);
        }
        let p = pending(parts, state).await?.ok_or(AppError::Unauthorized)?;
        if next_step(&p).is_some() {
            return Err(AppError::Unauthorized);
        }
        build(state, p.user, Via::Session).await.map(ApiUser)
    }
}

/// The `Set-Cookie` value for a session token.
pub fn session_cookie(state: &AppState, token: &str) -> String {
    let secure = if state.cfg.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{secure}")
}

pub fn clear_session_cookie(state: &AppState) -> String {
    let secure = if state.cfg.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}")
}

/// The client address for per-address throttling.
pub fn client_addr(
    state: &AppState,
    headers: &HeaderMap,
    peer: Option<std::net::SocketAddr>,
) -> String {
    if state.cfg.trust_proxy
        && let Some(xff) = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok())
        && let Some(first) = xff.split(',').next()
    {
        return first.trim().to_owned();
    }
    peer.map(|p| p.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}
