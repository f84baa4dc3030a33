//! Projects with targets. Each target is a query from the catalogue
//! (`TargetMetric`) counted live over the data — cases served, consultations,
//! distinct beneficiaries, participants, events — never a number typed in.

use serde::{Deserialize, Serialize};
use time::{Date, Month};
use utoipa::ToSchema;
use zakrila_domain::{
    DomainError,
    case::{Money, parse_date},
    outreach::{ParticipantCategory, TargetMetric},
    policy::{Action, Resource},
};
use zakrila_store::{
    entity::{project, project_target},
    projects::{NewProject, NewTarget},
};

use crate::{App, AppError, Authed, Errors, case_details::today};

/// A target with what is achieved so far.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TargetOut {
    pub name: String,
    pub name_bg: String,
    pub name_en: String,
    pub metric: String,
    pub params: Vec<String>,
    pub target: i64,
    pub achieved: i64,
    /// Whole per cent of the target achieved (may exceed 100).
    pub percent: i64,
}

/// One point of a target's burn-up: achieved by the end of `month` (`YYYY-MM`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BurnUpPoint {
    pub month: String,
    pub achieved: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProjectOut {
    pub id: String,
    pub slug: String,
    pub name_bg: String,
    pub name_en: String,
    pub donor: Option<String>,
    /// The implementing organisation's slug.
    pub org: String,
    pub partners: Vec<String>,
    pub starts_on: String,
    pub ends_on: String,
    pub budget_stotinki: Option<i64>,
    pub targets: Vec<TargetOut>,
}

