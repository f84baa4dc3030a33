//! Record linkage as people use it: the Commission coordinators' review of probable
//! cross-organisation matches (candidates with pseudonymous case codes and the
//! non-identifying profile only, confirm, reject, run matching now), the count of
//! unique persons, and — on a case — the other organisations a confirmed link shows
//! to be assisting the same person, named only where the policy allows.

use zakrila_domain::{
    case::{AgeBand, ConsentKind, ConsentRecord, ExploitationForm, Sex, Stage, consent_allows},
    policy::{Action, Resource},
};
use zakrila_store::{
    entity::case,
    linkage::{CandidateView, CaseSide, Silent},
};

pub use zakrila_store::linkage::{LinkStatus, Review, RunSummary, UniquePersons};

use crate::{App, AppError, Authed, Org, access::held_case_resource};

/// Most candidates one list returns.
pub const MAX_CANDIDATES: u64 = 500;

/// One side of a candidate: what a coordinator may see of a case — no name, no
/// birth date, no contact.
#[derive(Debug, Clone)]
pub struct Side {
    pub case_code: String,
    /// The organisation that owns the case.
    pub org: Option<Org>,
    /// `None` where the case is gone (erased since the candidate was queued).
    pub stage: Option<Stage>,
    pub forms: Vec<ExploitationForm>,
    pub sex: Option<Sex>,
    pub age_band: Option<AgeBand>,
    pub citizenship: Option<String>,
}

/// A probable match in the review queue.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: String,
    /// Dice similarity of the two CLKs, 0–1.
    pub similarity: f64,
    pub status: LinkStatus,
    pub a: Side,
    pub b: Side,
    pub created_at: i64,
    pub reviewed_at: Option<i64>,
}

/// The review page: the queue, the latest decisions and the unique persons.
#[derive(Debug, Clone)]
pub struct ReviewQueue {
    pub pending: Vec<Candidate>,
    /// The latest confirmed and rejected candidates, latest first.
    pub reviewed: Vec<Candidate>,
    pub unique: UniquePersons,
}

fn side(s: CaseSide, orgs: &[Org]) -> Side {
    Side {
        org: orgs.iter().find(|o| o.id == s.org_id).cloned(),
        // The codes were written from these same vocabularies; a missing case
        // leaves them blank.
        stage: Stage::parse(&s.stage).ok(),
        forms: s
            .forms
            .iter()
            .filter_map(|f| ExploitationForm::parse(f).ok())
            .collect(),
        sex: Sex::parse(&s.sex).ok(),
        age_band: s.age_band.as_deref().and_then(|a| AgeBand::parse(a).ok()),
        case_code: s.code,
        citizenship: s.citizenship,
    }
}

fn candidate(v: CandidateView, orgs: &[Org]) -> Candidate {
    Candidate {
        id: v.candidate.id,
        similarity: v.similarity,
        status: v.status,
        a: side(v.a, orgs),
        b: side(v.b, orgs),
        created_at: v.candidate.created_at,
        reviewed_at: v.candidate.reviewed_at,
    }
}

fn require_reviewer(a: &Authed) -> Result<(), AppError> {
    a.require(Action::ReviewLinkage, &Resource::System)
}

impl App {
    async fn candidates_in(
        &self,
        status: LinkStatus,
        limit: u64,
        orgs: &[Org],
    ) -> Result<Vec<Candidate>, AppError> {
        Ok(self
            .store
            .linkage_candidates(status, limit)
            .await?
            .into_iter()
            .map(|v| candidate(v, orgs))
            .collect())
    }

    /// Candidates in a status (`pending` when none is given), most similar first
    /// (reviewed ones: latest first); at most 500.
    pub async fn linkage_candidates(
        &self,
        a: &Authed,
        status: Option<&str>,
    ) -> Result<Vec<Candidate>, AppError> {
        require_reviewer(a)?;
        let status = match status {
            None | Some("") => LinkStatus::Pending,
            Some(s) => LinkStatus::parse(s)
                .ok_or_else(|| AppError::invalid("error-unknown-value", Some("status")))?,
        };
        let orgs = self.all_orgs().await?;
        self.candidates_in(status, MAX_CANDIDATES, &orgs).await
    }

