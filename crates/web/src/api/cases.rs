//! `/api/v1/cases`: registering, finding and working on victims' cases. Another
//! organisation's case is 404 on every endpoint until a referral to the caller's
//! organisation is accepted.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::StatusCode,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zakrila_domain::{
    DomainError,
    case::{ClosureReason, ConsentKind, ConsentState, NewCase, RawNewCase, Stage},
    policy::{Action, Resource},
};
use zakrila_store::{
    cases::{CaseFilter, IdentityPlain, StageMove, shown_row},
    comma_items,
    entity::{case, caseload, person},
};

use crate::{
    access::{case_and_person_for, case_for},
    auth::ApiUser,
    error::HttpError,
    state::AppState,
};

pub fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

/// A case without identity: safe to list.
#[derive(Serialize, ToSchema)]
pub struct CaseSummary {
    pub id: String,
    pub code: String,
    pub stage: String,
    pub organisation: String,
    pub sex: Option<String>,
    pub age_band: Option<String>,
    pub citizenship: Option<String>,
    pub child: Option<bool>,
    pub forms: Vec<String>,
    pub risk_level: Option<String>,
    pub reflection_ends: Option<String>,
    /// Seen through an accepted referral.
    pub referred: bool,
    /// Optimistic concurrency: send it back with every change.
    pub version: i32,
    pub updated_at: i64,
}

/// Slugs of the organisations owning the cases shown. The caller's own is at hand;
/// each other one is looked up once per request, not once per row.
struct OrgSlugs<'a> {
    mine: &'a zakrila_app::Org,
    others: std::collections::HashMap<String, String>,
}

impl<'a> OrgSlugs<'a> {
    fn new(mine: &'a zakrila_app::Org) -> Self {
        Self {
            mine,
            others: Default::default(),
        }
    }

    async fn of(&mut self, state: &AppState, org_id: &str) -> Result<String, HttpError> {
        if org_id == self.mine.id {
            return Ok(self.mine.slug.clone());
        }
        if let Some(s) = self.others.get(org_id) {
            return Ok(s.clone());
        }
        let slug = state
            .store
            .org_by_id(org_id)
            .await?
            .map(|o| o.slug)
            .unwrap_or_default();
        self.others.insert(org_id.to_owned(), slug.clone());
        Ok(slug)
    }
}

/// One case as the list would show it to the caller's organisation.
async fn summary(
    state: &AppState,
    c: &case::Model,
    p: &person::Model,
    orgs: &mut OrgSlugs<'_>,
) -> Result<CaseSummary, HttpError> {
    listed(state, shown_row(&orgs.mine.id, c, p), orgs).await
}

/// A caseload row as the list shows it: the projection carries every field.
async fn listed(
    state: &AppState,
    r: caseload::Model,
    orgs: &mut OrgSlugs<'_>,
) -> Result<CaseSummary, HttpError> {
    Ok(CaseSummary {
        organisation: orgs.of(state, &r.owner_org_id).await?,
        referred: r.referred,
        sex: Some(r.sex),
        age_band: r.age_band,
        citizenship: r.citizenship,
        child: Some(r.is_child),
        forms: comma_items(&r.forms).map(str::to_owned).collect(),
        id: r.case_id,
        code: r.code,
        stage: r.stage,
        risk_level: r.risk_level,
        reflection_ends: r.reflection_ends,
        version: r.version,
        updated_at: r.updated_at,
    })
}

#[derive(Serialize, ToSchema)]
pub struct Registered {
    pub id: String,
    pub code: String,
    /// Codes of this organisation's cases with the same name and birth date.
    pub possible_duplicates: Vec<String>,
}

/// Registers a person and their case. Only `person` is required, with at least one name.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body(content = serde_json::Value, description = "`{\"person\": {\"given_name\", \"family_name\", \"birth_date\" (YYYY-MM-DD), \"sex\", \"citizenship\" (ISO-3)}, \"stage\", \"identification\", \"exploitation\"}`"),
    responses((status = 201, body = Registered), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn register(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Json(raw): Json<RawNewCase>,
) -> Result<(StatusCode, Json<Registered>), HttpError> {
    a.require(Action::RegisterCase, &Resource::Org(a.actor.org_id))?;
    let new = NewCase::parse(raw, now())?;
    let r = state
        .store
        .register_case(a.user_uuid(), &a.org.id, new, now())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Registered {
            id: r.case.id,
            code: r.case.code,
            possible_duplicates: r.possible_duplicates,
        }),
    ))
}

#[derive(Deserialize, IntoParams)]
pub struct ListParams {
    /// A case code (BG-2025-000123) or a name, in Cyrillic or Latin.
    q: Option<String>,
    stage: Option<String>,
    /// A form of exploitation (`sexual`, `labour`…).
    form: Option<String>,
    risk: Option<String>,
    /// Zero-based page of 50.
    page: Option<u64>,
}

#[derive(Serialize, ToSchema)]
pub struct CaseList {
    /// Matching cases: the whole caseload exactly; a filtered list counted up to
    /// 1000, a name search up to 200.
    pub total: u64,
    /// There are more matching cases than `total` (counting stopped at the cap).
    pub total_capped: bool,
    /// A next page exists.
    pub has_next: bool,
    pub items: Vec<CaseSummary>,
}

