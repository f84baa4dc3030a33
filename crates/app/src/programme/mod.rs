//! The National Programme: a year's activities with where each stands, an
//! activity with its reports and notes, progress reporting and its review,
//! institutions' completeness, two years compared, and the Programme's files.
//! Pages and API call the same operations here; every access decision is the
//! policy's, asked with the same action the button on the page stands for.

pub mod compare;
pub mod files;
pub mod institutions;
pub mod reporting;
pub mod standing;

use std::collections::HashMap;

use zakrila_domain::{
    policy::{Action, Resource},
    programme::{Period, ReportStatus, ReviewStep, SAVE_ACTION},
};
use zakrila_programme::{Accumulation, Activity, Issue, Programme, ValidationReport};
use zakrila_store::{
    entity::{progress_note, progress_report},
    programme::{StoredActivity, StoredProgramme, actuals, period_of},
};

pub use self::standing::{ActivityStanding, Completeness, Standing};
use crate::{App, AppError, Authed, Org};

/// The storage ids beside one activity of the Programme.
#[derive(Debug, Clone)]
pub struct ActivityIds {
    pub id: String,
    /// Organisation ids of the matched lead institutions.
    pub leads: Vec<String>,
    pub partners: Vec<String>,
    /// Parallel to the activity's indicators.
    pub indicators: Vec<IndicatorIds>,
}

#[derive(Debug, Clone)]
pub struct IndicatorIds {
    pub id: String,
    pub accumulation: Accumulation,
}

impl From<&StoredActivity> for ActivityIds {
    fn from(s: &StoredActivity) -> Self {
        ActivityIds {
            id: s.id.clone(),
            leads: s.leads.clone(),
            partners: s.partners.clone(),
            indicators: s
                .indicators
                .iter()
                .map(|i| IndicatorIds {
                    id: i.id.clone(),
                    accumulation: i.accumulation,
                })
                .collect(),
        }
    }
}

/// A progress report on one indicator for one period.
#[derive(Debug, Clone)]
pub struct Report {
    pub id: String,
    pub activity_id: String,
    pub indicator_id: String,
    /// As stored (`quarter`, `half`, `year`), for clients that read it back.
    pub period_kind: String,
    pub period_number: i32,
    /// The period inside the programme's year; `None` for a row that is not.
    pub period: Option<Period>,
    pub value: Option<f64>,
    pub narrative: String,
    pub evidence: Vec<String>,
    pub status: ReportStatus,
    pub coordinator_comment: Option<String>,
    /// The reporting (lead) organisation.
    pub org_id: String,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
    pub version: i32,
}

impl Report {
    fn from_row(r: progress_report::Model, year: i32) -> Result<Self, AppError> {
        Ok(Report {
            period: period_of(&r, year),
            // Statuses are written by the store from the domain's enum only.
            status: ReportStatus::parse(&r.status).map_err(|_| AppError::Internal)?,
            value: r.value_milli.map(|v| v as f64 / 1000.0),
            evidence: r.evidence.lines().map(str::to_owned).collect(),
            id: r.id,
            activity_id: r.activity_id,
            indicator_id: r.indicator_id,
            period_kind: r.period_kind,
            period_number: r.period_number,
            narrative: r.narrative,
            coordinator_comment: r.coordinator_comment,
            org_id: r.org_id,
            updated_at: r.updated_at,
            submitted_at: r.submitted_at,
            version: r.version,
        })
    }
}

/// A partner's or lead's note on an activity.
#[derive(Debug, Clone)]
pub struct Note {
    pub org_id: String,
    pub body: String,
    pub created_at: i64,
}

impl From<progress_note::Model> for Note {
    fn from(n: progress_note::Model) -> Self {
        Note {
            org_id: n.org_id,
            body: n.body,
            created_at: n.created_at,
        }
    }
}

/// A year's Programme with everything its pages and the API compute from.
#[derive(Debug, Clone)]
pub struct Year {
    pub year: i32,
    pub programme: Programme,
    /// Parallel to `programme.activities`.
    pub activities: Vec<ActivityIds>,
    /// Parallel to `programme.activities`.
    pub standings: Vec<ActivityStanding>,
    /// The import's validation report.
    pub issues: ValidationReport,
    pub reports: Vec<Report>,
    /// The directory, by organisation id.
    pub orgs: HashMap<String, Org>,
    /// Every year that has a programme, latest first.
    pub years: Vec<i32>,
    /// Whether the caller may import or copy a year (the coordinators' links).
    pub can_manage: bool,
}

