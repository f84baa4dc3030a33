//! The CSV template the Commission fills for future years, and its importer.
//!
//! One row per indicator; the activity's fields are repeated on each of its
//! rows (or left blank on the rows after the first: a row without an activity
//! code adds an indicator to the activity above). An activity without
//! indicators has one row with the indicator columns empty. Columns, by header
//! name, in any order; a file saved by a Bulgarian Excel with ";" works too:
//!
//! | column | content |
//! | --- | --- |
//! | `programme` | the programme's title (first non-empty value counts; optional) |
//! | `section` | section number 1–7 (or its Roman numeral) |
//! | `section_title` | the section's title (optional) |
//! | `strategic_objective` | code such as `2.1` |
//! | `strategic_objective_title` | its title (optional) |
//! | `operational_objective` | the operational objective's text |
//! | `activity` | code such as `2.1.3` |
//! | `activity_title` | what the activity is |
//! | `activity_title_en` | English title (optional) |
//! | `budget_bgn` | amount in leva, e.g. `499080.00`; empty when not stated |
//! | `funding_source` | budget and funding source as text |
//! | `deadline` | `Декември 2025 г.`, `2025-12`, `12.2025` or `Постоянен` |
//! | `expected_results` | expected results, one per line |
//! | `lead`, `partners` | institutions separated by `;` |
//! | `indicator` | the indicator's name |
//! | `unit` | `count`, `percent` or `text` (empty: count when a target is given) |
//! | `baseline`, `baseline_year`, `target` | numbers; the baseline's year when known |
//! | `breakdowns` | one per line: `name \| baseline \| target` |
//! | `indicator_text`, `baseline_text` | the lines as the document wrote them (optional) |

use std::collections::HashMap;
use std::io::{Read, Write};

use crate::budget::{Bgn, Budget};
use crate::checks;
use crate::deadline::Deadline;
use crate::indicator::{Breakdown, Indicator, Unit};
use crate::institution::{self, Matcher};
use crate::model::{
    Activity, OperationalObjective, Programme, Section, StrategicObjective, parse_roman,
};
use crate::quantity::{format_value, parse_number};
use crate::validation::{ImportError, Issue, ValidationReport};

/// The template's columns in the order the template writes them.
pub const CSV_COLUMNS: [&str; 23] = [
    "programme",
    "section",
    "section_title",
    "strategic_objective",
    "strategic_objective_title",
    "operational_objective",
    "activity",
    "activity_title",
    "activity_title_en",
    "budget_bgn",
    "funding_source",
    "deadline",
    "expected_results",
    "lead",
    "partners",
    "indicator",
    "unit",
    "baseline",
    "baseline_year",
    "target",
    "breakdowns",
    "indicator_text",
    "baseline_text",
];

/// Columns an import cannot do without; the others may be missing.
const REQUIRED: [&str; 6] = [
    "section",
    "strategic_objective",
    "activity",
    "activity_title",
    "indicator",
    "target",
];

/// The columns that describe the activity rather than one indicator.
const ACTIVITY_COLUMNS: std::ops::Range<usize> = 0..15;

/// Writes the template: the header, then the programme's rows. Pass
/// [`Programme::empty`] for a blank template.
pub fn write_csv_template<W: Write>(programme: &Programme, writer: W) -> Result<(), csv::Error> {
    let mut out = csv::Writer::from_writer(writer);
    out.write_record(CSV_COLUMNS)?;
    for activity in &programme.activities {
        let head = activity_fields(programme, activity);
        if activity.indicators.is_empty() {
            out.write_record(head.iter().map(String::as_str).chain([""; 8]))?;
        }
        for indicator in &activity.indicators {
            let tail = indicator_fields(indicator);
            out.write_record(head.iter().chain(&tail))?;
        }
    }
    out.flush()?;
    Ok(())
}

fn activity_fields(programme: &Programme, activity: &Activity) -> Vec<String> {
    let objective = activity.strategic_objective.clone().unwrap_or_default();
    let deadline = match (&activity.deadline, activity.deadline_text.is_empty()) {
        (_, false) => activity.deadline_text.clone(),
        (Deadline::Month { year, month }, true) => format!("{year}-{month:02}"),
        (Deadline::Ongoing, true) => "ongoing".into(),
        (Deadline::Unspecified, true) => String::new(),
    };
    vec![
        programme.title.clone(),
        activity.section.to_string(),
        programme
            .section(activity.section)
            .map(|s| s.title.clone())
            .unwrap_or_default(),
        objective.clone(),
        programme
            .strategic_objective(&objective)
            .map(|o| o.title.clone())
            .unwrap_or_default(),
        activity.operational_objective.clone().unwrap_or_default(),
        activity.code.clone(),
        activity.title.clone(),
        activity.title_en.clone().unwrap_or_default(),
        activity.budget.amount.map(Bgn::decimal).unwrap_or_default(),
        activity.budget.source.clone(),
        deadline,
        activity.expected_results.clone(),
        institution::join(&activity.lead),
        institution::join(&activity.partners),
    ]
}

