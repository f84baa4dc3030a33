//! One error type for the whole HTTP layer, and the one place that turns errors into
//! responses: RFC 9457 problem+json under `/api`, a localised page elsewhere.
//!
//! Handlers return `HttpError` (an `AppError` on its way out); its response carries the error as an extension and
//! `render_errors` (a middleware that knows the request's language and path) writes
//! the body. The same middleware replaces the plain-text bodies of the framework's
//! own rejections (malformed JSON, too large, unknown route), whose messages could
//! echo input back.

use axum::{
    extract::{Request, State},
    http::{StatusCode, header},
    middleware::Next,
    response::{Html, IntoResponse, Response},
};
use zakrila_domain::{DomainError, user::Locale};

use crate::{
    auth::Authed,
    i18n::t,
    lang::{cookie, lang_of},
    state::AppState,
};

pub use zakrila_app::{AppError, FieldError};

/// An application error on its way out as a response. The one enum is
/// `zakrila_app::AppError`; this wrapper only exists so that it can be a response.
#[derive(Debug, Clone)]
pub struct HttpError(pub AppError);

fn status(e: &AppError) -> StatusCode {
    match e {
        AppError::Unauthorized => StatusCode::UNAUTHORIZED,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::Paused(_) => StatusCode::TOO_MANY_REQUESTS,
        AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<AppError> for HttpError {
    fn from(e: AppError) -> Self {
        HttpError(e)
    }
}

impl From<DomainError> for HttpError {
    fn from(e: DomainError) -> Self {
        HttpError(e.into())
    }
}

impl From<Vec<DomainError>> for HttpError {
    fn from(es: Vec<DomainError>) -> Self {
        HttpError(es.into())
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let mut r = status(&self.0).into_response();
        r.extensions_mut().insert(self.0);
        r
    }
}

/// The message key of a status that has no `AppError` behind it.
fn key_for_status(s: StatusCode) -> &'static str {
    match s.as_u16() {
        400 => "problem-bad-request",
        401 => "problem-unauthorized",
        403 => "problem-forbidden",
        404 => "problem-not-found",
        405 => "problem-method",
        408 => "problem-timeout",
        409 => "problem-conflict",
        413 => "problem-too-large",
        415 => "problem-media-type",
        422 => "problem-invalid",
        429 => "problem-too-many",
        _ => "problem-internal",
    }
}

fn conflict_key(c: &str) -> &'static str {
    match c {
        "stale" => "problem-conflict-stale",
        "erased" => "problem-conflict-erased",
        _ => "problem-conflict",
    }
}

/// Renders every error response of the application. See the module comment.
pub async fn render_errors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let lang = lang_of(req.headers());
    let session = cookie(req.headers(), state.cfg.session_cookie_name()).map(str::to_owned);
    let api = req.uri().path().starts_with("/api/");
    let resp = next.run(req).await;
    let status = resp.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return resp;
    }
    let err = resp.extensions().get::<AppError>().cloned();
    let has_own_body = err.is_none()
        && resp
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| {
                ct.starts_with("application/problem+json") || ct.starts_with("text/html")
            });
    if has_own_body {
        return resp;
    }
    // Framework rejections (JSON syntax, wrong field types) become 400: the request
    // was malformed, not merely invalid.
    let rejected = err.is_none()
        && (status == StatusCode::UNPROCESSABLE_ENTITY || status == StatusCode::BAD_REQUEST);
    let status = if rejected {
        StatusCode::BAD_REQUEST
    } else {
        status
    };
    let www_authenticate = resp.headers().get(header::WWW_AUTHENTICATE).cloned();
    let (title_key, errors) = match &err {
        Some(AppError::Invalid(fs)) => ("problem-invalid", fs.clone()),
        Some(AppError::Conflict(c)) => (conflict_key(c), vec![]),
        _ => (key_for_status(status), vec![]),
    };
    let mut out = if api {
        let named = if rejected {
            let body = axum::body::to_bytes(resp.into_body(), 16 * 1024)
                .await
                .unwrap_or_default();
            named_fields(&String::from_utf8_lossy(&body))
        } else {
            vec![]
        };
        problem(lang, status, title_key, &errors, &named)
    } else {
        // A signed-in user keeps the navigation: an error page must not look like
        // being signed out.
        let user = match session {
            Some(token) if status != StatusCode::UNAUTHORIZED => signed_in(&state, &token).await,
            _ => None,
        };
        page(lang, status, title_key, &errors, user.as_ref())
    };
    // Keep headers the inner layers set for a reason (e.g. WWW-Authenticate).
    if let Some(v) = www_authenticate {
        out.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    out
}

/// The field names a JSON rejection's message names, with what was wrong: an
/// unknown field (a misspelling the client should see) or a missing one. Only the
/// client's own field names are taken from the message — never a value, which could
/// be a name.
fn named_fields(message: &str) -> Vec<(String, &'static str)> {
    let mut out = vec![];
    for (marker, key) in [
        ("unknown field `", "error-unknown-field"),
        ("missing field `", "error-missing-field"),
    ] {
        if let Some(rest) = message.split(marker).nth(1)
            && let Some(name) = rest.split('`').next()
            && name.len() <= 64
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            out.push((name.to_owned(), key));
        }
    }
    if out.is_empty() && message.contains("expected struct") {
        out.push((String::new(), "error-json-object"));
    }
    out
}

fn problem(
    lang: Locale,
    status: StatusCode,
    title_key: &str,
    errors: &[FieldError],
    named: &[(String, &'static str)],
) -> Response {
    let errors = errors
        .iter()
        .map(|e| serde_json::json!({"field": e.field, "code": e.key, "detail": t(lang, e.key)}))
        .chain(named.iter().map(|(field, key)| {
            serde_json::json!({
                "field": (!field.is_empty()).then_some(field),
                "code": key,
                "detail": t(lang, key),
            })
        }))
        .collect::<Vec<_>>();
    let body = serde_json::json!({
        "type": "about:blank",
        "title": t(lang, title_key),
        "status": status.as_u16(),
        "errors": errors,
    });
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        body.to_string(),
    )
        .into_response()
}

async fn signed_in(state: &AppState, token: &str) -> Option<Authed> {
    let p = state.app.pending_session(token).await.ok().flatten()?;
    if p.next_step().is_some() {
        return None;
    }
    state.app.session_caller(p).await.ok()
}

fn page(
    lang: Locale,
    status: StatusCode,
    title_key: &str,
    errors: &[FieldError],
    user: Option<&Authed>,
) -> Response {
    use crate::views::layout::Base;
    let base = match user {
        Some(a) => Base::for_user(a, lang, title_key),
        None => Base::anonymous(lang, t(lang, title_key)),
    };
    let page = crate::views::layout::ErrorPage {
        base,
        status: status.as_u16(),
        details: errors.iter().map(|e| t(lang, e.key)).collect(),
    };
    match askama::Template::render(&page) {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => status.into_response(),
    }
}
