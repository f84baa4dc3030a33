//! The Programme's open data on the public site: `/open/iati/{year}.xml`, the IATI
//! 2.03 file of a year's approved progress, at an address that stays the same so
//! that the IATI registry can point at it. Built by `App::open_iati`.

use axum::{
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
};

use crate::{
    error::{AppError, HttpError},
    state::AppState,
};

/// `GET /open/iati/{year}.xml`.
pub async fn iati(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, HttpError> {
    let year = file
        .strip_suffix(".xml")
        .filter(|y| y.len() == 4)
        .and_then(|y| y.parse::<i32>().ok())
        .ok_or(AppError::NotFound)?;
    let f = state.app.open_iati(year).await?;
    Ok((
        [
            (header::CONTENT_TYPE, f.content_type),
            // Approved figures change rarely; an hour keeps the registry's
            // crawler and proxies from asking every time.
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        f.bytes,
    )
        .into_response())
}
