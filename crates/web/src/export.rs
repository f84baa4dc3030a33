//! The caseload export as an HTTP download, shared by the page routes (`/cases.csv`,
//! `/cases.xlsx`) and the API routes: the query they take and the response headers
//! of the file `zakrila_app::case_rights` builds.

use axum::{
    http::header,
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use utoipa::IntoParams;
use zakrila_app::case_rights::ExportFile;

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// No longer allowed: `true` is refused (422). Identities are exported with
    /// `POST /api/v1/cases/identity-export`, after re-entering the second factor.
    #[serde(default)]
    pub identity: bool,
}

/// The file as an attachment the browser saves and no cache keeps.
pub fn attachment(f: ExportFile) -> Response {
    let disposition = format!("attachment; filename=\"{}\"", f.file_name);
    (
        [
            (header::CONTENT_TYPE, f.content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        f.body,
    )
        .into_response()
}