impl Year {
    /// The abbreviations of these organisations, comma-separated.
    pub fn abbrevs(&self, ids: &[String]) -> String {
        ids.iter()
            .filter_map(|id| self.orgs.get(id))
            .map(|o| o.abbrev_bg.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The slugs of these organisations.
    pub fn slugs(&self, ids: &[String]) -> Vec<String> {
        ids.iter()
            .filter_map(|id| self.orgs.get(id))
            .map(|o| o.slug.clone())
            .collect()
    }

    /// A section's progress: the mean over its activities, one without any
    /// measurable progress counting as none.
    pub fn section_percent(&self, section: u8) -> Option<f64> {
        let v: Vec<f64> = self
            .rows()
            .filter(|(a, ..)| a.section == section)
            .map(|(.., s)| s.percent.unwrap_or(0.0))
            .collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    }

    /// The activities the filter keeps, in the Programme's order. An unknown
    /// organisation keeps every activity, as no filter would.
    pub fn filtered<'a>(
        &'a self,
        f: &'a Filter,
    ) -> impl Iterator<Item = (&'a Activity, &'a ActivityIds, &'a ActivityStanding)> {
        let org = given(&f.org)
            .and_then(|slug| self.orgs.values().find(|o| o.slug == slug))
            .map(|o| o.id.clone());
        self.rows().filter(move |(act, ids, st)| {
            given(&f.section).is_none_or(|s| s == act.section.to_string())
                && org
                    .as_ref()
                    .is_none_or(|o| ids.leads.contains(o) || ids.partners.contains(o))
                && given(&f.status).is_none_or(|s| s == st.standing.code())
        })
    }

    /// Each activity with its ids and standing.
    pub fn rows(&self) -> impl Iterator<Item = (&Activity, &ActivityIds, &ActivityStanding)> {
        self.programme
            .activities
            .iter()
            .zip(&self.activities)
            .zip(&self.standings)
            .map(|((a, i), s)| (a, i, s))
    }
}

/// Which activities a dashboard lists: by section number, organisation slug (lead
/// or partner) and standing code; an empty or absent value does not filter.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct Filter {
    #[serde(default)]
    pub section: Option<String>,
    #[serde(default)]
    pub org: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
}

impl Filter {
    pub fn section_is(&self, n: &u8) -> bool {
        self.section.as_deref() == Some(n.to_string().as_str())
    }
    pub fn org_is(&self, slug: &str) -> bool {
        self.org.as_deref() == Some(slug)
    }
    pub fn status_is(&self, code: &str) -> bool {
        self.status.as_deref() == Some(code)
    }
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.is_empty())
}

/// The years with a programme, and whether the caller may add one.
#[derive(Debug, Clone)]
pub struct Years {
    pub years: Vec<i32>,
    pub can_manage: bool,
}

/// A report on an activity's page, with the steps the caller may take on it.
#[derive(Debug, Clone)]
pub struct ReportEntry {
    pub report: Report,
    /// Saving a new draft over it (the reporter's edit).
    pub can_edit: bool,
    pub can_submit: bool,
    pub can_approve: bool,
    pub can_return: bool,
}

/// One activity: what the Programme says, its progress, reports and notes, and
/// which forms the caller may use.
#[derive(Debug, Clone)]
pub struct ActivityView {
    pub year: i32,
    pub activity: Activity,
    pub ids: ActivityIds,
    pub standing: ActivityStanding,
    /// The strategic objective's title, when the activity names one.
    pub objective_title: Option<String>,
    pub reports: Vec<ReportEntry>,
    pub notes: Vec<Note>,
    /// The import's findings about this activity.
    pub issues: Vec<Issue>,
    pub orgs: HashMap<String, Org>,
    pub can_report: bool,
    pub can_note: bool,
}

impl ActivityView {
    pub fn abbrev(&self, org_id: &str) -> String {
        self.orgs
            .get(org_id)
            .map(|o| o.abbrev_bg.clone())
            .unwrap_or_default()
    }
}

