//! Preparing next year's Programme from this one, and comparing two years.

use serde::{Deserialize, Serialize};

use crate::budget::Budget;
use crate::deadline::Deadline;
use crate::model::{Activity, Programme};

/// This year's structure for a new year: the same sections, objectives,
/// activities, indicators and institutions, with every amount, baseline and
/// target cleared and each deadline moved to the same month of `year`.
pub fn copy_forward(programme: &Programme, year: i32) -> Programme {
    let old_year = programme.year.to_string();
    Programme {
        year,
        title: programme.title.replace(&old_year, &year.to_string()),
        sections: programme.sections.clone(),
        strategic_objectives: programme.strategic_objectives.clone(),
        operational_objectives: programme.operational_objectives.clone(),
        activities: programme
            .activities
            .iter()
            .map(|a| forward(a, year))
            .collect(),
    }
}

fn forward(activity: &Activity, year: i32) -> Activity {
    let deadline = activity.deadline.in_year(year);
    let deadline_text = match deadline {
        Deadline::Month { .. } => deadline.describe(false),
        Deadline::Ongoing => format!("Постоянен за {year} г."),
        Deadline::Unspecified => String::new(),
    };
    let indicators = activity
        .indicators
        .iter()
        .map(|i| {
            let mut cleared = i.clone();
            cleared.baseline = None;
            cleared.baseline_year = None;
            cleared.target = None;
            // The old lines carry last year's numbers.
            cleared.text = i.name.clone();
            cleared.baseline_text = None;
            for part in &mut cleared.breakdowns {
                part.baseline = None;
                part.target = None;
            }
            cleared
        })
        .collect();
    Activity {
        budget: Budget {
            amount: None,
            source: activity.budget.source.clone(),
        },
        deadline,
        deadline_text,
        indicators,
        ..activity.clone()
    }
}

/// What differs in an activity present in both years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangedField {
    Title,
    Section,
    StrategicObjective,
    OperationalObjective,
    Budget,
    Deadline,
    ExpectedResults,
    Indicators,
    Lead,
    Partners,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityChange {
    pub code: String,
    pub fields: Vec<ChangedField>,
}

/// Two programmes side by side, activities matched by code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    /// Codes only in the later programme.
    pub added: Vec<String>,
    /// Codes only in the earlier programme.
    pub removed: Vec<String>,
    pub changed: Vec<ActivityChange>,
}

/// Compares `before` with `after`. Deadlines are compared by month: the
/// years differ by design.
pub fn compare(before: &Programme, after: &Programme) -> Comparison {
    let mut comparison = Comparison::default();
    for old in &before.activities {
        match after.activity(&old.code) {
            None => comparison.removed.push(old.code.clone()),
            Some(new) => {
                let fields = differences(old, new, after.year);
                if !fields.is_empty() {
                    comparison.changed.push(ActivityChange {
                        code: old.code.clone(),
                        fields,
                    });
                }
            }
        }
    }
    comparison.added = after
        .activities
        .iter()
        .filter(|a| before.activity(&a.code).is_none())
        .map(|a| a.code.clone())
        .collect();
    comparison
}

fn differences(old: &Activity, new: &Activity, new_year: i32) -> Vec<ChangedField> {
    let indicators = |a: &Activity| {
        a.indicators
            .iter()
            .map(|i| (i.name.clone(), i.unit, i.baseline, i.target))
            .collect::<Vec<_>>()
    };
    let mentions = |list: &[crate::institution::Institution]| {
        list.iter().map(|i| i.mention.clone()).collect::<Vec<_>>()
    };
    [
        (old.title != new.title, ChangedField::Title),
        (old.section != new.section, ChangedField::Section),
        (
            old.strategic_objective != new.strategic_objective,
            ChangedField::StrategicObjective,
        ),
        (
            old.operational_objective != new.operational_objective,
            ChangedField::OperationalObjective,
        ),
        (old.budget != new.budget, ChangedField::Budget),
        (
            old.deadline.in_year(new_year) != new.deadline,
            ChangedField::Deadline,
        ),
        (
            old.expected_results != new.expected_results,
            ChangedField::ExpectedResults,
        ),
        (indicators(old) != indicators(new), ChangedField::Indicators),
        (
            mentions(&old.lead) != mentions(&new.lead),
            ChangedField::Lead,
        ),
        (
            mentions(&old.partners) != mentions(&new.partners),
            ChangedField::Partners,
        ),
    ]
    .into_iter()
    .filter_map(|(changed, field)| changed.then_some(field))
    .collect()
}
