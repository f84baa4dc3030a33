//! `/api/v1/cases/{id}/proceedings` and `/offenders`: criminal proceedings beside
//! the case (with the state compensation claim, capped and time-limited by law) and
//! the offenders, described for statistics only.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zakrila_domain::{
    case::{
        AgeBand, CompensationClaim, Country, LegalStatus, Money, Offender, OffenderRole,
        Proceedings, ProceedingsStage, ProtectionMeasure, Sex, WitnessStatus,
        compensation_deadline,
    },
    policy::Action,
};
use zakrila_store::{
    cases::proceedings_of_row,
    entity::{case_offender, case_proceedings},
};

use super::case_details::Errors;
use crate::{access::case_for, auth::ApiUser, error::HttpError, state::AppState};

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ProceedingsBody {
    /// pre_trial, first_instance, appeal, cassation, concluded, terminated.
    pub stage: String,
    pub court: Option<String>,
    pub case_number: Option<String>,
    /// not_witness, witness, protected_witness.
    pub witness_status: Option<String>,
    /// physical_protection, property_protection, safe_accommodation, relocation, identity_change.
    #[serde(default)]
    pub protection_measures: Vec<String>,
    /// The day the judgment or the act ending the proceedings entered into force.
    pub final_act_date: Option<String>,
    /// Claimed state compensation in BGN (`1234,56`); at most 10 000.
    pub compensation_bgn: Option<String>,
    /// The day the claim was filed (today when absent); within a year of the final act.
    pub compensation_filed_on: Option<String>,
    /// The version read (updates only).
    pub version: Option<i32>,
}

#[derive(Serialize, ToSchema)]
pub struct ProceedingsOut {
    pub id: String,
    pub stage: String,
    pub court: Option<String>,
    pub case_number: Option<String>,
    pub witness_status: String,
    pub protection_measures: Vec<String>,
    pub final_act_date: Option<String>,
    pub compensation_stotinki: Option<i64>,
    pub compensation_filed_on: Option<String>,
    /// The last day to claim state compensation, once the final act is known.
    pub compensation_deadline: Option<String>,
    /// Open proceedings put a legal hold on the case (no erasure).
    pub open: bool,
    pub version: i32,
}

impl From<case_proceedings::Model> for ProceedingsOut {
    fn from(m: case_proceedings::Model) -> Self {
        let p = proceedings_of_row(&m);
        ProceedingsOut {
            open: p.is_open(),
            compensation_deadline: p
                .final_act_date
                .map(|d| compensation_deadline(d).to_string()),
            protection_measures: p
                .protection_measures
                .iter()
                .map(|x| x.as_str().to_owned())
                .collect(),
            id: m.id,
            stage: m.stage,
            court: m.court,
            case_number: m.case_number,
            witness_status: m.witness_status,
            final_act_date: m.final_act_date,
            compensation_stotinki: m.compensation_stotinki,
            compensation_filed_on: m.compensation_filed_on,
            version: m.version,
        }
    }
}

/// Parses proceedings; the compensation claim is checked against the cap and the
/// one-year deadline.
pub fn parse_proceedings(b: &ProceedingsBody) -> Result<Proceedings, HttpError> {
    let mut e = Errors::default();
    let stage = e.take(ProceedingsStage::parse(&b.stage));
    let witness_status = e
        .opt(b.witness_status.as_deref(), WitnessStatus::parse)
        .unwrap_or(WitnessStatus::NotWitness);
    let mut protection_measures: Vec<ProtectionMeasure> = b
        .protection_measures
        .iter()
        .filter(|s| !s.is_empty())
        .filter_map(|s| e.take(ProtectionMeasure::parse(s)))
        .collect();
    protection_measures.sort();
    protection_measures.dedup();
    let final_act_date = e.past_date(b.final_act_date.as_deref(), "final_act_date");
    let amount = e.opt(b.compensation_bgn.as_deref(), |s| {
        Money::parse(s)
            .map_err(|_| zakrila_domain::DomainError::field("compensation", "error-money-format"))
    });
    let filed_on = e
        .past_date(b.compensation_filed_on.as_deref(), "compensation_filed_on")
        .unwrap_or_else(|| super::cases::now().date());
    let compensation =
        amount.and_then(|amount| e.take(CompensationClaim::new(amount, filed_on, final_act_date)));
    let text = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    e.finish(stage.map(|stage| Proceedings {
        stage,
        court: text(&b.court),
        case_number: text(&b.case_number),
        witness_status,
        protection_measures,
        final_act_date,
        compensation,
    }))
}

