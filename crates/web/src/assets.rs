//! Static assets (CSS, vendored htmx, fonts), embedded in the binary: nothing is
//! fetched from a CDN, so the strict Content-Security-Policy holds.

use axum::{
    extract::Path,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};

#[derive(rust_embed::Embed)]
#[folder = "assets/"]
struct Assets;

pub async fn serve(Path(path): Path<String>) -> Response {
    match Assets::get(&path) {
        Some(f) => (
            [
                (header::CONTENT_TYPE, f.metadata.mimetype().to_owned()),
                // Versioned file names (htmx-2.0.11.min.js) can be cached for long.
                (header::CACHE_CONTROL, "public, max-age=86400".to_owned()),
            ],
            f.data,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