    /// The review page's content: up to 200 pending candidates, the 20 latest of
    /// each decision, and the unique persons.
    pub async fn linkage_review(&self, a: &Authed) -> Result<ReviewQueue, AppError> {
        require_reviewer(a)?;
        let orgs = self.all_orgs().await?;
        let pending = self.candidates_in(LinkStatus::Pending, 200, &orgs).await?;
        let mut reviewed = self.candidates_in(LinkStatus::Confirmed, 20, &orgs).await?;
        reviewed.extend(self.candidates_in(LinkStatus::Rejected, 20, &orgs).await?);
        reviewed.sort_by_key(|c| std::cmp::Reverse(c.reviewed_at));
        Ok(ReviewQueue {
            pending,
            reviewed,
            unique: self.store.unique_persons().await?,
        })
    }

    /// Confirms or rejects a candidate; `Conflict` when someone decided first.
    pub async fn review_linkage(
        &self,
        a: &Authed,
        id: &str,
        decision: Review,
    ) -> Result<Candidate, AppError> {
        require_reviewer(a)?;
        self.store
            .review_linkage(a.user_uuid(), id, decision)
            .await?;
        let v = self
            .store
            .linkage_candidate(id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(candidate(v, &self.all_orgs().await?))
    }

    /// Runs matching over the whole database now: encodes new or changed persons,
    /// compares every pair of organisations and queues new probable matches.
    pub async fn run_linkage(&self, a: &Authed) -> Result<RunSummary, AppError> {
        require_reviewer(a)?;
        Ok(self.store.run_linkage(Some(a.user_uuid()), &Silent).await?)
    }

    /// Persons registered and unique persons: for those who see internal statistics
    /// and for the linkage reviewers.
    pub async fn unique_persons(&self, a: &Authed) -> Result<UniquePersons, AppError> {
        if !a.can(Action::ViewInternalStats, &Resource::System) {
            require_reviewer(a)?;
        }
        Ok(self.store.unique_persons().await?)
    }

    /// The other organisations assisting the same person as case `case_id`, as
    /// confirmed links show, each named only where the policy allows (the person's
    /// data-sharing consent in both cases). The other case's code is never given.
    pub async fn involved_organisations(
        &self,
        a: &Authed,
        case_id: &str,
    ) -> Result<Vec<Org>, AppError> {
        let c = self.case_for(a, case_id, Action::ViewCase).await?;
        self.involved_organisations_of(a, &c).await
    }

    /// `involved_organisations` of a case already loaded through `access`.
    async fn involved_organisations_of(
        &self,
        a: &Authed,
        c: &case::Model,
    ) -> Result<Vec<Org>, AppError> {
        let own = self.store.consents(&c.id).await?;
        let res = held_case_resource(a, c);
        self.involved_organisations_with(a, c, &res, &own, &[])
            .await
    }

    /// The same, for a caller that already holds the case's policy resource, its
    /// consents and (some) organisations, so nothing is read twice. Without a
    /// data-sharing consent here nothing is named and the other side is not read.
    pub(crate) async fn involved_organisations_with(
        &self,
        a: &Authed,
        c: &case::Model,
        res: &Resource,
        own_consents: &[ConsentRecord],
        known_orgs: &[Org],
    ) -> Result<Vec<Org>, AppError> {
        let Resource::Case { owner, shared_with } = res else {
            return Err(AppError::Internal);
        };
        let linked = self.store.linked_cases(&c.id).await?;
        if linked.is_empty() {
            return Ok(vec![]);
        }
        let now = time::OffsetDateTime::now_utc();
        let consent_here = consent_allows(own_consents, ConsentKind::DataSharing, now);
        let mut orgs: Vec<Org> = vec![];
        for other in linked {
            let consent_there = consent_here
                && consent_allows(
                    &self.store.consents(&other.id).await?,
                    ConsentKind::DataSharing,
                    now,
                );
            let link = Resource::LinkedCase {
                owner: *owner,
                shared_with: shared_with.clone(),
                consent_here,
                consent_there,
            };
            if !a.can(Action::ViewInvolvedOrganisation, &link) {
                continue;
            }
            if let Some(o) = known_orgs.iter().find(|o| o.id == other.org_id) {
                orgs.push(o.clone());
            } else if let Some(o) = self.store.org_by_id(&other.org_id).await? {
                orgs.push(o.into());
            }
        }
        orgs.sort_by(|x, y| x.id.cmp(&y.id));
        orgs.dedup_by(|x, y| x.id == y.id);
        Ok(orgs)
    }
}
