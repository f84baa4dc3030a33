//! Exports of the caseload (CSV, XLSX), the person's right of access ("everything
//! held about me") and erasure of a closed case. Identity leaves the system only
//! for cases whose identity the policy lets the caller see, and every export and
//! identity read is audited.

use serde::Serialize;
use utoipa::ToSchema;
use zakrila_domain::policy::Action;
use zakrila_store::{
    audit::{self, AuditEntry, AuditQuery},
    cases::{CaseFilter, CaseListItem},
    free_text::REFERRAL_PURPOSE,
};

pub use crate::case_export::{Cells, ExportFile, ExportFormat};
use crate::{
    App, AppError, Authed,
    case_details::{AssessmentOut, ReturnOut},
    cases::Identity,
    child::ChildOut,
    proceedings::{OffenderOut, ProceedingsOut},
    reintegration::{FollowUpOut, GoalOut},
};

#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ProfileOut {
    pub sex: String,
    pub age_band: Option<String>,
    pub citizenship: Option<String>,
    pub languages: Vec<String>,
    pub child: bool,
    pub unaccompanied: bool,
    pub disability: bool,
}

#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct HistoryLine {
    pub at: i64,
    pub action: String,
}

/// A read of the person's identity: who (name and organisation) and when — what a
/// person asking "who looked at my file?" is owed.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct IdentityReadLine {
    pub at: i64,
    pub by: String,
    pub organisation: String,
}

#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ReferralLine {
    pub to_org: String,
    pub purpose: String,
    pub status: String,
    pub created_at: i64,
}

#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ServiceLine {
    pub service: String,
    pub status: String,
    pub due_date: Option<String>,
    pub cost_stotinki: Option<i64>,
}

/// Everything Zakrila holds about the person of one case.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct SubjectReport {
    pub code: String,
    pub organisation: String,
    pub stage: String,
    pub closure_reason: Option<String>,
    pub identified_on: Option<String>,
    pub reflection_ends: Option<String>,
    pub risk_level: Option<String>,
    /// Set once the personal data were erased.
    pub erased_at: Option<i64>,
    pub identity: Identity,
    pub profile: ProfileOut,
    /// The exploitation record (forms, means of control, countries…).
    pub exploitation: serde_json::Value,
    pub consents: Vec<HistoryLine>,
    pub referrals: Vec<ReferralLine>,
    pub services: Vec<ServiceLine>,
    pub assessments: Vec<AssessmentOut>,
    #[serde(rename = "return")]
    pub return_trip: Option<ReturnOut>,
    pub goals: Vec<GoalOut>,
    pub follow_ups: Vec<FollowUpOut>,
    pub child: ChildOut,
    pub proceedings: Vec<ProceedingsOut>,
    pub offenders: Vec<OffenderOut>,
    /// The documents attached to the case, with the names the files had.
    pub documents: Vec<crate::documents::ReportDocument>,
    /// What was done with the case and when, from the audit trail.
    pub history: Vec<HistoryLine>,
    /// Every read of the identity, oldest first (this report's own read last).
    pub identity_reads: Vec<IdentityReadLine>,
    pub generated_at: i64,
}

impl App {
    /// The caller's caseload, newest first, narrowed by stage and form; reading
    /// stops once more than `limit` cases are found (so a caller can refuse).
    pub(crate) async fn caseload_items(
        &self,
        a: &Authed,
        stage: Option<String>,
        form: Option<String>,
        limit: Option<usize>,
    ) -> Result<Vec<CaseListItem>, AppError> {
        let mut out = vec![];
        for page in 0.. {
            let filter = CaseFilter {
                page,
                per_page: 200,
                stage: stage.clone(),
                form: form.clone(),
                ..Default::default()
            };
            let found = self.store.search_cases(&a.org.id, &filter).await?;
            let more = found.has_next(page, 200);
            out.extend(self.store.cases_of_rows(&found.items).await?);
            if !more || limit.is_some_and(|l| out.len() > l) {
                break;
            }
        }
        Ok(out)
    }

