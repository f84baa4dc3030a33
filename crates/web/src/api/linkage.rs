//! `/api/v1/linkage`: the cross-organisation review queue of probable matches
//! (NCCTHB coordinators). Candidates carry pseudonymous case codes and the
//! non-identifying profile only; no CLK and no identity ever leaves through here.
//! Operations in `zakrila_app::linkage`; this maps them to the API's JSON.

use axum::{
    Json,
    extract::{Path, Query, State},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zakrila_app::linkage::{Candidate, Review, RunSummary, Side, UniquePersons};

use crate::{auth::ApiUser, error::HttpError, state::AppState};

/// One side of a candidate pair.
#[derive(Serialize, ToSchema)]
pub struct SideDto {
    /// Pseudonymous case code (BG-2025-000123).
    pub case_code: String,
    /// Slug of the organisation that owns the case.
    pub organisation: String,
    pub stage: String,
    pub forms: Vec<String>,
    pub sex: String,
    pub age_band: Option<String>,
    pub citizenship: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CandidateDto {
    pub id: String,
    /// Dice similarity of the two CLKs, 0–1.
    pub similarity: f64,
    /// `pending`, `confirmed` or `rejected`.
    pub status: String,
    pub a: SideDto,
    pub b: SideDto,
    pub created_at: i64,
    pub reviewed_at: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct RunDto {
    pub persons: u64,
    pub encoded: u64,
    pub organisations: u64,
    pub organisation_pairs: u64,
    pub matches: u64,
    /// New candidates in the review queue.
    pub queued: u64,
}

impl From<RunSummary> for RunDto {
    fn from(s: RunSummary) -> Self {
        RunDto {
            persons: s.persons,
            encoded: s.encoded,
            organisations: s.organisations,
            organisation_pairs: s.organisation_pairs,
            matches: s.matches,
            queued: s.queued,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct UniquePersonsDto {
    /// Persons registered, across all organisations.
    pub persons: u64,
    pub confirmed_links: u64,
    /// Persons once confirmed links are counted as one person.
    pub unique_persons: u64,
}

impl From<UniquePersons> for UniquePersonsDto {
    fn from(u: UniquePersons) -> Self {
        UniquePersonsDto {
            persons: u.persons,
            confirmed_links: u.confirmed_links,
            unique_persons: u.unique_persons,
        }
    }
}

fn side_dto(s: Side) -> SideDto {
    SideDto {
        case_code: s.case_code,
        organisation: s.org.map(|o| o.slug).unwrap_or_default(),
        stage: s.stage.map_or("", |x| x.as_str()).to_owned(),
        forms: s.forms.iter().map(|f| f.as_str().to_owned()).collect(),
        sex: s.sex.map_or("", |x| x.as_str()).to_owned(),
        age_band: s.age_band.map(|a| a.as_str().to_owned()),
        citizenship: s.citizenship,
    }
}

impl From<Candidate> for CandidateDto {
    fn from(c: Candidate) -> Self {
        CandidateDto {
            id: c.id,
            similarity: c.similarity,
            status: c.status.as_str().to_owned(),
            a: side_dto(c.a),
            b: side_dto(c.b),
            created_at: c.created_at,
            reviewed_at: c.reviewed_at,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// `pending` (default), `confirmed` or `rejected`.
    status: Option<String>,
}

/// Candidate pairs, most similar first (reviewed ones: latest first); at most 500.
#[utoipa::path(get, path = "/api/v1/linkage/candidates", tag = "linkage", params(ListParams),
    responses((status = 200, body = Vec<CandidateDto>), (status = 403, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn candidates(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Query(p): Query<ListParams>,
) -> Result<Json<Vec<CandidateDto>>, HttpError> {
    let cs = state
        .app
        .linkage_candidates(&a, p.status.as_deref())
        .await?;
    Ok(Json(cs.into_iter().map(CandidateDto::from).collect()))
}

/// Confirms that the two cases are the same person. 409 when already reviewed.
#[utoipa::path(post, path = "/api/v1/linkage/candidates/{id}/confirm", tag = "linkage", params(("id" = String, Path)),
    responses((status = 200, body = CandidateDto), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 409, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn confirm(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<CandidateDto>, HttpError> {
    let c = state.app.review_linkage(&a, &id, Review::Confirm).await?;
    Ok(Json(c.into()))
}

/// Rejects the candidate: the pair is not proposed again.
#[utoipa::path(post, path = "/api/v1/linkage/candidates/{id}/reject", tag = "linkage", params(("id" = String, Path)),
    responses((status = 200, body = CandidateDto), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 409, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn reject(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<CandidateDto>, HttpError> {
    let c = state.app.review_linkage(&a, &id, Review::Reject).await?;
    Ok(Json(c.into()))
}

/// Runs matching over the whole database now: encodes new or changed persons,
/// compares every pair of organisations and queues new probable matches.
#[utoipa::path(post, path = "/api/v1/linkage/run", tag = "linkage",
    responses((status = 200, body = RunDto), (status = 403, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn run(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
) -> Result<Json<RunDto>, HttpError> {
    Ok(Json(state.app.run_linkage(&a).await?.into()))
}

/// Persons registered and unique persons once confirmed links are counted once.
/// For coordinators and those who see internal statistics.
#[utoipa::path(get, path = "/api/v1/linkage/unique-persons", tag = "linkage",
    responses((status = 200, body = UniquePersonsDto), (status = 403, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn unique_persons(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
) -> Result<Json<UniquePersonsDto>, HttpError> {
    Ok(Json(state.app.unique_persons(&a).await?.into()))
}
