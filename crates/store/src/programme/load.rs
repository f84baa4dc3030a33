//! Reading a stored programme back as the `zakrila_programme` model, with the
//! storage ids and organisation ids the web layer needs beside it.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;
use zakrila_domain::policy::Resource;
use zakrila_programme::{
    Accumulation, Activity, Bgn, Breakdown, Budget, Deadline, Indicator, Institution, Issue,
    OperationalObjective, Programme, Section, StrategicObjective, Unit, ValidationReport,
};

use super::{from_milli, parse_accumulation};
use crate::{
    Store, StoreError,
    entity::{
        organisation, programme, programme_activity, programme_activity_org, programme_indicator,
        programme_issue, programme_objective, programme_section,
    },
};

/// A programme as stored: the model, and beside each activity its ids.
#[derive(Debug, Clone)]
pub struct StoredProgramme {
    pub record: programme::Model,
    pub programme: Programme,
    /// Parallel to `programme.activities`.
    pub activities: Vec<StoredActivity>,
    pub report: ValidationReport,
}

#[derive(Debug, Clone)]
pub struct StoredActivity {
    pub id: String,
    /// Organisation ids of the matched lead institutions.
    pub leads: Vec<String>,
    pub partners: Vec<String>,
    /// Parallel to the activity's indicators.
    pub indicators: Vec<StoredIndicator>,
}

#[derive(Debug, Clone)]
pub struct StoredIndicator {
    pub id: String,
    pub accumulation: Accumulation,
}

impl StoredActivity {
    /// The activity as the policy sees it.
    pub fn resource(&self) -> Resource {
        let ids = |v: &[String]| v.iter().filter_map(|s| Uuid::parse_str(s).ok()).collect();
        Resource::Activity {
            leads: ids(&self.leads),
            partners: ids(&self.partners),
        }
    }
}

impl StoredProgramme {
    /// The activity with this code and its ids (the first, should a document number two alike).
    pub fn activity(&self, code: &str) -> Option<(&Activity, &StoredActivity)> {
        let i = self
            .programme
            .activities
            .iter()
            .position(|a| a.code == code)?;
        Some((&self.programme.activities[i], &self.activities[i]))
    }

    /// (activity, its ids, indicator position) of an indicator id.
    pub fn indicator(&self, indicator_id: &str) -> Option<(&Activity, &StoredActivity, usize)> {
        self.activities.iter().enumerate().find_map(|(i, s)| {
            let pos = s.indicators.iter().position(|ind| ind.id == indicator_id)?;
            Some((&self.programme.activities[i], s, pos))
        })
    }
}

fn deadline(a: &programme_activity::Model) -> Deadline {
    match (a.deadline_kind.as_str(), a.deadline_year, a.deadline_month) {
        ("month", Some(year), Some(month)) => Deadline::Month {
            year,
            month: month as u8,
        },
        ("ongoing", ..) => Deadline::Ongoing,
        _ => Deadline::Unspecified,
    }
}

impl Store {
    /// The years that have a programme, latest first.
    pub async fn programme_years(&self) -> Result<Vec<i32>, StoreError> {
        let all = programme::Entity::find()
            .order_by_desc(programme::Column::Year)
            .all(&self.reads)
            .await?;
        Ok(all.into_iter().map(|p| p.year).collect())
    }

