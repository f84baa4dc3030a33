//! Response headers every page gets (and the public site's caching, and which responses may be compressed), and request logging that records no personal
//! data: the route pattern (never the URL with its ids or query), status, time and
//! request id.

use axum::{
    extract::{MatchedPath, Request},
    http::{Extensions, HeaderMap, HeaderValue, StatusCode, Version, header},
    middleware::Next,
    response::Response,
};
use tower_http::compression::predicate::{DefaultPredicate, Predicate};

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Served over HTTPS (`public_url` is https): browsers are told to use nothing else
/// for a year, so a network attacker cannot downgrade a later visit to plain HTTP.
pub async fn hsts(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    resp.headers_mut().insert(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static("max-age=31536000"),
    );
    resp
}

/// Marks a response that may be compressed (see [`compressible`]).
#[derive(Clone, Copy)]
pub struct MayCompress;

/// The paths whose responses hold nothing secret — or nothing an attacker could
/// place beside a secret — so compressing them cannot leak through the response
/// size (BREACH): the assets, the public site, the Programme and statistics
/// (aggregates), the API's documentation and the caseload exports without
/// identities. Everything else (case pages, identities, signals, sign-in) is sent
/// as it is. An opt-in list, so that a new page is safe until someone adds it.
fn may_compress(path: &str) -> bool {
    const PREFIXES: [&str; 7] = [
        "/assets/",
        "/help",
        "/open/",
        "/programme",
        "/stats",
        "/projects",
        "/api/docs",
    ];
    const PATHS: [&str; 5] = [
        "/api/openapi.json",
        "/cases.csv",
        "/cases.xlsx",
        "/api/v1/cases.csv",
        "/api/v1/cases.xlsx",
    ];
    PREFIXES.iter().any(|p| path.starts_with(p)) || PATHS.contains(&path)
}

/// The compression layer's rule: a response marked by [`headers`] as safe to
/// compress, and worth it (tower-http's default: not tiny, not already
/// compressed images, not event streams).
pub fn compressible() -> impl Predicate {
    DefaultPredicate::new().and(
        |_: StatusCode, _: Version, _: &HeaderMap, ext: &Extensions| {
            ext.get::<MayCompress>().is_some()
        },
    )
}

pub async fn headers(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let is_asset = path.starts_with("/assets/");
    let is_public = path == "/help" || path.starts_with("/help/");
    let compress = may_compress(path);
    let mut resp = next.run(req).await;
    if compress {
        resp.extensions_mut().insert(MayCompress);
    }
    let fine = resp.status().is_success() || resp.status() == StatusCode::NOT_MODIFIED;
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if is_public && fine {
        // The public site shows only what the network publishes, the same to
        // everyone: browsers and proxies may keep it a minute, then ask again with
        // the ETag (the directory's version).
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=60"),
        );
    } else if !is_asset {
        // Pages may show identities: keep them out of every cache.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

pub async fn log_requests(req: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned());
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let resp = next.run(req).await;
    tracing::info!(
        request_id,
        method = %method,
        route = route.as_deref().unwrap_or("-"),
        status = resp.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        "request"
    );
    resp
}