/// The caller's caseload: their organisation's cases and those referred to it.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", params(ListParams), responses((status = 200, body = CaseList)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Query(p): Query<ListParams>,
) -> Result<Json<CaseList>, HttpError> {
    a.require(Action::ViewCase, &Resource::Org(a.actor.org_id))?;
    let filter = CaseFilter {
        q: p.q,
        stage: p.stage,
        form: p.form,
        risk: p.risk,
        reflection_overdue_on: None,
        page: p.page.unwrap_or(0),
        per_page: 50,
    };
    let page = state.store.search_cases(&a.org.id, &filter).await?;
    let has_next = page.has_next(filter.page, filter.per_page);
    let mut orgs = OrgSlugs::new(&a.org);
    let mut out = Vec::with_capacity(page.items.len());
    for r in page.items {
        out.push(listed(&state, r, &mut orgs).await?);
    }
    Ok(Json(CaseList {
        total: page.total,
        total_capped: page.total_capped,
        has_next,
        items: out,
    }))
}

/// One case (no identity; see `/identity`).
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases", params(("id" = String, Path)), responses((status = 200, body = CaseSummary), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn get(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<CaseSummary>, HttpError> {
    let (c, p) = case_and_person_for(&state, &a, &id, Action::ViewCase).await?;
    Ok(Json(
        summary(&state, &c, &p, &mut OrgSlugs::new(&a.org)).await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct Identity {
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub birth_date: Option<String>,
    pub personal_number: Option<String>,
    pub phone: Option<String>,
}

impl From<IdentityPlain> for Identity {
    fn from(i: IdentityPlain) -> Self {
        Identity {
            given_name: i.given_name,
            family_name: i.family_name,
            birth_date: i.birth_date,
            personal_number: i.personal_number,
            phone: i.phone,
        }
    }
}

/// The person's identity. Every call is recorded in the audit trail.
#[utoipa::path(get, path = "/api/v1/cases/{id}/identity", tag = "cases", params(("id" = String, Path)), responses((status = 200, body = Identity), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn identity(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Identity>, HttpError> {
    let (c, p) = case_and_person_for(&state, &a, &id, Action::ViewIdentity).await?;
    Ok(Json(
        state
            .store
            .read_identity_of(a.user_uuid(), &c, &p, "api")
            .await?
            .into(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StageBody {
    pub to: String,
    /// The version read; a different current version is a conflict (409).
    pub version: i32,
    pub closure_reason: Option<String>,
    /// `{"kind": "formal"|"informal", "by": ORG_SLUG, "date": "YYYY-MM-DD"}`.
    pub identification: Option<serde_json::Value>,
    #[serde(default)]
    pub child_mechanism_engaged: bool,
}

/// Parses a stage move; every error at once.
pub fn parse_move(b: &StageBody) -> Result<StageMove, HttpError> {
    let mut errors: Vec<DomainError> = vec![];
    let to = Stage::parse(&b.to).map_err(|e| errors.push(e)).ok();
    let closure_reason = b
        .closure_reason
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(ClosureReason::parse)
        .transpose()
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let identification = match &b.identification {
        None | Some(serde_json::Value::Null) => None,
        Some(v) => {
            match serde_json::from_value::<zakrila_domain::case::RawIdentification>(v.clone()) {
                Ok(raw) => parse_identification(&raw).map_err(|e| errors.push(e)).ok(),
                Err(_) => {
                    errors.push(DomainError::field("identification", "error-unknown-value"));
                    None
                }
            }
        }
    };
    match to {
        Some(to) if errors.is_empty() => Ok(StageMove {
            to,
            closure_reason,
            identification,
            child_mechanism_engaged: b.child_mechanism_engaged,
        }),
        _ => Err(errors.into()),
    }
}

pub fn parse_identification(
    raw: &zakrila_domain::case::RawIdentification,
) -> Result<zakrila_domain::case::Identification, DomainError> {
    use zakrila_domain::{case::IdentificationKind, org::OrgSlug};
    let date = zakrila_domain::case::parse_date(&raw.date, "identification")?;
    if date > now().date() {
        return Err(DomainError::field("identification", "error-date-future"));
    }
    Ok(zakrila_domain::case::Identification {
        kind: IdentificationKind::parse(&raw.kind)?,
        by: OrgSlug::parse(&raw.by)?,
        date,
    })
}

/// Moves the case along the National Referral Mechanism.
#[utoipa::path(post, path = "/api/v1/cases/{id}/stage", tag = "cases", params(("id" = String, Path)), request_body = StageBody,
    responses((status = 200, body = CaseSummary), (status = 409, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn move_stage(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(b): Json<StageBody>,
) -> Result<Json<CaseSummary>, HttpError> {
    let c = case_for(&state, &a, &id, Action::MoveCaseStage).await?;
    let mv = parse_move(&b)?;
    let updated = state
        .store
        .move_stage(a.user_uuid(), &c.id, b.version, mv, now())
        .await?;
    let p = state.store.person_of(&updated).await?;
    Ok(Json(
        summary(&state, &updated, &p, &mut OrgSlugs::new(&a.org)).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentBody {
    /// assistance, data_sharing, referral or police_contact.
    pub kind: String,
    /// given or withdrawn.
    pub state: String,
}

/// Records the person's consent being given or withdrawn.
#[utoipa::path(post, path = "/api/v1/cases/{id}/consents", tag = "cases", params(("id" = String, Path)), request_body = ConsentBody, responses((status = 204), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn consent(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(b): Json<ConsentBody>,
) -> Result<StatusCode, HttpError> {
    let c = case_for(&state, &a, &id, Action::EditCase).await?;
    let mut errors = vec![];
    let kind = ConsentKind::parse(&b.kind).map_err(|e| errors.push(e)).ok();
    let st = ConsentState::parse(&b.state)
        .map_err(|e| errors.push(e))
        .ok();
    let (Some(kind), Some(st)) = (kind, st) else {
        return Err(errors.into());
    };
    state
        .store
        .record_consent(a.user_uuid(), &c.id, kind, st, now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
