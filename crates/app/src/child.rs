//! What a child's case adds: the guardian (identifying, encrypted, shown only on an
//! audited identity read), the coordination mechanism with the State Agency for
//! Child Protection, and proposals under Art. 76a of the Personal Documents Act.

use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;
use zakrila_domain::{case::ProposalStatus, policy::Action};
use zakrila_store::{
    cases::ChildRecord,
    entity::{case_child, child_proposal},
};

use crate::{
    App, AppError, Authed, Errors,
    case_details::{finish, opt, past_date},
};

#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ProposalOut {
    pub id: String,
    pub proposed_on: String,
    /// submitted, granted, refused, withdrawn.
    pub status: String,
    /// The day of the decision (or the withdrawal); none while submitted.
    pub decided_on: Option<String>,
    /// Send it back when recording the decision.
    pub version: i32,
}

impl From<child_proposal::Model> for ProposalOut {
    fn from(m: child_proposal::Model) -> Self {
        ProposalOut {
            id: m.id,
            proposed_on: m.proposed_on,
            status: m.status,
            decided_on: m.decided_on,
            version: m.version,
        }
    }
}

#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ChildOut {
    pub guardian_recorded: bool,
    /// Only with `?identity=true` (an audited identity read).
    pub guardian: Option<String>,
    /// The coordination mechanism with the State Agency for Child Protection.
    pub mechanism_engaged: bool,
    pub mechanism_date: Option<String>,
    /// 0 when nothing is recorded yet.
    pub version: i32,
    /// Proposals under Art. 76a of the Personal Documents Act.
    pub proposals: Vec<ProposalOut>,
}

fn child_out(
    m: Option<case_child::Model>,
    guardian: Option<String>,
    proposals: Vec<child_proposal::Model>,
) -> ChildOut {
    ChildOut {
        guardian_recorded: m.as_ref().is_some_and(|m| m.guardian.is_some()),
        guardian,
        mechanism_engaged: m.as_ref().is_some_and(|m| m.mechanism_engaged),
        mechanism_date: m.as_ref().and_then(|m| m.mechanism_date.clone()),
        version: m.map_or(0, |m| m.version),
        proposals: proposals.into_iter().map(Into::into).collect(),
    }
}

#[derive(Deserialize, ToSchema, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct ChildBody {
    /// Name and contact of the guardian; absent keeps the stored one, "" clears it.
    pub guardian: Option<String>,
    #[serde(default)]
    pub mechanism_engaged: bool,
    /// `YYYY-MM-DD`, not in the future.
    pub mechanism_date: Option<String>,
    /// The version read; absent only when creating.
    pub version: Option<i32>,
}

impl ChildBody {
    fn parse(&self) -> Result<ChildRecord, AppError> {
        let mut e = Errors::default();
        let mechanism_date = past_date(&mut e, self.mechanism_date.as_deref(), "mechanism_date");
        e.check(
            self.guardian
                .as_deref()
                .is_some_and(|g| g.chars().count() > 300),
            "guardian",
            "error-text-too-long",
        );
        finish(
            e,
            Some(ChildRecord {
                guardian: self.guardian.clone(),
                mechanism_engaged: self.mechanism_engaged,
                mechanism_date,
            }),
        )
    }
}

#[derive(Deserialize, ToSchema, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct ProposalBody {
    /// `YYYY-MM-DD`, not in the future.
    pub proposed_on: String,
    /// submitted (default), granted, refused, withdrawn.
    pub status: Option<String>,
}

impl ProposalBody {
    fn parse(&self) -> Result<(Date, ProposalStatus), AppError> {
        let mut e = Errors::default();
        e.check(
            self.proposed_on.trim().is_empty(),
            "proposed_on",
            "error-date-format",
        );
        let on = past_date(&mut e, Some(&self.proposed_on), "proposed_on");
        let status = opt(&mut e, self.status.as_deref(), ProposalStatus::parse)
            .unwrap_or(ProposalStatus::Submitted);
        finish(e, on.map(|on| (on, status)))
    }
}

