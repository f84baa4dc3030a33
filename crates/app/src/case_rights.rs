//! Exports of the caseload (CSV, XLSX), the person's right of access ("everything
//! held about me") and erasure of a closed case. Identity leaves the system only
//! for cases whose identity the policy lets the caller see, and every export and
//! identity read is audited.

use serde::Serialize;
use utoipa::ToSchema;
use zakrila_domain::policy::{Action, Resource};
use zakrila_store::{
    audit::{self, AuditEntry, AuditQuery},
    cases::{CaseFilter, CaseListItem},
    entity::case,
};

use crate::{
    App, AppError, Authed,
    access::held_case_resource,
    case_details::{AssessmentOut, ReturnOut},
    cases::Identity,
    child::ChildOut,
    proceedings::{OffenderOut, ProceedingsOut},
    reintegration::{FollowUpOut, GoalOut},
};

/// The file format of a caseload export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    pub(crate) fn ext(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }
}

/// An export file, ready to download.
#[derive(Debug, Clone)]
pub struct ExportFile {
    pub body: Vec<u8>,
    pub content_type: &'static str,
    pub file_name: String,
}

const COLUMNS: [&str; 13] = [
    "code",
    "stage",
    "organisation",
    "referred",
    "sex",
    "age_band",
    "citizenship",
    "child",
    "forms",
    "risk_level",
    "identified_on",
    "reflection_ends",
    "updated_at",
];
const IDENTITY_COLUMNS: [&str; 5] = [
    "given_name",
    "family_name",
    "birth_date",
    "personal_number",
    "phone",
];

/// A CSV cell that a spreadsheet would run as a formula gets a leading apostrophe.
fn defuse(s: String) -> String {
    let risky = s.starts_with(['=', '@', '\t', '\r'])
        || (s.starts_with(['+', '-']) && s.chars().any(|c| c.is_alphabetic() || c == '('));
    if risky { format!("'{s}") } else { s }
}

fn csv(header: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(vec![]);
    w.write_record(header)?;
    for r in rows {
        w.write_record(r.iter().cloned().map(defuse))?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

fn xlsx(header: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let sheet = wb.add_worksheet();
    sheet.set_name("cases")?;
    for (col, h) in header.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *h, &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (col, v) in row.iter().enumerate() {
            // Strings, never formulas: a value typed by a person is data.
            sheet.write_string(r as u32 + 1, col as u16, v)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    wb.save_to_buffer()
}

fn date_of(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .map(|t| t.date().to_string())
        .unwrap_or_default()
}

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

    /// The caseload as a table file, without identities. Audited. Identities leave
    /// only through [`App::export_identities`]: asking for them here is refused.
    pub async fn export_caseload(
        &self,
        a: &Authed,
        format: ExportFormat,
        with_identity: bool,
    ) -> Result<ExportFile, AppError> {
        a.require(Action::ExportCases, &Resource::Org(a.actor.org_id))?;
        if with_identity {
            return Err(AppError::invalid(
                "error-identity-export-get",
                Some("identity"),
            ));
        }
        let items = self.caseload_items(a, None, None, None).await?;
        let (file, rows, _) = self.table_file(a, &items, format, false).await?;
        let change = serde_json::json!({
            "format": format.ext(), "rows": rows, "identity": false, "identity_rows": 0,
        });
        let entry = AuditEntry::new(Some(a.user_uuid()), "case.export", "caseload")
            .id(&a.org.id)
            .change(change);
        self.store.record(entry).await?;
        Ok(file)
    }

    /// `items` as a table file, with identity columns when `with_identity`, filled
    /// where the policy lets the caller see the identity (each such read audited).
    /// Also answers the number of rows and of identities read.
    pub(crate) async fn table_file(
        &self,
        a: &Authed,
        items: &[CaseListItem],
        format: ExportFormat,
        with_identity: bool,
    ) -> Result<(ExportFile, usize, usize), AppError> {
        let orgs = self.store.list_orgs().await?;
        let visible: Vec<case::Model> = items
            .iter()
            // Every listed case is in the caller's caseload: no query per case.
            .filter(|i| {
                with_identity && a.can(Action::ViewIdentity, &held_case_resource(a, &i.case))
            })
            .map(|i| i.case.clone())
            .collect();
        let identities = self
            .store
            .read_identities(a.user_uuid(), &visible, "export")
            .await?;
        let mut header: Vec<&str> = COLUMNS.to_vec();
        if with_identity {
            header.extend(IDENTITY_COLUMNS);
        }
        let rows: Vec<Vec<String>> = items
            .iter()
            .map(|i| {
                let (c, p) = (&i.case, i.person.as_ref());
                let mut row = vec![
                    c.code.clone(),
                    c.stage.clone(),
                    orgs.iter()
                        .find(|o| o.id == c.org_id)
                        .map(|o| o.slug.clone())
                        .unwrap_or_default(),
                    i.referred.to_string(),
                    p.map(|p| p.sex.clone()).unwrap_or_default(),
                    p.and_then(|p| p.age_band.clone()).unwrap_or_default(),
                    p.and_then(|p| p.citizenship.clone()).unwrap_or_default(),
                    p.map(|p| p.is_child.to_string()).unwrap_or_default(),
                    c.forms.replace(',', ";"),
                    c.risk_level.clone().unwrap_or_default(),
                    c.identified_on.clone().unwrap_or_default(),
                    c.reflection_ends.clone().unwrap_or_default(),
                    date_of(c.updated_at),
                ];
                if with_identity {
                    let id = visible
                        .iter()
                        .position(|v| v.id == c.id)
                        .map(|i| identities[i].clone())
                        .unwrap_or_default();
                    row.extend(
                        [
                            id.given_name,
                            id.family_name,
                            id.birth_date,
                            id.personal_number,
                            id.phone,
                        ]
                        .map(Option::unwrap_or_default),
                    );
                }
                row
            })
            .collect();
        let (body, content_type) = match format {
            ExportFormat::Csv => (
                csv(&header, &rows).map_err(|_| AppError::Internal)?,
                "text/csv; charset=utf-8",
            ),
            ExportFormat::Xlsx => (
                xlsx(&header, &rows).map_err(|e| {
                    tracing::error!(error = %e, "xlsx export failed");
                    AppError::Internal
                })?,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        };
        let ext = format.ext();
        let file = ExportFile {
            body,
            content_type,
            file_name: format!("zakrila-cases.{ext}"),
        };
        Ok((file, rows.len(), visible.len()))
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
        let referrals = self.store.referrals_of_case(&c.id).await?;
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
            referrals: referrals
                .into_iter()
                .map(|r| ReferralLine {
                    to_org: slug(&r.to_org),
                    purpose: r.purpose,
                    status: r.status,
                    created_at: r.created_at,
                })
                .collect(),
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
            return_trip: self.store.return_of_case(&c.id).await?.map(Into::into),
            goals: self.goals_of(&c.id).await?,
            follow_ups: self.follow_ups_of(&c.id).await?,
            child,
            proceedings: self.proceedings_of(&c.id).await?,
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