/// A programme as loaded inside the application (store types stay here).
pub(crate) struct Loaded {
    pub stored: StoredProgramme,
    pub reports: Vec<progress_report::Model>,
}

impl App {
    pub(crate) async fn load_programme(&self, year: i32) -> Result<Loaded, AppError> {
        let stored = self
            .store
            .load_programme(year)
            .await?
            .ok_or(AppError::NotFound)?;
        let reports = self.store.progress_reports(&stored.record.id).await?;
        Ok(Loaded { stored, reports })
    }

    async fn org_directory(&self) -> Result<HashMap<String, Org>, AppError> {
        Ok(self
            .all_orgs()
            .await?
            .into_iter()
            .map(|o| (o.id.clone(), o))
            .collect())
    }

    /// The years that have a programme, latest first.
    pub async fn programme_years(&self, a: &Authed) -> Result<Years, AppError> {
        a.require(Action::ViewProgramme, &Resource::System)?;
        Ok(Years {
            years: self.store.programme_years().await?,
            can_manage: a.can(Action::ManageProgramme, &Resource::System),
        })
    }

    /// A year's Programme, each activity with where it stands today.
    pub async fn programme(&self, a: &Authed, year: i32) -> Result<Year, AppError> {
        a.require(Action::ViewProgramme, &Resource::System)?;
        let l = self.load_programme(year).await?;
        let standings = standing::activities(&l, standing::today());
        let reports = l
            .reports
            .into_iter()
            .map(|r| Report::from_row(r, year))
            .collect::<Result<_, _>>()?;
        Ok(Year {
            year,
            activities: l.stored.activities.iter().map(ActivityIds::from).collect(),
            programme: l.stored.programme,
            standings,
            issues: l.stored.report,
            reports,
            orgs: self.org_directory().await?,
            years: self.store.programme_years().await?,
            can_manage: a.can(Action::ManageProgramme, &Resource::System),
        })
    }

    /// One activity with its reports, notes and the steps the caller may take.
    pub async fn programme_activity(
        &self,
        a: &Authed,
        year: i32,
        code: &str,
    ) -> Result<ActivityView, AppError> {
        a.require(Action::ViewProgramme, &Resource::System)?;
        let l = self.load_programme(year).await?;
        let index = l
            .stored
            .programme
            .activities
            .iter()
            .position(|x| x.code == code)
            .ok_or(AppError::NotFound)?;
        let act = &l.stored.programme.activities[index];
        let ids = &l.stored.activities[index];
        let resource = ids.resource();
        let can = |action: Action| a.can(action, &resource);
        let may = |step: ReviewStep, s: ReportStatus| can(step.action()) && s.after(step).is_ok();
        let mut standings = standing::activities(&l, standing::today());
        let mut reports = vec![];
        for r in l.reports.iter().filter(|r| r.activity_id == ids.id) {
            let report = Report::from_row(r.clone(), year)?;
            let s = report.status;
            reports.push(ReportEntry {
                can_edit: can(SAVE_ACTION) && s.check_edit().is_ok(),
                can_submit: may(ReviewStep::Submit, s),
                can_approve: may(ReviewStep::Approve, s),
                can_return: may(ReviewStep::Return, s),
                report,
            });
        }
        let notes = self
            .store
            .progress_notes(&ids.id)
            .await?
            .into_iter()
            .map(Note::from)
            .collect();
        Ok(ActivityView {
            year,
            objective_title: act
                .strategic_objective
                .as_deref()
                .and_then(|c| l.stored.programme.strategic_objective(c))
                .map(|o| o.title.clone()),
            issues: l.stored.report.for_activity(code).cloned().collect(),
            can_report: can(SAVE_ACTION),
            can_note: can(Action::AddProgressNote),
            standing: standings.swap_remove(index),
            activity: act.clone(),
            ids: ids.into(),
            reports,
            notes,
            orgs: self.org_directory().await?,
        })
    }
}

/// The progress actuals of a loaded programme (approved reports only).
pub(crate) fn actuals_of(l: &Loaded) -> zakrila_programme::ProgressActuals {
    actuals(&l.stored, &l.reports)
}