#[derive(Deserialize, ToSchema, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct ProposalDecisionBody {
    /// submitted, granted, refused, withdrawn.
    pub status: String,
    /// `YYYY-MM-DD`, not in the future nor before the proposal; required unless
    /// the status is submitted (which clears it).
    pub decided_on: Option<String>,
    /// The version read.
    pub version: i32,
}

impl ProposalDecisionBody {
    fn parse(&self, proposed_on: &str) -> Result<(ProposalStatus, Option<Date>, i32), AppError> {
        let mut e = Errors::default();
        let status = opt(&mut e, Some(&self.status), ProposalStatus::parse);
        e.check(
            self.status.trim().is_empty(),
            "status",
            "error-missing-field",
        );
        let on = past_date(&mut e, self.decided_on.as_deref(), "decided_on");
        let decided = status.is_some_and(|s| s != ProposalStatus::Submitted);
        e.check(
            decided && on.is_none() && e.is_empty(),
            "decided_on",
            "error-decision-date-required",
        );
        // ISO dates compare as text.
        e.check(
            on.is_some_and(|d| d.to_string().as_str() < proposed_on),
            "decided_on",
            "error-decision-before-proposal",
        );
        finish(e, status.map(|s| (s, on.filter(|_| decided), self.version)))
    }
}

impl App {
    /// What the child's case records; with `identity` the guardian too, which needs
    /// the right to see identities and is an audited read.
    pub async fn child(&self, a: &Authed, id: &str, identity: bool) -> Result<ChildOut, AppError> {
        let action = if identity {
            Action::ViewIdentity
        } else {
            Action::ViewCase
        };
        let c = self.case_for(a, id, action).await?;
        self.child_of(a, &c.id, identity.then_some("api")).await
    }

    /// The child record of a case already allowed; the guardian is read (and the
    /// read audited with `purpose`) only when a purpose is given.
    pub(crate) async fn child_of(
        &self,
        a: &Authed,
        case_id: &str,
        guardian_purpose: Option<&str>,
    ) -> Result<ChildOut, AppError> {
        let m = self.store.child_of_case(case_id).await?;
        let guardian = match (&m, guardian_purpose) {
            (Some(m), Some(purpose)) => self.store.read_guardian(a.user_uuid(), m, purpose).await?,
            _ => None,
        };
        let proposals = self.store.child_proposals(case_id).await?;
        Ok(child_out(m, guardian, proposals))
    }

    /// Records the guardian and the coordination mechanism (optimistic: the version
    /// read). The answer never carries the guardian.
    pub async fn save_child(
        &self,
        a: &Authed,
        id: &str,
        b: ChildBody,
    ) -> Result<ChildOut, AppError> {
        let c = self.case_for(a, id, Action::EditCase).await?;
        let r = b.parse()?;
        let m = self
            .store
            .save_child(a.user_uuid(), &c.id, b.version, r)
            .await?;
        let proposals = self.store.child_proposals(&c.id).await?;
        Ok(child_out(Some(m), None, proposals))
    }

    /// Records a proposal under Art. 76a of the Personal Documents Act.
    pub async fn add_proposal(
        &self,
        a: &Authed,
        id: &str,
        b: ProposalBody,
    ) -> Result<ProposalOut, AppError> {
        let c = self.case_for(a, id, Action::EditCase).await?;
        let (on, status) = b.parse()?;
        let m = self
            .store
            .add_child_proposal(a.user_uuid(), &c.id, on, status)
            .await?;
        Ok(m.into())
    }

    /// Records the decision on a proposal under Art. 76a (or its withdrawal, or
    /// puts it back to submitted), optimistically on the version read.
    pub async fn decide_proposal(
        &self,
        a: &Authed,
        id: &str,
        proposal_id: &str,
        b: ProposalDecisionBody,
    ) -> Result<ProposalOut, AppError> {
        let c = self.case_for(a, id, Action::EditCase).await?;
        let p = self
            .store
            .child_proposals(&c.id)
            .await?
            .into_iter()
            .find(|p| p.id == proposal_id)
            .ok_or(AppError::NotFound)?;
        let (status, on, version) = b.parse(&p.proposed_on)?;
        let m = self
            .store
            .decide_child_proposal(a.user_uuid(), &c.id, &p.id, version, status, on)
            .await?;
        Ok(m.into())
    }
}