    pub async fn load_programme(&self, year: i32) -> Result<Option<StoredProgramme>, StoreError> {
        let Some(record) = self
            .read_one(programme::Entity::find().filter(programme::Column::Year.eq(year)))
            .await?
        else {
            return Ok(None);
        };
        let pid = record.id.clone();
        let sections = programme_section::Entity::find()
            .filter(programme_section::Column::ProgrammeId.eq(&pid))
            .order_by_asc(programme_section::Column::Number)
            .all(&self.reads)
            .await?;
        let objectives = programme_objective::Entity::find()
            .filter(programme_objective::Column::ProgrammeId.eq(&pid))
            .order_by_asc(programme_objective::Column::Position)
            .all(&self.reads)
            .await?;
        let activity_rows = programme_activity::Entity::find()
            .filter(programme_activity::Column::ProgrammeId.eq(&pid))
            .order_by_asc(programme_activity::Column::Position)
            .all(&self.reads)
            .await?;
        let links = programme_activity_org::Entity::find()
            .filter(programme_activity_org::Column::ProgrammeId.eq(&pid))
            .order_by_asc(programme_activity_org::Column::Position)
            .all(&self.reads)
            .await?;
        let indicator_rows = programme_indicator::Entity::find()
            .filter(programme_indicator::Column::ProgrammeId.eq(&pid))
            .order_by_asc(programme_indicator::Column::Position)
            .all(&self.reads)
            .await?;
        let issues = programme_issue::Entity::find()
            .filter(programme_issue::Column::ProgrammeId.eq(&pid))
            .order_by_asc(programme_issue::Column::Position)
            .all(&self.reads)
            .await?;
        let slugs: HashMap<String, String> = organisation::Entity::find()
            .all(&self.reads)
            .await?
            .into_iter()
            .map(|o| (o.id, o.slug))
            .collect();

        let mut links_of: HashMap<&str, Vec<&programme_activity_org::Model>> = HashMap::new();
        for l in &links {
            links_of.entry(l.activity_id.as_str()).or_default().push(l);
        }
        let mut indicators_of: HashMap<&str, Vec<&programme_indicator::Model>> = HashMap::new();
        for i in &indicator_rows {
            indicators_of
                .entry(i.activity_id.as_str())
                .or_default()
                .push(i);
        }

        let mut activities = Vec::with_capacity(activity_rows.len());
        let mut stored = Vec::with_capacity(activity_rows.len());
        for a in &activity_rows {
            let my_links = links_of.remove(a.id.as_str()).unwrap_or_default();
            let institutions = |role: &str| -> Vec<Institution> {
                my_links
                    .iter()
                    .filter(|l| l.role == role)
                    .map(|l| Institution {
                        mention: l.mention.clone(),
                        org: l.org_id.as_ref().and_then(|id| slugs.get(id)).cloned(),
                    })
                    .collect()
            };
            let org_ids = |role: &str| -> Vec<String> {
                my_links
                    .iter()
                    .filter(|l| l.role == role)
                    .filter_map(|l| l.org_id.clone())
                    .collect()
            };
            let my_indicators = indicators_of.remove(a.id.as_str()).unwrap_or_default();
            activities.push(Activity {
                code: a.code.clone(),
                title: a.title.clone(),
                title_en: a.title_en.clone(),
                section: a.section as u8,
                strategic_objective: a.strategic_objective.clone(),
                operational_objective: a.operational_objective.clone(),
                budget: Budget {
                    amount: a.budget_stotinki.map(Bgn::from_stotinki),
                    source: a.budget_source.clone(),
                },
                deadline: deadline(a),
                deadline_text: a.deadline_text.clone(),
                expected_results: a.expected_results.clone(),
                indicators: my_indicators
                    .iter()
                    .map(|i| Indicator {
                        name: i.name.clone(),
                        unit: Unit::from_code(&i.unit).unwrap_or(Unit::Text),
                        baseline: i.baseline_milli.map(from_milli),
                        baseline_year: i.baseline_year,
                        target: i.target_milli.map(from_milli),
                        breakdowns: serde_json::from_str::<Vec<Breakdown>>(&i.breakdowns)
                            .unwrap_or_default(),
                        text: i.text.clone(),
                        baseline_text: i.baseline_text.clone(),
                    })
                    .collect(),
                lead: institutions("lead"),
                partners: institutions("partner"),
            });
            stored.push(StoredActivity {
                id: a.id.clone(),
                leads: org_ids("lead"),
                partners: org_ids("partner"),
                indicators: my_indicators
                    .iter()
                    .map(|i| StoredIndicator {
                        id: i.id.clone(),
                        accumulation: parse_accumulation(&i.accumulation),
                    })
                    .collect(),
            });
        }
        let programme = Programme {
            year: record.year,
            title: record.title.clone(),
            sections: sections
                .iter()
                .map(|s| Section {
                    number: s.number as u8,
                    title: s.title.clone(),
                })
                .collect(),
            strategic_objectives: objectives
                .iter()
                .filter(|o| o.kind == "strategic")
                .map(|o| StrategicObjective {
                    code: o.code.clone().unwrap_or_default(),
                    title: o.title.clone(),
                    section: o.section.unwrap_or_default() as u8,
                })
                .collect(),
            operational_objectives: objectives
                .iter()
                .filter(|o| o.kind == "operational")
                .map(|o| OperationalObjective {
                    strategic_objective: o.parent_code.clone().unwrap_or_default(),
                    title: o.title.clone(),
                })
                .collect(),
            activities,
        };
        let report = ValidationReport {
            issues: issues
                .into_iter()
                .filter_map(|i| {
                    Some(Issue {
                        kind: serde_json::from_value(serde_json::Value::String(i.kind)).ok()?,
                        activity: i.activity_code,
                        subject: i.subject,
                        message_bg: i.message_bg,
                        message_en: i.message_en,
                    })
                })
                .collect(),
        };
        Ok(Some(StoredProgramme {
            record,
            programme,
            activities: stored,
            report,
        }))
    }
}
