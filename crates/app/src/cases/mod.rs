//! Victims' cases: register, find (the caseload), read one (its summary, its
//! identity — every read audited —), move it along the National Referral Mechanism
//! and record the person's consent. The case page's whole aggregate is `page.rs`,
//! the start page's lists `dashboard.rs`. Another organisation's case is "not found"
//! until a referral of it to the caller's organisation is accepted.

mod correction;
mod dashboard;
mod import;
mod import_columns;
mod import_file;
mod import_template;
mod list;
mod page;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use zakrila_domain::{
    DomainError,
    case::{
        ClosureReason, ConsentKind, ConsentState, Identification, IdentificationKind, NewCase,
        RawIdentification, RawNewCase, Stage,
    },
    org::OrgSlug,
    policy::{Action, Resource},
};
use zakrila_store::{
    cases::{IdentityPlain, StageMove, shown_row},
    comma_items,
    entity::{case, caseload, person},
};

pub use correction::{Corrected, CorrectionForm, CorrectionLine, correction_reasons};
pub use dashboard::{DASHBOARD_ITEMS, Dashboard, DashboardDetail, DashboardItem};
pub use import::{ImportInput, ImportOutcome, ImportProblem, MAX_ROWS as IMPORT_MAX_ROWS};
pub use import_columns::{
    COLUMNS as IMPORT_COLUMNS, ImportColumn, column_of_field as import_column_of,
};
pub use import_template::{import_template_csv, import_template_xlsx};
pub use list::{CaseList, CaseQuery, CaseSearch, NAME_SEARCH_WINDOW_MS, PER_PAGE};
pub use page::{CaseView, ConsentLine, ReferralLine, ServiceLine, TimelineLine};

use crate::{App, AppError, Authed, Errors, session::uuid_of};

/// The application's clock as a date-time (UTC), read from the one clock
/// (`crate::now_ms`) so every operation agrees on "now".
pub fn now() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(crate::now_ms()) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// A case the actor's organisation holds, with the facts the policy judged.
pub(crate) struct Held {
    pub case: case::Model,
    pub person: person::Model,
    pub resource: Resource,
}

/// The policy's view of a case held through the caseload: its owner, and the
/// actor's organisation among those sharing it exactly when its caseload row says
/// it is held through an accepted referral (`referred`).
pub(crate) fn case_resource(a: &Authed, c: &case::Model, referred: bool) -> Resource {
    Resource::Case {
        owner: uuid_of(&c.org_id),
        shared_with: if referred {
            vec![a.actor.org_id]
        } else {
            vec![]
        },
    }
}

impl App {
    /// The case `id` with its person if the actor may do `action` to it, in one
    /// statement; not found when the actor may not see it at all, forbidden when
    /// they see it but may not do this.
    pub(crate) async fn held(
        &self,
        a: &Authed,
        id: &str,
        action: Action,
    ) -> Result<Held, AppError> {
        let (case, person, referred) = self
            .store
            .case_held_by(id, &a.org.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let resource = case_resource(a, &case, referred);
        if !a.can(Action::ViewCase, &resource) {
            return Err(AppError::NotFound);
        }
        a.require(action, &resource)?;
        self.refuse_erased(&case.id, action).await?;
        Ok(Held {
            case,
            person,
            resource,
        })
    }

    /// The owner's slug of a case shown to the actor: their own at hand, another
    /// looked up.
    async fn owner_slug(&self, a: &Authed, org_id: &str) -> Result<String, AppError> {
        if org_id == a.org.id {
            return Ok(a.org.slug.clone());
        }
        Ok(self
            .store
            .org_by_id(org_id)
            .await?
            .map(|o| o.slug)
            .unwrap_or_default())
    }
}

/// A case without identity: safe to list.
#[derive(Debug, Clone, Serialize, ToSchema)]
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

impl CaseSummary {
    fn of(r: caseload::Model, organisation: String) -> Self {
        CaseSummary {
            organisation,
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
        }
    }

