//! Reads the Programme's table as text with tab-separated cells, the form the
//! Commission's Word document takes when copied out (seed 003).
//!
//! Every cell starts on a line that begins with a tab; lines without one
//! continue the cell above (a cell may hold blank lines). Each section opens with
//! "РАЗДЕЛ …", then a two-line header ending in the cell "Партньор", then rows of
//! ten cells: strategic objective, operational objective, activity, budget,
//! deadline, expected results, current value, target, lead, partners. Empty
//! objective cells mean "as above"; a row with no activity continues the last one.

use crate::budget::Budget;
use crate::checks;
use crate::deadline::Deadline;
use crate::indicator::{self, Indicator};
use crate::institution::{self, Institution, Matcher};
use crate::model::{
    Activity, OperationalObjective, Programme, Section, StrategicObjective, parse_roman,
};
use crate::quantity::one_line;
use crate::validation::{ImportError, Issue, ValidationReport};

const COLUMNS: usize = 10;
/// The last header cell; the header repeats at the start of every section.
const LAST_HEADER_CELL: &str = "Партньор";
const QUOTES: [char; 6] = ['„', '“', '”', '"', '«', '»'];

/// Imports a programme from its tab-separated table. Problems in the table go
/// into the report; only a text with no sections or no activities is an error.
pub fn parse_tsv(
    text: &str,
    year: i32,
    matcher: Matcher,
) -> Result<(Programme, ValidationReport), ImportError> {
    let table = read_table(text);
    if table.sections.is_empty() {
        return Err(ImportError::NotAProgramme("no section headings (РАЗДЕЛ …)"));
    }
    let mut builder = Builder {
        matcher,
        programme: Programme::empty(year),
        report: ValidationReport::default(),
        objective: None,
        operational: None,
    };
    builder.programme.title = table.title.clone();
    if let Some(stated) = year_in(&table.title).filter(|stated| *stated != year) {
        builder.report.push(Issue::year_mismatch(stated, year));
    }
    for (position, section) in table.sections.iter().enumerate() {
        builder.section(section, position);
    }
    let Builder {
        programme,
        mut report,
        ..
    } = builder;
    if programme.activities.is_empty() {
        return Err(ImportError::NotAProgramme("no numbered activities"));
    }
    checks::check(&programme, &mut report);
    Ok((programme, report))
}

struct Table {
    title: String,
    sections: Vec<RawSection>,
}

struct RawSection {
    heading: String,
    cells: Vec<String>,
}

fn read_table(text: &str) -> Table {
    let mut title = String::new();
    let mut sections: Vec<RawSection> = Vec::new();
    for line in text.lines() {
        if let Some(cell) = line.strip_prefix('\t') {
            // Cells before the first heading belong to no section's table.
            if let Some(section) = sections.last_mut() {
                section.cells.push(cell.to_string());
            }
        } else if is_heading(line) {
            sections.push(RawSection {
                heading: line.trim().to_string(),
                cells: Vec::new(),
            });
        } else if let Some(cell) = sections.last_mut().and_then(|s| s.cells.last_mut()) {
            cell.push('\n');
            cell.push_str(line);
        } else if sections.is_empty() && title.is_empty() {
            title = one_line(line);
        }
    }
    Table { title, sections }
}

fn is_heading(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with("РАЗДЕЛ") || line.starts_with("Раздел")
}

fn year_in(text: &str) -> Option<i32> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|run| run.len() == 4)
        .find_map(|run| run.parse().ok())
}

/// A code at the start of a cell ("2.1.3 Провеждане…", "1.2.5. Участие…"):
/// the code without a trailing dot, how many parts it has, the rest of the
/// cell, and the code as written.
fn split_code(text: &str) -> Option<(String, usize, &str, &str)> {
    let text = text.trim_start();
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    let written = &text[..end];
    let code = written.trim_end_matches('.');
    let parts: Vec<&str> = code.split('.').collect();
    let numeric = parts
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    (numeric && parts.len() >= 2)
        .then(|| (code.to_string(), parts.len(), text[end..].trim(), written))
}

