//! Checks that look at a whole imported programme, whatever format it came
//! from: gaps in activities, numbering that disagrees with the structure,
//! institutions the directory does not know.

use std::collections::{BTreeMap, HashSet};

use crate::deadline::Deadline;
use crate::model::{Activity, Programme};
use crate::validation::{Issue, ValidationReport};

pub(crate) fn check(programme: &Programme, report: &mut ValidationReport) {
    check_objectives(programme, report);
    let mut seen = HashSet::new();
    for activity in &programme.activities {
        if !seen.insert(activity.code.as_str()) {
            report.push(Issue::duplicate_activity(&activity.code));
        }
        check_activity(activity, programme.year, report);
    }
    check_institutions(programme, report);
}

fn check_objectives(programme: &Programme, report: &mut ValidationReport) {
    for objective in &programme.strategic_objectives {
        if objective.title.is_empty() {
            report.push(Issue::missing_objective_title(&objective.code));
        }
        let under: Vec<&Activity> = programme
            .activities
            .iter()
            .filter(|a| a.strategic_objective.as_deref() == Some(objective.code.as_str()))
            .collect();
        let slipped: Vec<&str> = under
            .iter()
            .filter(|a| objective_part(&a.code) != Some(objective.code.as_str()))
            .map(|a| a.code.as_str())
            .collect();
        if !slipped.is_empty() {
            report.push(Issue::numbering_slip(&objective.code, &slipped));
        }
        let without: Vec<&str> = under
            .iter()
            .filter(|a| a.operational_objective.is_none())
            .map(|a| a.code.as_str())
            .collect();
        if !without.is_empty() {
            report.push(Issue::missing_operational_objective(
                &objective.code,
                &without,
            ));
        }
    }
}

/// "2.3" for "2.3.1".
fn objective_part(code: &str) -> Option<&str> {
    code.rsplit_once('.').map(|(head, _)| head)
}

fn check_activity(activity: &Activity, year: i32, report: &mut ValidationReport) {
    let code = activity.code.as_str();
    let section = code.split('.').next().and_then(|s| s.parse::<u8>().ok());
    if section != Some(activity.section) {
        report.push(Issue::section_mismatch(code, activity.section));
    }
    if activity.budget.is_empty() {
        report.push(Issue::missing_budget(code));
    }
    match activity.deadline {
        // A cell that says something unreadable was reported by the importer.
        Deadline::Unspecified if activity.deadline_text.is_empty() => {
            report.push(Issue::missing_deadline(code));
        }
        Deadline::Month { year: y, .. } if y != year => {
            report.push(Issue::deadline_outside_year(code, year));
        }
        _ => {}
    }
    if activity.expected_results.is_empty() {
        report.push(Issue::missing_expected_results(code));
    }
    if activity.indicators.is_empty() {
        report.push(Issue::missing_indicator(code));
    }
    for indicator in &activity.indicators {
        if indicator.target.is_none() {
            report.push(Issue::indicator_without_target(code, &indicator.name));
        } else if indicator.baseline.is_none() {
            report.push(Issue::missing_baseline(code, &indicator.name));
        }
    }
    if activity.lead.is_empty() {
        report.push(Issue::missing_lead(code));
    }
}

/// One issue per unmatched mention, naming every activity it appears in.
fn check_institutions(programme: &Programme, report: &mut ValidationReport) {
    let mut order: Vec<&str> = Vec::new();
    let mut places: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for activity in &programme.activities {
        for institution in activity.lead.iter().chain(&activity.partners) {
            if institution.org.is_some() {
                continue;
            }
            let codes = places.entry(&institution.mention).or_insert_with(|| {
                order.push(&institution.mention);
                Vec::new()
            });
            if codes.last() != Some(&activity.code.as_str()) {
                codes.push(&activity.code);
            }
        }
    }
    for mention in order {
        report.push(Issue::unmatched_institution(mention, &places[mention]));
    }
}