    /// Everything held about the person of case `id` (right of access): needs the
    /// right to see identities. The identity and guardian reads and the report
    /// itself are audited.
    pub async fn subject_report(&self, a: &Authed, id: &str) -> Result<SubjectReport, AppError> {
        let (c, p) = self
            .case_and_person_for(a, id, Action::ViewIdentity)
            .await?;
        let identity = self
            .store
            .read_identity_of(a.user_uuid(), &c, &p, "subject report")
            .await?;
        let orgs = self.store.list_orgs().await?;
        let slug = |id: &str| {
            orgs.iter()
                .find(|o| o.id == id)
                .map(|o| o.slug.clone())
                .unwrap_or_default()
        };
        let child = self.child_of(a, &c.id, Some("subject report")).await?;
        let consents = self
            .store
            .consents(&c.id)
            .await?
            .into_iter()
            .map(|r| HistoryLine {
                at: (r.at.unix_timestamp_nanos() / 1_000_000) as i64,
                action: format!("{}:{}", r.kind.as_str(), r.state.as_str()),
            })
            .collect();
        let query = AuditQuery {
            entity: Some("case".into()),
            entity_id: Some(c.id.clone()),
            ..Default::default()
        };
        let events = audit::list(&self.store.reads, &query, 1000).await?;
        let mut readers: Vec<String> = events
            .iter()
            .filter(|e| e.action == "case.identity_read")
            .filter_map(|e| e.actor_id.clone())
            .collect();
        readers.sort();
        readers.dedup();
        let users = self.store.users_by_ids(&readers).await?;
        let mut identity_reads: Vec<IdentityReadLine> = events
            .iter()
            .filter(|e| e.action == "case.identity_read")
            .map(|e| {
                let u = users.iter().find(|u| Some(&u.id) == e.actor_id.as_ref());
                IdentityReadLine {
                    at: e.at,
                    by: u.map(|u| u.display_name.clone()).unwrap_or_default(),
                    organisation: u.map(|u| slug(&u.org_id)).unwrap_or_default(),
                }
            })
            .collect();
        identity_reads.reverse();
        let mut history: Vec<HistoryLine> = events
            .into_iter()
            .map(|e| HistoryLine {
                at: e.at,
                action: e.action,
            })
            .collect();
        history.reverse();
        let mut texts = self.store.text_reader();
        let mut referrals = vec![];
        for r in self.store.referrals_of_case(&c.id).await? {
            referrals.push(ReferralLine {
                to_org: slug(&r.to_org),
                purpose: texts
                    .open(&c.id, REFERRAL_PURPOSE, &r.id, Some(r.purpose.as_str()))?
                    .unwrap_or_default(),
                status: r.status,
                created_at: r.created_at,
            });
        }
        let return_trip = match self.store.return_of_case(&c.id).await? {
            Some(m) => Some(ReturnOut::of(m, Some(&mut texts))?),
            None => None,
        };
        let goals = self.goals_of(&c.id, Some(&mut texts)).await?;
        let follow_ups = self.follow_ups_of(&c.id, Some(&mut texts)).await?;
        let proceedings = self.proceedings_of(&c.id, Some(&mut texts)).await?;
        texts.record(a.user_uuid(), "subject report").await?;
        let services = self.store.services_of_case(&c.id).await?;
        let report = SubjectReport {
            identity: identity.into(),
            profile: ProfileOut {
                sex: p.sex.clone(),
                age_band: p.age_band.clone(),
                citizenship: p.citizenship.clone(),
                languages: zakrila_store::comma_items(&p.languages)
                    .map(str::to_owned)
                    .collect(),
                child: p.is_child,
                unaccompanied: p.unaccompanied,
                disability: p.disability,
            },
            exploitation: serde_json::from_str(&c.exploitation).unwrap_or_default(),
            consents,
            referrals,
            services: services
                .into_iter()
                .map(|s| ServiceLine {
                    service: s.service_code,
                    status: s.status,
                    due_date: s.due_date,
                    cost_stotinki: s.cost_stotinki,
                })
                .collect(),
            assessments: self.assessments_of(&c.id).await?,
            return_trip,
            goals,
            follow_ups,
            child,
            proceedings,
            offenders: self.offenders_of(&c.id).await?,
            documents: self.report_documents(&c.id, slug).await?,
            erased_at: self
                .store
                .erasure_of_case(&c.id)
                .await?
                .map(|e| e.erased_at),
            history,
            identity_reads,
            generated_at: crate::now_ms(),
            organisation: slug(&c.org_id),
            code: c.code.clone(),
            stage: c.stage.clone(),
            closure_reason: c.closure_reason.clone(),
            identified_on: c.identified_on.clone(),
            reflection_ends: c.reflection_ends.clone(),
            risk_level: c.risk_level.clone(),
        };
        let entry = AuditEntry::new(Some(a.user_uuid()), "case.subject_report", "case").id(&c.id);
        self.store.record(entry).await?;
        Ok(report)
    }

    /// Erases the personal data of a closed case (identity, name index, free text);
    /// refused while criminal proceedings are open. The profile stays for
    /// statistics. `confirmed`: the deliberate act of ticking the confirmation.
    pub async fn erase_case(&self, a: &Authed, id: &str, confirmed: bool) -> Result<(), AppError> {
        let c = self.case_for(a, id, Action::EraseCase).await?;
        if !confirmed {
            return Err(AppError::invalid("error-erasure-confirm", Some("confirm")));
        }
        Ok(self.store.erase_case(a.user_uuid(), &c.id).await?)
    }
}