    /// The stage as the domain knows it (`None` for a hand-edited row).
    pub fn stage(&self) -> Option<Stage> {
        Stage::parse(&self.stage).ok()
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Registered {
    pub id: String,
    pub code: String,
    /// Codes of this organisation's cases with the same name and birth date.
    pub possible_duplicates: Vec<String>,
}

/// A person's identity, decrypted: shown on request, never logged.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
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

/// A stage move as the API posts it; the page's form becomes the same.
#[derive(Debug, Clone, Deserialize, ToSchema)]
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

/// The stage form of the case page: the same move, in the form's field names.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StageForm {
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub closure_reason: String,
    #[serde(default)]
    pub ident_kind: String,
    #[serde(default)]
    pub ident_by: String,
    #[serde(default)]
    pub ident_date: String,
    #[serde(default)]
    pub child_mechanism: Option<String>,
}

impl From<StageForm> for StageBody {
    fn from(f: StageForm) -> Self {
        let given = |s: String| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let identification = match (given(f.ident_kind), given(f.ident_by), given(f.ident_date)) {
            (Some(kind), Some(by), Some(date)) => {
                Some(serde_json::json!({"kind": kind, "by": by, "date": date}))
            }
            _ => None,
        };
        StageBody {
            to: f.to.trim().to_owned(),
            // A version that is not a number matches no case: the move is refused
            // as stale, never applied to whatever version is current.
            version: f.version.trim().parse().unwrap_or(-1),
            closure_reason: given(f.closure_reason),
            identification,
            child_mechanism_engaged: f.child_mechanism.is_some_and(|s| !s.trim().is_empty()),
        }
    }
}

/// The person's consent being given or withdrawn; page and API post the same.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentBody {
    /// assistance, data_sharing, referral or police_contact.
    pub kind: String,
    /// given or withdrawn.
    pub state: String,
}

/// Parses a stage move into domain types; every error at once.
fn parse_move(b: &StageBody) -> Result<StageMove, AppError> {
    let mut errs = Errors::default();
    let to = errs.take(Stage::parse(&b.to));
    let closure_reason = errs
        .take(
            b.closure_reason
                .as_deref()
                .filter(|s| !s.is_empty())
                .map(ClosureReason::parse)
                .transpose(),
        )
        .flatten();
    let identification = match &b.identification {
        None | Some(serde_json::Value::Null) => None,
        Some(v) => errs.take(
            serde_json::from_value::<RawIdentification>(v.clone())
                .map_err(|_| DomainError::field("identification", "error-unknown-value"))
                .and_then(|raw| parse_identification(&raw)),
        ),
    };
    errs.finish()?;
    let to = to.ok_or(AppError::Internal)?;
    Ok(StageMove {
        to,
        closure_reason,
        identification,
        child_mechanism_engaged: b.child_mechanism_engaged,
    })
}

fn parse_identification(raw: &RawIdentification) -> Result<Identification, DomainError> {
    let date = zakrila_domain::case::parse_date(&raw.date, "identification")?;
    if date > now().date() {
        return Err(DomainError::field("identification", "error-date-future"));
    }
    Ok(Identification {
        kind: IdentificationKind::parse(&raw.kind)?,
        by: OrgSlug::parse(&raw.by)?,
        date,
    })
}

impl App {
    /// Registers a person and their case in the actor's organisation.
    pub async fn register_case(&self, a: &Authed, raw: RawNewCase) -> Result<Registered, AppError> {
        a.require(Action::RegisterCase, &Resource::Org(a.actor.org_id))?;
        let new = NewCase::parse(raw, now())?;
        let r = self
            .store
            .register_case(a.user_uuid(), &a.org.id, new, now())
            .await?;
        Ok(Registered {
            id: r.case.id,
            code: r.case.code,
            possible_duplicates: r.possible_duplicates,
        })
    }

    /// The organisations a registration may name as identifying the person, for
    /// those who may register a case.
    pub async fn registration_orgs(&self, a: &Authed) -> Result<Vec<crate::Org>, AppError> {
        a.require(Action::RegisterCase, &Resource::Org(a.actor.org_id))?;
        self.all_orgs().await
    }

    /// One case as the caseload shows it (no identity).
    pub async fn case_summary(&self, a: &Authed, id: &str) -> Result<CaseSummary, AppError> {
        let h = self.held(a, id, Action::ViewCase).await?;
        let org = self.owner_slug(a, &h.case.org_id).await?;
        Ok(CaseSummary::of(
            shown_row(&a.org.id, &h.case, &h.person),
            org,
        ))
    }

    /// The person's identity; the read is recorded in the audit trail with `purpose`.
    pub async fn case_identity(
        &self,
        a: &Authed,
        id: &str,
        purpose: &str,
    ) -> Result<Identity, AppError> {
        let h = self.held(a, id, Action::ViewIdentity).await?;
        Ok(self
            .store
            .read_identity_of(a.user_uuid(), &h.case, &h.person, purpose)
            .await?
            .into())
    }

    /// Moves the case along the National Referral Mechanism; a version other than
    /// the current one is a conflict.
    pub async fn move_stage(
        &self,
        a: &Authed,
        id: &str,
        b: StageBody,
    ) -> Result<CaseSummary, AppError> {
        let h = self.held(a, id, Action::MoveCaseStage).await?;
        let mv = parse_move(&b)?;
        let updated = self
            .store
            .move_stage(a.user_uuid(), &h.case.id, b.version, mv, now())
            .await?;
        let org = self.owner_slug(a, &updated.org_id).await?;
        // The person does not change with the stage: the one read above serves.
        Ok(CaseSummary::of(
            shown_row(&a.org.id, &updated, &h.person),
            org,
        ))
    }

    /// Records the person's consent being given or withdrawn.
    pub async fn record_consent(
        &self,
        a: &Authed,
        id: &str,
        b: ConsentBody,
    ) -> Result<(), AppError> {
        let h = self.held(a, id, Action::EditCase).await?;
        let mut errs = Errors::default();
        let kind = errs.take(ConsentKind::parse(&b.kind));
        let state = errs.take(ConsentState::parse(&b.state));
        errs.finish()?;
        let (Some(kind), Some(state)) = (kind, state) else {
            return Err(AppError::Internal);
        };
        Ok(self
            .store
            .record_consent(a.user_uuid(), &h.case.id, kind, state, now())
            .await?)
    }
}
