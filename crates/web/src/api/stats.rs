//! `/api/v1/stats`: the harmonised tables of a year, the shared exports with their
//! suppression report, the privacy budget, and the differentially private releases
//! (publishing one; reading them is public). Operations in `zakrila_app::stats`.

use axum::{
    Json,
    extract::{Query, State},
    http::StatusCode,
};
use zakrila_app::stats::{
    BudgetView, ExportQuery, ReleaseInput, ReleaseView, StatsExport, StatsTables, YearQuery,
};

use crate::{auth::ApiUser, error::HttpError, state::AppState};

/// The exact harmonised tables of a year (Eurostat crim_thb breakdowns, child
/// victims), every cell of each table's domain listed. Analysts and the
/// Commission's coordinators.
#[utoipa::path(get, path = "/api/v1/stats/tables", tag = "stats", params(YearQuery),
    responses((status = 200, body = StatsTables), (status = 403, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn tables(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Query(q): Query<YearQuery>,
) -> Result<Json<StatsTables>, HttpError> {
    Ok(Json(state.app.stats_tables(&a, q).await?))
}

/// A shared export (`format=ctdc`: the CTDC 2024 CSV; `eurostat`: the crim_thb
/// tables) with small cells suppressed at `k` (default 5), and the report of what
/// suppression cost.
#[utoipa::path(get, path = "/api/v1/stats/export", tag = "stats", params(ExportQuery),
    responses((status = 200, body = StatsExport), (status = 403, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn export(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Query(q): Query<ExportQuery>,
) -> Result<Json<StatsExport>, HttpError> {
    Ok(Json(state.app.stats_export(&a, q).await?))
}

/// The privacy budget of a year: ε allowed, spent and left.
#[utoipa::path(get, path = "/api/v1/stats/budget", tag = "stats", params(YearQuery),
    responses((status = 200, body = BudgetView), (status = 403, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn budget(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Query(q): Query<YearQuery>,
) -> Result<Json<BudgetView>, HttpError> {
    Ok(Json(state.app.stats_budget(&a, q).await?))
}

/// Every published release, latest first. Public: no token needed.
#[utoipa::path(get, path = "/api/v1/stats/releases", tag = "stats", security(()),
    responses((status = 200, body = Vec<ReleaseView>)))]
pub async fn releases(State(state): State<AppState>) -> Result<Json<Vec<ReleaseView>>, HttpError> {
    Ok(Json(state.app.published_statistics().await?))
}

/// Publishes a differentially private snapshot of the chosen tables, spending `epsilon`
/// of the year's budget. 422 when the budget would be overspent (the refusal is
/// logged in the audit trail).
#[utoipa::path(post, path = "/api/v1/stats/releases", tag = "stats", request_body = ReleaseInput,
    responses((status = 201, body = ReleaseView), (status = 403, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn release(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Json(input): Json<ReleaseInput>,
) -> Result<(StatusCode, Json<ReleaseView>), HttpError> {
    let r = state.app.release_statistics(&a, input).await?;
    Ok((StatusCode::CREATED, Json(r)))
}