fn indicator_fields(indicator: &Indicator) -> Vec<String> {
    let value = |v: Option<f64>| v.map(format_value).unwrap_or_default();
    let breakdowns = indicator
        .breakdowns
        .iter()
        .map(|b| format!("{} | {} | {}", b.name, value(b.baseline), value(b.target)))
        .collect::<Vec<_>>()
        .join("\n");
    vec![
        indicator.name.clone(),
        indicator.unit.code().to_string(),
        value(indicator.baseline),
        indicator
            .baseline_year
            .map(|y| y.to_string())
            .unwrap_or_default(),
        value(indicator.target),
        breakdowns,
        indicator.text.clone(),
        indicator.baseline_text.clone().unwrap_or_default(),
    ]
}

/// Imports a programme from the CSV template. Problems go into the report;
/// an unreadable file, missing columns or a file without activities are errors.
pub fn parse_csv<R: Read>(
    mut reader: R,
    year: i32,
    matcher: Matcher,
) -> Result<(Programme, ValidationReport), ImportError> {
    let mut text = String::new();
    reader.read_to_string(&mut text)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut rows = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: HashMap<String, usize> = rows
        .headers()?
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().to_lowercase(), i))
        .collect();
    let missing: Vec<String> = REQUIRED
        .iter()
        .filter(|c| !headers.contains_key(**c))
        .map(|c| c.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(ImportError::MissingColumns(missing));
    }
    let mut builder = Builder {
        matcher,
        programme: Programme::empty(year),
        report: ValidationReport::default(),
        first_row: Vec::new(),
        operational: None,
    };
    for record in rows.records() {
        let record = record?;
        let field = |column: &str| -> String {
            headers
                .get(column)
                .and_then(|i| record.get(*i))
                .unwrap_or_default()
                .trim()
                .to_string()
        };
        let row: Vec<String> = CSV_COLUMNS.iter().map(|c| field(c)).collect();
        builder.row(row);
    }
    let Builder {
        programme,
        mut report,
        ..
    } = builder;
    if programme.activities.is_empty() {
        return Err(ImportError::NotAProgramme("the CSV has no activities"));
    }
    checks::check(&programme, &mut report);
    Ok((programme, report))
}

struct Builder<'a> {
    matcher: Matcher<'a>,
    programme: Programme,
    report: ValidationReport,
    /// The activity columns of the current activity's first row.
    first_row: Vec<String>,
    /// The operational objective last added: (strategic objective, title).
    operational: Option<(String, String)>,
}

