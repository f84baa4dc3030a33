//! National statistics as analysts and coordinators use them: the harmonised tables
//! of a year, the shared exports (CTDC 2024, Eurostat) with small-cell suppression
//! and their report, and differentially private releases that spend the year's
//! privacy budget — refused, and the refusal logged, when it would be overspent.
//! Published releases are public: anyone may read them.

use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};
use zakrila_domain::{
    case::{
        AgeBand, Country, ExploitationForm, LabourSector, LegalStatus, MeansOfControl,
        RawExploitation, RecruiterRelation, Sex, SexualExploitationType, TraffickingDuration,
    },
    policy::{Action, Resource},
};
use zakrila_stats::{
    OffenderRecord, VictimRecord, ctdc,
    release::{self, Snapshot},
    tables::{self, Table, TableId},
};
use zakrila_store::{
    entity::stats_release,
    stats::{NewRelease, ReleaseOutcome, StatsCase},
};

pub use zakrila_stats::groups::label as cell_label;
pub use zakrila_stats::release::{DEFAULT_BUDGET_MILLI, format_epsilon};

use crate::{App, AppError, Authed};

/// The data set every release draws on: the registered cases and their offenders.
pub const DATASET: &str = "cases";
/// The k of small-cell suppression unless the caller names one.
pub const DEFAULT_K: u64 = 5;

/// Which year's figures (the current year when absent).
#[derive(Debug, Clone, Default, Deserialize, ToSchema, IntoParams)]
pub struct YearQuery {
    pub year: Option<i32>,
}

/// A shared export: `ctdc` (the CTDC 2024 CSV) or `eurostat` (the crim_thb tables).
#[derive(Debug, Clone, Default, Deserialize, ToSchema, IntoParams)]
pub struct ExportQuery {
    pub format: Option<String>,
    pub year: Option<i32>,
    /// Smallest count shown (default 5).
    pub k: Option<u64>,
}

fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum E {
        S(String),
        N(serde_json::Number),
    }
    Ok(match E::deserialize(d)? {
        E::S(s) => s,
        E::N(n) => n.to_string(),
    })
}

/// A release to publish.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ReleaseInput {
    pub year: i32,
    /// ε to spend, as a decimal (e.g. `0.5`), at most to thousandths.
    #[serde(deserialize_with = "string_or_number")]
    #[schema(value_type = String, example = "0.5")]
    pub epsilon: String,
    /// Table codes (`victims_sex_age`, …); every table when empty.
    #[serde(default)]
    pub tables: Vec<String>,
}

/// One cell of a table: its code in each dimension and its count.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CellView {
    pub keys: Vec<String>,
    pub count: u64,
}

/// A table with every cell of its domain.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TableView {
    pub id: String,
    pub title_bg: String,
    pub title_en: String,
    pub dims: Vec<String>,
    pub cells: Vec<CellView>,
    pub total: u64,
}

impl From<Table> for TableView {
    fn from(t: Table) -> Self {
        TableView {
            id: t.id.as_str().to_owned(),
            title_bg: t.id.title(true).to_owned(),
            title_en: t.id.title(false).to_owned(),
            dims: t.dims,
            cells: t
                .cells
                .into_iter()
                .map(|c| CellView {
                    keys: c.keys,
                    count: c.count,
                })
                .collect(),
            total: t.total,
        }
    }
}

/// The harmonised tables of a year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatsTables {
    pub year: i32,
    /// `registration`: each registration is counted; registrations of the same
    /// person in several organisations are not joined in these tables.
    pub unit: String,
    pub tables: Vec<TableView>,
}

/// Records generalised in one quasi-identifier column.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Generalised {
    pub column: String,
    pub records: u64,
}

/// What small-cell suppression cost.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SuppressionReport {
    pub k: u64,
    /// CTDC: records before and after, and those left out.
    pub records_in: u64,
    pub records_out: u64,
    pub records_suppressed: u64,
    pub generalised: Vec<Generalised>,
    /// Eurostat: cells written and cells shown as `c` (confidential).
    pub cells: u64,
    pub cells_suppressed: u64,
}

/// A shared export file and its suppression report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatsExport {
    pub filename: String,
    pub csv: String,
    pub report: SuppressionReport,
}

/// A published release.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReleaseView {
    pub id: String,
    pub year: i32,
    /// ε spent, as a decimal.
    pub epsilon: String,
    pub created_at: i64,
    pub tables: Vec<TableView>,
}

/// The privacy budget of a year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BudgetView {
    pub year: i32,
    pub budget: String,
    pub spent: String,
    pub remaining: String,
}

fn current_year() -> i32 {
    time::OffsetDateTime::now_utc().year()
}

fn year_of(q: Option<i32>) -> Result<i32, AppError> {
    let y = q.unwrap_or_else(current_year);
    if (2000..=current_year() + 1).contains(&y) {
        Ok(y)
    } else {
        Err(AppError::invalid("error-stats-year", Some("year")))
    }
}