/// A project with its burn-up over the period, month by month.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProjectPage {
    #[serde(flatten)]
    pub project: ProjectOut,
    pub burn_up: Vec<BurnUpPoint>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct TargetBody {
    pub name_bg: String,
    pub name_en: String,
    /// cases_served, consultations, consultation_persons, participants, events.
    pub metric: String,
    /// Service codes (cases_served) or participant categories (participants).
    pub params: Vec<String>,
    pub target: i64,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ProjectBody {
    /// A stable Latin slug, e.g. `iom-return-2026`.
    pub slug: String,
    pub name_bg: String,
    pub name_en: String,
    pub donor: Option<String>,
    /// The implementing organisation's slug; the caller's organisation when absent.
    pub org: Option<String>,
    pub partners: Vec<String>,
    /// `YYYY-MM-DD`.
    pub starts_on: String,
    /// `YYYY-MM-DD`.
    pub ends_on: String,
    /// BGN, e.g. `150000,00`.
    pub budget_bgn: Option<String>,
    pub targets: Vec<TargetBody>,
}

fn lang_name<'a>(bg: &'a str, en: &'a str, lang: &str) -> &'a str {
    if lang == "en" { en } else { bg }
}

impl App {
    async fn project_out(
        &self,
        p: &project::Model,
        targets: &[project_target::Model],
        lang: &str,
    ) -> Result<ProjectOut, AppError> {
        let orgs = self.all_orgs().await?;
        let mut out = Vec::new();
        let until = today().to_string();
        for t in targets {
            let achieved = self.store.achieved(p, t, &until).await?;
            out.push(TargetOut {
                name: lang_name(&t.name_bg, &t.name_en, lang).to_owned(),
                name_bg: t.name_bg.clone(),
                name_en: t.name_en.clone(),
                metric: t.metric.clone(),
                params: zakrila_store::comma_items(&t.params)
                    .map(str::to_owned)
                    .collect(),
                target: t.target,
                achieved,
                percent: if t.target > 0 {
                    achieved * 100 / t.target
                } else {
                    0
                },
            });
        }
        Ok(ProjectOut {
            id: p.id.clone(),
            slug: p.slug.clone(),
            name_bg: p.name_bg.clone(),
            name_en: p.name_en.clone(),
            donor: p.donor.clone(),
            org: orgs
                .iter()
                .find(|o| o.id == p.org_id)
                .map(|o| o.slug.clone())
                .unwrap_or_default(),
            partners: zakrila_store::comma_items(&p.partners)
                .map(str::to_owned)
                .collect(),
            starts_on: p.starts_on.clone(),
            ends_on: p.ends_on.clone(),
            budget_stotinki: p.budget_stotinki,
            targets: out,
        })
    }

    /// Every project with its targets and what each has achieved.
    pub async fn projects(&self, a: &Authed, lang: &str) -> Result<Vec<ProjectOut>, AppError> {
        a.require(Action::ViewProjects, &Resource::System)?;
        let mut out = Vec::new();
        for p in self.store.list_projects().await? {
            let targets = self.store.project_targets(&p.id).await?;
            out.push(self.project_out(&p, &targets, lang).await?);
        }
        Ok(out)
    }

    /// One project with its targets and their burn-up, month by month over the
    /// period (up to today).
    pub async fn project(&self, a: &Authed, id: &str, lang: &str) -> Result<ProjectPage, AppError> {
        a.require(Action::ViewProjects, &Resource::System)?;
        let p = self
            .store
            .project_by_id(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let targets = self.store.project_targets(&p.id).await?;
        let project = self.project_out(&p, &targets, lang).await?;
        let mut burn_up = Vec::new();
        if let (Ok(start), Ok(end)) = (
            parse_date(&p.starts_on, "starts_on"),
            parse_date(&p.ends_on, "ends_on"),
        ) {
            let end = end.min(today());
            let mut month = (start.year(), start.month());
            while let Some(last) = month_end(month.0, month.1) {
                let day = last.min(end);
                let mut achieved = Vec::new();
                for t in &targets {
                    achieved.push(self.store.achieved(&p, t, &day.to_string()).await?);
                }
                burn_up.push(BurnUpPoint {
                    month: format!("{:04}-{:02}", month.0, month.1 as u8),
                    achieved,
                });
                if last >= end {
                    break;
                }
                month = match month.1 {
                    Month::December => (month.0 + 1, Month::January),
                    m => (month.0, m.next()),
                };
            }
        }
        Ok(ProjectPage { project, burn_up })
    }

    /// Creates a project with its targets.
    pub async fn create_project(&self, a: &Authed, b: ProjectBody) -> Result<ProjectOut, AppError> {
        let mut e = Errors::default();
        let org = match b.org.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(slug) => self
                .store
                .org_by_slug(slug)
                .await?
                .ok_or(DomainError::field("org", "error-org-unknown"))?,
            None => self
                .store
                .org_by_id(&a.org.id)
                .await?
                .ok_or(AppError::Internal)?,
        };
        let org_uuid = uuid::Uuid::parse_str(&org.id).map_err(|_| AppError::Internal)?;
        a.require(Action::ManageProjects, &Resource::Org(org_uuid))?;
        let slug = b.slug.trim().to_owned();
        e.check(
            !(2..=60).contains(&slug.len())
                || !slug
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "slug",
            "error-project-slug",
        );
        e.check(
            b.name_bg.trim().is_empty() || b.name_en.trim().is_empty(),
            "name_bg",
            "error-name-empty",
        );
        let starts = e.take(parse_date(&b.starts_on, "starts_on"));
        let ends = e.take(parse_date(&b.ends_on, "ends_on"));
        if let (Some(s), Some(en)) = (starts, ends) {
            e.check(en < s, "ends_on", "error-period-order");
        }
        let budget = b
            .budget_bgn
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .and_then(|s| {
                e.take(
                    Money::parse(s)
                        .map_err(|_| DomainError::field("budget_bgn", "error-money-format")),
                )
            });
        let all_orgs = self.all_orgs().await?;
        for p in &b.partners {
            e.check(
                !all_orgs.iter().any(|o| o.slug == p.trim()),
                "partners",
                "error-org-unknown",
            );
        }
        let services = self.store.list_services().await?;
        let mut targets = Vec::new();
        for t in &b.targets {
            let metric = e.take(TargetMetric::parse(t.metric.trim()));
            e.check(t.target <= 0, "targets", "error-target-value");
            e.check(
                t.name_bg.trim().is_empty() || t.name_en.trim().is_empty(),
                "targets",
                "error-name-empty",
            );
            for param in &t.params {
                let ok = match metric {
                    Some(TargetMetric::CasesServed) => services.iter().any(|s| &s.code == param),
                    Some(TargetMetric::Participants) => ParticipantCategory::parse(param).is_ok(),
                    _ => false,
                };
                e.check(!ok, "targets", "error-target-params");
            }
            if let Some(metric) = metric {
                targets.push(NewTarget {
                    name_bg: t.name_bg.trim().to_owned(),
                    name_en: t.name_en.trim().to_owned(),
                    metric,
                    params: t.params.join(","),
                    target: t.target,
                });
            }
        }
        e.check(b.targets.is_empty(), "targets", "error-targets-empty");
        e.finish()?;
        let (Some(starts), Some(ends)) = (starts, ends) else {
            return Err(AppError::Internal);
        };
        let p = self
            .store
            .create_project(
                a.user_uuid(),
                NewProject {
                    slug,
                    name_bg: b.name_bg.trim().to_owned(),
                    name_en: b.name_en.trim().to_owned(),
                    donor: b.donor.filter(|d| !d.trim().is_empty()),
                    org_id: org.id,
                    partners: b.partners.join(","),
                    starts_on: starts.to_string(),
                    ends_on: ends.to_string(),
                    budget_stotinki: budget.map(|m| m.stotinki()),
                    targets,
                },
            )
            .await?;
        let targets = self.store.project_targets(&p.id).await?;
        self.project_out(&p, &targets, "bg").await
    }
}

/// The last day of a month.
fn month_end(year: i32, month: Month) -> Option<Date> {
    let (y, m) = match month {
        Month::December => (year + 1, Month::January),
        m => (year, m.next()),
    };
    Date::from_calendar_date(y, m, 1).ok()?.previous_day()
}