/// The proceedings in which the case's person takes part.
#[utoipa::path(get, path = "/api/v1/cases/{id}/proceedings", tag = "case details", params(("id" = String, Path)), responses((status = 200, body = Vec<ProceedingsOut>), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<ProceedingsOut>>, HttpError> {
    let c = case_for(&state, &a, &id, Action::ViewCase).await?;
    Ok(Json(
        state
            .store
            .proceedings_of_case(&c.id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Records criminal proceedings.
#[utoipa::path(post, path = "/api/v1/cases/{id}/proceedings", tag = "case details", params(("id" = String, Path)), request_body = ProceedingsBody,
    responses((status = 201, body = ProceedingsOut), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(b): Json<ProceedingsBody>,
) -> Result<(StatusCode, Json<ProceedingsOut>), HttpError> {
    let c = case_for(&state, &a, &id, Action::EditCase).await?;
    let p = parse_proceedings(&b)?;
    Ok((
        StatusCode::CREATED,
        Json(
            state
                .store
                .add_proceedings(a.user_uuid(), &c.id, &p)
                .await?
                .into(),
        ),
    ))
}

/// Updates proceedings (optimistic: send the version read).
#[utoipa::path(put, path = "/api/v1/cases/{id}/proceedings/{proceedings_id}", tag = "case details", params(("id" = String, Path), ("proceedings_id" = String, Path)), request_body = ProceedingsBody,
    responses((status = 200, body = ProceedingsOut), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 409, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path((id, pid)): Path<(String, String)>,
    Json(b): Json<ProceedingsBody>,
) -> Result<Json<ProceedingsOut>, HttpError> {
    let c = case_for(&state, &a, &id, Action::EditCase).await?;
    let p = parse_proceedings(&b)?;
    Ok(Json(
        state
            .store
            .update_proceedings(a.user_uuid(), &c.id, &pid, b.version.unwrap_or(-1), &p)
            .await?
            .into(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct OffenderOut {
    pub id: String,
    pub sex: String,
    pub age_band: Option<String>,
    pub citizenship: Option<String>,
    /// recruiter, transporter, exploiter, other.
    pub role: String,
    /// suspected, prosecuted, convicted.
    pub legal_status: String,
    pub version: i32,
}

impl From<case_offender::Model> for OffenderOut {
    fn from(m: case_offender::Model) -> Self {
        OffenderOut {
            id: m.id,
            sex: m.sex,
            age_band: m.age_band,
            citizenship: m.citizenship,
            role: m.role,
            legal_status: m.legal_status,
            version: m.version,
        }
    }
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct OffenderBody {
    /// female, male, other, unknown.
    pub sex: String,
    /// A CTDC age band (`30-38`…).
    pub age_band: Option<String>,
    /// ISO 3166-1 alpha-3.
    pub citizenship: Option<String>,
    pub role: String,
    pub legal_status: String,
}

pub fn parse_offender(b: &OffenderBody) -> Result<Offender, HttpError> {
    let mut e = Errors::default();
    let sex = e.take(Sex::parse(&b.sex));
    let age_band = e.opt(b.age_band.as_deref(), AgeBand::parse);
    let citizenship = e.opt(b.citizenship.as_deref(), Country::parse);
    let role = e.take(OffenderRole::parse(&b.role));
    let legal_status = e.take(LegalStatus::parse(&b.legal_status));
    let o = match (sex, role, legal_status) {
        (Some(sex), Some(role), Some(legal_status)) => Some(Offender {
            sex,
            age_band,
            citizenship,
            role,
            legal_status,
        }),
        _ => None,
    };
    e.finish(o)
}

/// The case's offenders (never named).
#[utoipa::path(get, path = "/api/v1/cases/{id}/offenders", tag = "case details", params(("id" = String, Path)), responses((status = 200, body = Vec<OffenderOut>), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn offenders(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<OffenderOut>>, HttpError> {
    let c = case_for(&state, &a, &id, Action::ViewCase).await?;
    Ok(Json(
        state
            .store
            .offenders_of_case(&c.id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Records an offender.
#[utoipa::path(post, path = "/api/v1/cases/{id}/offenders", tag = "case details", params(("id" = String, Path)), request_body = OffenderBody,
    responses((status = 201, body = OffenderOut), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn add_offender(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(b): Json<OffenderBody>,
) -> Result<(StatusCode, Json<OffenderOut>), HttpError> {
    let c = case_for(&state, &a, &id, Action::EditCase).await?;
    let o = parse_offender(&b)?;
    Ok((
        StatusCode::CREATED,
        Json(
            state
                .store
                .add_offender(a.user_uuid(), &c.id, &o)
                .await?
                .into(),
        ),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OffenderStatusBody {
    pub legal_status: String,
    pub version: i32,
}

/// Changes an offender's legal status (optimistic: send the version read).
#[utoipa::path(post, path = "/api/v1/cases/{id}/offenders/{offender_id}", tag = "case details", params(("id" = String, Path), ("offender_id" = String, Path)), request_body = OffenderStatusBody,
    responses((status = 200, body = OffenderOut), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 409, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn offender_status(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path((id, oid)): Path<(String, String)>,
    Json(b): Json<OffenderStatusBody>,
) -> Result<Json<OffenderOut>, HttpError> {
    let c = case_for(&state, &a, &id, Action::EditCase).await?;
    let status = LegalStatus::parse(&b.legal_status)?;
    Ok(Json(
        state
            .store
            .set_offender_status(a.user_uuid(), &c.id, &oid, b.version, status)
            .await?
            .into(),
    ))
}