fn year_from_ms(ms: i64) -> i32 {
    time::OffsetDateTime::from_unix_timestamp(ms / 1000)
        .map(|t| t.year())
        .unwrap_or(1970)
}

/// A stored case as a statistics record. Codes were written from the same
/// vocabularies; one that no longer parses counts as not known.
fn victim(c: &StatsCase) -> VictimRecord {
    let e: RawExploitation = serde_json::from_str(&c.exploitation).unwrap_or_default();
    fn set<T: Ord>(v: &[String], parse: impl Fn(&str) -> Option<T>) -> Vec<T> {
        let mut out: Vec<T> = v.iter().filter_map(|s| parse(s)).collect();
        out.sort();
        out.dedup();
        out
    }
    VictimRecord {
        year: year_from_ms(c.created_at),
        sex: Sex::parse(&c.sex).unwrap_or(Sex::Unknown),
        age_band: c.age_band.as_deref().and_then(|a| AgeBand::parse(a).ok()),
        is_child: c.is_child,
        unaccompanied: c.unaccompanied,
        citizenship: c
            .citizenship
            .as_deref()
            .and_then(|s| Country::parse(s).ok()),
        exploitation_country: e
            .exploitation_countries
            .first()
            .and_then(|s| Country::parse(s).ok()),
        duration: e.duration_months.map(TraffickingDuration::from_months),
        forms: set(&e.forms, |s| ExploitationForm::parse(s).ok()),
        means_of_control: set(&e.means_of_control, |s| MeansOfControl::parse(s).ok()),
        labour_sectors: set(&e.labour_sectors, |s| LabourSector::parse(s).ok()),
        sexual_types: set(&e.sexual_types, |s| SexualExploitationType::parse(s).ok()),
        recruiter_relations: set(&e.recruiter_relations, |s| RecruiterRelation::parse(s).ok()),
        child_mechanism: c.child_mechanism,
    }
}

fn release_view(m: stats_release::Model) -> Option<ReleaseView> {
    let s: Snapshot = serde_json::from_str(&m.snapshot).ok()?;
    Some(ReleaseView {
        id: m.id,
        year: m.year,
        epsilon: format_epsilon(m.epsilon_milli as u64),
        created_at: m.created_at,
        tables: s.tables.into_iter().map(TableView::from).collect(),
    })
}

impl App {
    async fn stats_records(
        &self,
        year: i32,
    ) -> Result<(Vec<VictimRecord>, Vec<OffenderRecord>), AppError> {
        let victims = self
            .store
            .stats_cases(year)
            .await?
            .iter()
            .map(victim)
            .collect();
        let offenders = self
            .store
            .stats_offenders(year)
            .await?
            .into_iter()
            .filter_map(|o| {
                Some(OffenderRecord {
                    year: year_from_ms(o.created_at),
                    sex: Sex::parse(&o.sex).unwrap_or(Sex::Unknown),
                    citizenship: o
                        .citizenship
                        .as_deref()
                        .and_then(|s| Country::parse(s).ok()),
                    legal_status: LegalStatus::parse(&o.legal_status).ok()?,
                })
            })
            .collect();
        Ok((victims, offenders))
    }

    /// The exact harmonised tables of a year, for those who see internal statistics.
    pub async fn stats_tables(&self, a: &Authed, q: YearQuery) -> Result<StatsTables, AppError> {
        a.require(Action::ViewInternalStats, &Resource::System)?;
        let year = year_of(q.year)?;
        let (v, o) = self.stats_records(year).await?;
        Ok(StatsTables {
            year,
            unit: "registration".to_owned(),
            tables: tables::harmonised(year, &v, &o)
                .into_iter()
                .map(TableView::from)
                .collect(),
        })
    }

    /// A shared export of a year with small cells suppressed, and what that cost.
    pub async fn stats_export(&self, a: &Authed, q: ExportQuery) -> Result<StatsExport, AppError> {
        a.require(Action::ExportStatistics, &Resource::System)?;
        let year = year_of(q.year)?;
        let k = q.k.unwrap_or(DEFAULT_K);
        if !(2..=100).contains(&k) {
            return Err(AppError::invalid("error-stats-k", Some("k")));
        }
        let format = q.format.as_deref().unwrap_or("ctdc");
        let (v, o) = self.stats_records(year).await?;
        let (csv, report) = match format {
            "ctdc" => {
                let (csv, r) = ctdc::export(year, &v, k);
                (
                    csv,
                    SuppressionReport {
                        k,
                        records_in: r.records_in,
                        records_out: r.records_out,
                        records_suppressed: r.records_suppressed,
                        generalised: r
                            .generalised
                            .into_iter()
                            .map(|(column, records)| Generalised { column, records })
                            .collect(),
                        cells: 0,
                        cells_suppressed: 0,
                    },
                )
            }
            "eurostat" => {
                let (csv, r) = tables::eurostat_csv(&tables::harmonised(year, &v, &o), k);
                (
                    csv,
                    SuppressionReport {
                        k,
                        records_in: 0,
                        records_out: 0,
                        records_suppressed: 0,
                        generalised: Vec::new(),
                        cells: r.cells,
                        cells_suppressed: r.cells_suppressed,
                    },
                )
            }
            _ => return Err(AppError::invalid("error-stats-format", Some("format"))),
        };
        Ok(StatsExport {
            filename: format!("zakrila-{format}-{year}.csv"),
            csv,
            report,
        })
    }