impl Builder<'_> {
    fn row(&mut self, row: Vec<String>) {
        let col = |name: &str| column(&row, name);
        if self.programme.title.is_empty() {
            self.programme.title = col("programme").to_string();
        }
        let code = col("activity");
        let same = code.is_empty()
            || self.programme.activities.last().map(|a| a.code.as_str()) == Some(code);
        if !same {
            self.activity(&row);
        } else if !code.is_empty() {
            for i in ACTIVITY_COLUMNS {
                if !row[i].is_empty() && row[i] != self.first_row[i] {
                    self.report
                        .push(Issue::inconsistent_row(code, CSV_COLUMNS[i]));
                }
            }
        }
        let Some(activity_code) = self.programme.activities.last().map(|a| a.code.clone()) else {
            return;
        };
        if !col("indicator").is_empty() || !col("target").is_empty() {
            let indicator = self.indicator(&activity_code, &row);
            if let Some(activity) = self.programme.activities.last_mut() {
                activity.indicators.push(indicator);
            }
        }
    }

    fn activity(&mut self, row: &[String]) {
        let col = |name: &str| column(row, name);
        let code = col("activity").to_string();
        let section_text = col("section");
        let section = section_text
            .parse::<u8>()
            .ok()
            .or_else(|| parse_roman(section_text))
            .unwrap_or_default();
        if self.programme.section(section).is_none() {
            self.programme.sections.push(Section {
                number: section,
                title: col("section_title").to_string(),
            });
        }
        let objective = col("strategic_objective").to_string();
        if !objective.is_empty() && self.programme.strategic_objective(&objective).is_none() {
            self.programme
                .strategic_objectives
                .push(StrategicObjective {
                    code: objective.clone(),
                    title: col("strategic_objective_title").to_string(),
                    section,
                });
        }
        let operational = col("operational_objective").to_string();
        if operational.is_empty() {
            self.operational = None;
        } else if self.operational != Some((objective.clone(), operational.clone())) {
            self.programme
                .operational_objectives
                .push(OperationalObjective {
                    strategic_objective: objective.clone(),
                    title: operational.clone(),
                });
            self.operational = Some((objective.clone(), operational.clone()));
        }
        let amount_text = col("budget_bgn");
        let amount = Bgn::parse_decimal(amount_text);
        if amount.is_none() && !amount_text.is_empty() {
            self.report
                .push(Issue::invalid_number(&code, "budget_bgn", amount_text));
        }
        let deadline_text = col("deadline").to_string();
        let deadline = Deadline::parse(&deadline_text).unwrap_or_else(|| {
            self.report
                .push(Issue::unreadable_deadline(&code, &deadline_text));
            Deadline::Unspecified
        });
        self.first_row = row[ACTIVITY_COLUMNS].to_vec();
        self.programme.activities.push(Activity {
            title: col("activity_title").to_string(),
            title_en: Some(col("activity_title_en").to_string()).filter(|t| !t.is_empty()),
            section,
            strategic_objective: Some(objective).filter(|o| !o.is_empty()),
            operational_objective: Some(operational).filter(|o| !o.is_empty()),
            budget: Budget {
                amount,
                source: col("funding_source").to_string(),
            },
            deadline,
            deadline_text,
            expected_results: col("expected_results").to_string(),
            indicators: Vec::new(),
            lead: institution::parse_cell(col("lead"), self.matcher),
            partners: institution::parse_cell(col("partners"), self.matcher),
            code,
        });
    }

    fn indicator(&mut self, code: &str, row: &[String]) -> Indicator {
        let col = |name: &str| column(row, name);
        let mut number = |name: &str| -> Option<f64> {
            let text = col(name);
            let value = parse_number(text);
            if value.is_none() && !text.is_empty() {
                self.report.push(Issue::invalid_number(code, name, text));
            }
            value
        };
        let baseline = number("baseline");
        let target = number("target");
        let baseline_year = number("baseline_year").map(|y| y as i32);
        let unit = match col("unit") {
            "" if target.is_some() => Unit::Count,
            "" => Unit::Text,
            text => Unit::from_code(text).unwrap_or_else(|| {
                self.report.push(Issue::unknown_unit(code, text));
                Unit::Count
            }),
        };
        let mut breakdowns = Vec::new();
        for line in col("breakdowns").lines().filter(|l| !l.trim().is_empty()) {
            let parts: Vec<&str> = line.rsplitn(3, '|').map(str::trim).collect();
            let (name, baseline_text, target_text) = match parts.as_slice() {
                [target, baseline, name] => (*name, *baseline, *target),
                [target, name] => (*name, "", *target),
                _ => (line.trim(), "", ""),
            };
            let mut value = |text: &str| {
                let value = parse_number(text);
                if value.is_none() && !text.is_empty() {
                    self.report
                        .push(Issue::invalid_number(code, "breakdowns", text));
                }
                value
            };
            breakdowns.push(Breakdown {
                name: name.to_string(),
                baseline: value(baseline_text),
                target: value(target_text),
            });
        }
        let name = col("indicator").to_string();
        let text = match col("indicator_text") {
            "" => match target {
                Some(t) => format!("{name} - {}", format_value(t)),
                None => name.clone(),
            },
            text => text.to_string(),
        };
        Indicator {
            name,
            unit,
            baseline,
            baseline_year,
            target,
            breakdowns,
            text,
            baseline_text: Some(col("baseline_text").to_string()).filter(|t| !t.is_empty()),
        }
    }
}

fn column<'r>(row: &'r [String], name: &str) -> &'r str {
    CSV_COLUMNS
        .iter()
        .position(|c| *c == name)
        .and_then(|i| row.get(i))
        .map_or("", String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: Matcher = &|_| None;

    #[test]
    fn a_blank_template_is_just_the_header() {
        let mut out = Vec::new();
        write_csv_template(&Programme::empty(2026), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.trim_end(), CSV_COLUMNS.join(","));
        assert!(matches!(
            parse_csv(text.as_bytes(), 2026, NONE),
            Err(ImportError::NotAProgramme(_))
        ));
    }

    #[test]
    fn reads_a_hand_filled_semicolon_file() {
        let text = "\u{feff}section;strategic_objective;activity;activity_title;deadline;lead;indicator;target;baseline\n\
                    1;1.1;1.1.1;Среща;12.2026;НКБТХ;Брой срещи;2;0\n\
                    ;;;;;;Брой участници;1 500;x\n";
        let (programme, report) = parse_csv(text.as_bytes(), 2026, NONE).unwrap();
        let activity = &programme.activities[0];
        assert_eq!(
            activity.deadline,
            Deadline::Month {
                year: 2026,
                month: 12
            }
        );
        assert_eq!(activity.indicators.len(), 2);
        assert_eq!(activity.indicators[1].target, Some(1500.0));
        assert!(report.has(crate::IssueKind::InvalidNumber, "1.1.1"));
        assert!(report.has(crate::IssueKind::MissingBudget, "1.1.1"));
    }

    #[test]
    fn missing_columns_are_an_error() {
        let result = parse_csv("activity,indicator\n1.1.1,x\n".as_bytes(), 2026, NONE);
        let Err(ImportError::MissingColumns(missing)) = result else {
            panic!("expected missing columns");
        };
        assert!(missing.contains(&"target".to_string()));
    }
}