/// Lines kept (they separate results), each line's spacing tidied, blank lines dropped.
fn paragraphs(text: &str) -> String {
    text.lines()
        .map(one_line)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// What one row says beyond its objectives and activity name.
struct Fields {
    budget: Budget,
    deadline: Deadline,
    deadline_text: String,
    expected_results: String,
    indicators: Vec<Indicator>,
    lead: Vec<Institution>,
    partners: Vec<Institution>,
}

struct Builder<'a> {
    matcher: Matcher<'a>,
    programme: Programme,
    report: ValidationReport,
    objective: Option<String>,
    operational: Option<String>,
}

impl Builder<'_> {
    fn section(&mut self, raw: &RawSection, position: usize) {
        let rest = raw.heading["РАЗДЕЛ".len()..].trim_start();
        let numeral: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace() && !QUOTES.contains(c))
            .collect();
        let fallback = u8::try_from(position + 1).unwrap_or(u8::MAX);
        let number = parse_roman(&numeral).unwrap_or(fallback);
        let title = rest[numeral.len()..]
            .trim()
            .trim_matches(&QUOTES[..])
            .trim();
        self.programme.sections.push(Section {
            number,
            title: title.to_string(),
        });
        self.objective = None;
        self.operational = None;

        let header_end = raw
            .cells
            .iter()
            .take(3 * COLUMNS)
            .position(|c| c.trim() == LAST_HEADER_CELL)
            .map_or(0, |i| i + 1);
        for row in raw.cells[header_end..].chunks(COLUMNS) {
            let mut cells: Vec<&str> = row.iter().map(|c| c.trim()).collect();
            if cells.len() < COLUMNS {
                self.report.push(Issue::ragged_row(number, cells.len()));
                cells.resize(COLUMNS, "");
            }
            self.row(number, &cells);
        }
    }

    fn row(&mut self, section: u8, cells: &[&str]) {
        if !cells[0].is_empty() {
            self.strategic(section, cells[0]);
        }
        if !cells[1].is_empty() {
            self.operational(one_line(cells[1]));
        }
        if cells[2..].iter().all(|c| c.is_empty()) {
            return;
        }
        match split_code(cells[2]).filter(|(_, parts, ..)| *parts == 3) {
            Some((code, _, title, written)) => {
                if written != code {
                    self.report.push(Issue::code_format(written, &code));
                }
                let fields = self.fields(&code, cells);
                self.programme.activities.push(Activity {
                    title: one_line(title),
                    title_en: None,
                    section,
                    strategic_objective: self.objective.clone(),
                    operational_objective: self.operational.clone(),
                    budget: fields.budget,
                    deadline: fields.deadline,
                    deadline_text: fields.deadline_text,
                    expected_results: fields.expected_results,
                    indicators: fields.indicators,
                    lead: fields.lead,
                    partners: fields.partners,
                    code,
                });
            }
            None => self.continuation(cells),
        }
    }

    fn strategic(&mut self, section: u8, cell: &str) {
        self.operational = None;
        match split_code(cell).filter(|(_, parts, ..)| *parts == 2) {
            Some((code, _, title, _)) => {
                self.programme
                    .strategic_objectives
                    .push(StrategicObjective {
                        code: code.clone(),
                        title: one_line(title),
                        section,
                    });
                self.objective = Some(code);
            }
            None => {
                self.report
                    .push(Issue::missing_objective_code(&one_line(cell)));
                self.objective = None;
            }
        }
    }

    fn operational(&mut self, title: String) {
        if self.operational.as_ref() == Some(&title) {
            return;
        }
        self.programme
            .operational_objectives
            .push(OperationalObjective {
                strategic_objective: self.objective.clone().unwrap_or_default(),
                title: title.clone(),
            });
        self.operational = Some(title);
    }

    /// A row without an activity number adds to the activity above it.
    fn continuation(&mut self, cells: &[&str]) {
        let previous = self.programme.activities.last().map(|a| a.code.clone());
        if !cells[2].is_empty() {
            self.report.push(Issue::missing_activity_code(
                &one_line(cells[2]),
                previous.as_deref(),
            ));
        }
        let Some(code) = previous else {
            return;
        };
        self.report.push(Issue::continuation_row(&code));
        let fields = self.fields(&code, cells);
        if let Some(activity) = self.programme.activities.last_mut() {
            absorb(activity, fields);
        }
    }

    fn fields(&mut self, code: &str, cells: &[&str]) -> Fields {
        let deadline_text = one_line(cells[4]);
        let deadline = Deadline::parse(&deadline_text).unwrap_or_else(|| {
            self.report
                .push(Issue::unreadable_deadline(code, &deadline_text));
            Deadline::Unspecified
        });
        Fields {
            budget: Budget::parse(cells[3]),
            deadline,
            deadline_text,
            expected_results: paragraphs(cells[5]),
            indicators: indicator::parse_cells(code, cells[6], cells[7], &mut self.report),
            lead: institution::parse_cell(cells[8], self.matcher),
            partners: institution::parse_cell(cells[9], self.matcher),
        }
    }
}