    /// Publishes a differentially private snapshot of the chosen tables of a year,
    /// spending `epsilon` of its budget; refused (and the refusal logged) when the
    /// budget would be overspent.
    pub async fn release_statistics(
        &self,
        a: &Authed,
        input: ReleaseInput,
    ) -> Result<ReleaseView, AppError> {
        a.require(Action::ReleaseStatistics, &Resource::System)?;
        let year = year_of(Some(input.year))?;
        let epsilon = release::parse_epsilon(&input.epsilon)
            .ok_or_else(|| AppError::invalid("error-stats-epsilon", Some("epsilon")))?;
        let ids: Vec<TableId> = if input.tables.is_empty() {
            TableId::ALL.to_vec()
        } else {
            let mut ids = Vec::new();
            for t in &input.tables {
                let id = TableId::parse(t)
                    .ok_or_else(|| AppError::invalid("error-stats-table", Some("tables")))?;
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            ids
        };
        let (v, o) = self.stats_records(year).await?;
        let exact: Vec<Table> = ids
            .iter()
            .map(|id| tables::table(*id, year, &v, &o))
            .collect();
        let noisy = release::noisy(exact, epsilon, &mut rand::rngs::OsRng);
        let snapshot = Snapshot {
            year,
            epsilon_milli: epsilon,
            tables: noisy,
        };
        let outcome = self
            .store
            .release_statistics(
                a.user_uuid(),
                NewRelease {
                    dataset: DATASET,
                    year,
                    epsilon_milli: epsilon,
                    default_budget_milli: DEFAULT_BUDGET_MILLI,
                    tables: ids.iter().map(|i| i.as_str().to_owned()).collect(),
                    snapshot: serde_json::to_string(&snapshot).map_err(|_| AppError::Internal)?,
                },
            )
            .await?;
        match outcome {
            ReleaseOutcome::Released(m) => release_view(m).ok_or(AppError::Internal),
            ReleaseOutcome::Refused { .. } => Err(AppError::invalid(
                "error-stats-over-budget",
                Some("epsilon"),
            )),
        }
    }

    /// The privacy budget of a year: what it allows, has spent, has left.
    pub async fn stats_budget(&self, a: &Authed, q: YearQuery) -> Result<BudgetView, AppError> {
        a.require(Action::ViewInternalStats, &Resource::System)?;
        let year = year_of(q.year)?;
        let (budget, spent) = match self.store.stats_budget(DATASET, year).await? {
            Some(b) => (b.budget_milli as u64, b.spent_milli as u64),
            None => (DEFAULT_BUDGET_MILLI, 0),
        };
        Ok(BudgetView {
            year,
            budget: format_epsilon(budget),
            spent: format_epsilon(spent),
            remaining: format_epsilon(budget.saturating_sub(spent)),
        })
    }

    /// Every published release, latest first: public, no sign-in needed.
    pub async fn published_statistics(&self) -> Result<Vec<ReleaseView>, AppError> {
        Ok(self
            .store
            .stats_releases()
            .await?
            .into_iter()
            .filter_map(release_view)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_case_becomes_a_record_in_the_codebooks_terms() {
        let c = StatsCase {
            created_at: 1_750_000_000_000,
            exploitation: r#"{"forms":["labour","sexual"],"labour_sectors":["agriculture"],"sexual_types":[],"means_of_control":["withhold_documents"],"recruitment":null,"recruiter_relations":["friend"],"countries_of_origin":["BGR"],"transit_countries":[],"exploitation_countries":["DEU"],"duration_months":14}"#.into(),
            child_mechanism: false,
            sex: "female".into(),
            age_band: Some("18-20".into()),
            citizenship: Some("BGR".into()),
            is_child: false,
            unaccompanied: false,
        };
        let v = victim(&c);
        assert_eq!(v.year, 2025);
        assert_eq!(
            v.forms,
            vec![ExploitationForm::Sexual, ExploitationForm::Labour]
        );
        assert_eq!(v.exploitation_country, Country::parse("DEU").ok());
        assert_eq!(v.duration, Some(TraffickingDuration::OneToTwoYears));
        assert_eq!(v.means_of_control, vec![MeansOfControl::WithholdDocuments]);
    }
}
