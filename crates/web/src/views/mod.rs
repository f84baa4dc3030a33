//! HTML views: server-rendered pages (askama) that work without JavaScript, with
//! htmx fragments (`*_partial.html`) where a partial update helps.

pub mod abroad_stats;
pub mod accommodation;
pub mod account;
pub mod audit;
pub mod case_correct;
pub mod case_details;
pub mod case_documents;
pub mod case_import;
pub mod case_page;
pub mod case_record;
pub mod case_rights;
pub mod cases;
pub mod duplicates;
pub mod help;
pub mod home;
pub mod hotline_report;
pub mod layout;
pub mod linkage;
pub mod open_data;
pub mod orgs;
pub mod outreach;
pub mod programme;
pub mod projects;
pub mod referrals;
pub mod service_catalogue;
pub mod signals;
pub mod signin;
pub mod stats;
pub mod tips;
pub mod users;

use askama::Template;
use axum::response::{Html, IntoResponse, Response};

use crate::error::{AppError, HttpError};

/// Renders a template into a response; a template error is an internal error.
pub fn render(t: &impl Template) -> Result<Response, HttpError> {
    t.render().map(|h| Html(h).into_response()).map_err(|e| {
        tracing::error!(error = %e, "template rendering failed");
        AppError::Internal.into()
    })
}

/// A page shown again with its errors beside the form: 422, so clients and tests
/// can tell it from a success.
pub fn unprocessable(mut r: Response) -> Response {
    *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    r
}
