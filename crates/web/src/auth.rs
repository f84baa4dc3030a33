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
pub use zakrila_app::{Authed, PendingSession, Via, session::NextStep};

use crate::{
    error::{AppError, HttpError},
    lang::cookie,
    state::AppState,
};

/// The session cookie's name over plain HTTP (see `WebConfig::session_cookie_name`).
pub const SESSION_COOKIE: &str = "zk_session";

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// A session at whatever sign-in stage (for the pages that move it along).
#[derive(Debug, Clone)]
pub struct Pending(pub PendingSession);

impl std::ops::Deref for Pending {
    type Target = PendingSession;
    fn deref(&self) -> &PendingSession {
        &self.0
    }
}

async fn pending(parts: &Parts, state: &AppState) -> Result<Option<PendingSession>, AppError> {
    match cookie(&parts.headers, state.cfg.session_cookie_name()) {
        Some(token) => state.app.pending_session(token).await,
        None => Ok(None),
    }
}

/// The page of a sign-in step.
pub fn step_path(step: NextStep) -> &'static str {
    match step {
        NextStep::SecondFactor => "/login/totp",
        NextStep::EnrolSecondFactor => "/login/totp/enrol",
        NextStep::ChangePassword => "/account/password",
    }
}

/// Where a pending session must go next, or `None` when it is complete.
pub fn next_step(p: &PendingSession) -> Option<&'static str> {
    p.next_step().map(step_path)
}

/// Rejection for pages: off to sign-in (or the next sign-in step).
pub struct ToLogin(&'static str);

impl ToLogin {
    /// Whether there is no session at all (rather than one with a step to pass).
    pub fn signed_out(&self) -> bool {
        self.0 == "/login"
    }
}
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
            .map(Pending)
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
        state
            .app
            .session_caller(p)
            .await
            .map(PageUser)
            .map_err(|_| ToLogin("/login"))
    }
}

/// An API caller: bearer token, or a complete browser session.
pub struct ApiUser(pub Authed);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = HttpError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        if let Some(token) = bearer(&parts.headers) {
            return Ok(ApiUser(state.app.token_caller(token).await?));
        }
        let p = pending(parts, state).await?.ok_or(AppError::Unauthorized)?;
        Ok(ApiUser(state.app.session_caller(p).await?))
    }
}

/// The `Set-Cookie` value for a session token.
pub fn session_cookie(state: &AppState, token: &str) -> String {
    let secure = if state.cfg.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let name = state.cfg.session_cookie_name();
    format!("{name}={token}; Path=/; HttpOnly; SameSite=Strict{secure}")
}

pub fn clear_session_cookie(state: &AppState) -> String {
    let secure = if state.cfg.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let name = state.cfg.session_cookie_name();
    format!("{name}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}")
}

/// The client address for per-address throttling.
pub fn client_addr(
    state: &AppState,
    headers: &HeaderMap,
    peer: Option<std::net::SocketAddr>,
) -> String {
    let peer = || {
        peer.map(|p| p.ip().to_string())
            .unwrap_or_else(|| "unknown".into())
    };
    let n = state.cfg.trusted_proxies;
    if n == 0 {
        return peer();
    }
    // Every proxy appends the address it was connected from, so the N-th entry
    // from the right is the one our outermost trusted proxy saw. With fewer
    // entries the request did not come through all of them: the leftmost is then
    // the furthest any of our proxies saw.
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let chosen = entries
        .len()
        .checked_sub(n)
        .map_or(entries.first(), |i| entries.get(i));
    chosen
        .and_then(|e| e.parse::<std::net::IpAddr>().ok())
        .map_or_else(peer, |ip| ip.to_string())
}
