//! Flash messages: after a page action that redirects, the next page says what
//! happened ("Saved", "Stage moved"). The cookie holds only an i18n message key,
//! never data, lives a minute, and is cleared by the first page that is not itself
//! a redirect.
//!
//! Use: `flash::redirect("/cases/42", "flash-saved")` instead of `Redirect::to`.
//! `Base` picks the message up by itself (`base.flash`), so handlers need nothing
//! else. The `context` middleware also remembers the page's own path, which the
//! language switch uses to come back to the same page.

use axum::{
    extract::Request,
    http::{HeaderValue, header},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};

use crate::lang::cookie;

pub const FLASH_COOKIE: &str = "zk_flash";

#[derive(Debug, Clone, Default)]
pub struct PageContext {
    /// The message key carried by the flash cookie, if any.
    pub flash: Option<String>,
    /// The path and query of the page being rendered.
    pub path: String,
}

tokio::task_local! {
    static CONTEXT: PageContext;
}

/// A message key is lowercase letters, digits and dashes: nothing else can be
/// smuggled through the cookie into a page.
fn is_key(k: &str) -> bool {
    !k.is_empty()
        && k.len() <= 64
        && k.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A 303 redirect to `to` that shows the message `key` on the next page.
pub fn redirect(to: &str, key: &'static str) -> Response {
    debug_assert!(is_key(key));
    let mut r = Redirect::to(to).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{FLASH_COOKIE}={key}; Path=/; Max-Age=60; HttpOnly; SameSite=Strict"
    )) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

/// The flash message key of the request being handled.
pub fn current() -> Option<String> {
    CONTEXT.try_with(|c| c.flash.clone()).ok().flatten()
}

/// The path (and query) of the page being handled; `/` outside a request.
pub fn current_path() -> String {
    CONTEXT
        .try_with(|c| c.path.clone())
        .unwrap_or_else(|_| "/".into())
}

/// Makes the flash key and the page path available to the handler, and clears the
/// flash cookie once a page (not a redirect) has been answered.
pub async fn context(req: Request, next: Next) -> Response {
    let flash = cookie(req.headers(), FLASH_COOKIE)
        .filter(|k| is_key(k))
        .map(str::to_owned);
    let had_cookie = cookie(req.headers(), FLASH_COOKIE).is_some();
    let is_get = req.method() == axum::http::Method::GET;
    // A page re-rendered by a post (a form with errors) has no address of its own
    // to come back to.
    let path = match req.uri().path_and_query() {
        Some(p) if is_get => p.as_str().to_owned(),
        _ => "/".to_owned(),
    };
    let is_page = is_get && !path.starts_with("/assets/");
    let mut r = CONTEXT
        .scope(PageContext { flash, path }, next.run(req))
        .await;
    if had_cookie && is_page && !r.status().is_redirection() {
        r.headers_mut().append(
            header::SET_COOKIE,
            HeaderValue::from_static("zk_flash=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"),
        );
    }
    r
}