/// Merges a continuation row: texts are appended, amounts added, the later
/// deadline kept, indicators and institutions added.
fn absorb(activity: &mut Activity, row: Fields) {
    append(&mut activity.budget.source, &row.budget.source);
    activity.budget.amount = match (activity.budget.amount, row.budget.amount) {
        (Some(a), Some(b)) => Some(a + b),
        (a, b) => a.or(b),
    };
    let later = match (activity.deadline, row.deadline) {
        (Deadline::Unspecified, _) => true,
        (Deadline::Month { year, month }, Deadline::Month { year: y, month: m }) => {
            (y, m) > (year, month)
        }
        _ => false,
    };
    if later && row.deadline != Deadline::Unspecified {
        activity.deadline = row.deadline;
        activity.deadline_text = row.deadline_text;
    }
    append(&mut activity.expected_results, &row.expected_results);
    activity.indicators.extend(row.indicators);
    for (list, more) in [
        (&mut activity.lead, row.lead),
        (&mut activity.partners, row.partners),
    ] {
        for institution in more {
            if !list.iter().any(|i| i.mention == institution.mention) {
                list.push(institution);
            }
        }
    }
}

/// Appends a paragraph unless it is empty or already there.
fn append(text: &mut String, more: &str) {
    if more.is_empty() || text.split('\n').any(|line| line == more) {
        return;
    }
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(more);
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: Matcher = &|_| None;

    #[test]
    fn rejects_text_that_is_not_a_programme() {
        assert!(matches!(
            parse_tsv("Здравейте!\n", 2025, NONE),
            Err(ImportError::NotAProgramme(_))
        ));
        let heading_only = "РАЗДЕЛ I „МЕРКИ”\n\tСтратегическа цел\n";
        assert!(matches!(
            parse_tsv(heading_only, 2025, NONE),
            Err(ImportError::NotAProgramme(_))
        ));
    }

    #[test]
    fn reads_codes_with_irregular_dots() {
        assert_eq!(
            split_code("1.2.5. Участие"),
            Some(("1.2.5".into(), 3, "Участие", "1.2.5."))
        );
        assert_eq!(split_code("2.3 "), Some(("2.3".into(), 2, "", "2.3")));
        assert_eq!(split_code("Превенция"), None);
        assert_eq!(split_code("2. Повишена"), None);
    }

    #[test]
    fn a_short_last_row_is_padded_and_reported() {
        let text = "Програма 2025\nРАЗДЕЛ I „А”\n\t1.1 Цел\n\tОперативна\n\t1.1.1 Дейност\n\tВ рамките на бюджета\n";
        let (programme, report) = parse_tsv(text, 2025, NONE).unwrap();
        assert_eq!(
            programme.activities[0].budget.source,
            "В рамките на бюджета"
        );
        assert_eq!(report.of_kind(crate::IssueKind::RaggedRow).count(), 1);
        assert!(report.has(crate::IssueKind::MissingDeadline, "1.1.1"));
    }
}
