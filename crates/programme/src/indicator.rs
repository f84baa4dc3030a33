//! Performance indicators and how the Programme writes them:
//! "· Брой обучени специалисти - 100" in the target ("Целеви") column, with the
//! current value ("Текущ") either a bare "0" or a matching line of its own,
//! breakdowns after "в т.ч." and the baseline's year as "(За 2024 г.)".

use serde::{Deserialize, Serialize};

use crate::quantity::{number_at, one_line, parse_number};
use crate::validation::{Issue, ValidationReport};

/// What an indicator counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Events, people, materials: a whole number.
    Count,
    Percent,
    /// No numeric target: reported in words.
    Text,
}

impl Unit {
    /// The name used in the CSV template and the API.
    pub fn code(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Percent => "percent",
            Unit::Text => "text",
        }
    }

    pub fn from_code(code: &str) -> Option<Unit> {
        match code.trim().to_lowercase().as_str() {
            "count" | "брой" | "бр." | "бр" => Some(Unit::Count),
            "percent" | "%" | "процент" => Some(Unit::Percent),
            "text" | "текст" => Some(Unit::Text),
            _ => None,
        }
    }
}

/// A part of an indicator's value named after "в т.ч." ("including").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    pub name: String,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub name: String,
    pub unit: Unit,
    pub baseline: Option<f64>,
    /// The year the baseline refers to, when the document states it.
    pub baseline_year: Option<i32>,
    pub target: Option<f64>,
    pub breakdowns: Vec<Breakdown>,
    /// The target line as written, so nothing the parser dropped is lost.
    pub text: String,
    /// The baseline line as written, when the current column has one.
    pub baseline_text: Option<String>,
}

/// One indicator line, read but not yet paired with its baseline.
#[derive(Debug, Clone, PartialEq)]
struct Line {
    name: String,
    unit: Unit,
    value: Option<f64>,
    year: Option<i32>,
    breakdowns: Vec<(String, f64)>,
    text: String,
}

/// Reads the current and target cells of one table row into indicators.
pub(crate) fn parse_cells(
    code: &str,
    baseline_cell: &str,
    target_cell: &str,
    report: &mut ValidationReport,
) -> Vec<Indicator> {
    let targets = lines(code, target_cell, report);
    let baseline_cell = baseline_cell.trim();
    if let Some(value) = parse_number(baseline_cell) {
        // A bare number is the current value of every indicator in the row.
        return targets
            .into_iter()
            .map(|t| indicator(t, Some(value), None))
            .collect();
    }
    if baseline_cell.is_empty() {
        return targets
            .into_iter()
            .map(|t| indicator(t, None, None))
            .collect();
    }
    let baselines = lines(code, baseline_cell, report);
    if baselines.len() != targets.len() {
        report.push(Issue::baseline_count(code, baselines.len(), targets.len()));
    }
    let mut baselines = baselines.into_iter();
    let mut indicators: Vec<Indicator> = targets
        .into_iter()
        .map(|target| match baselines.next() {
            Some(baseline) => {
                if comparable(&baseline.name) != comparable(&target.name) {
                    report.push(Issue::baseline_wording(code, &baseline.name, &target.name));
                }
                indicator(target, baseline.value, Some(baseline))
            }
            None => indicator(target, None, None),
        })
        .collect();
    // A current value without a target is still an indicator the document names.
    indicators.extend(baselines.map(|b| Indicator {
        name: b.name.clone(),
        unit: b.unit,
        baseline: b.value,
        baseline_year: b.year,
        target: None,
        breakdowns: Vec::new(),
        text: String::new(),
        baseline_text: Some(b.text),
    }));
    indicators
}

fn indicator(target: Line, baseline: Option<f64>, baseline_line: Option<Line>) -> Indicator {
    let baseline_parts = baseline_line
        .as_ref()
        .map(|b| b.breakdowns.as_slice())
        .unwrap_or_default();
    let breakdowns = target
        .breakdowns
        .iter()
        .enumerate()
        .map(|(i, (name, value))| Breakdown {
            name: name.clone(),
            baseline: baseline_parts.get(i).map(|(_, v)| *v),
            target: Some(*value),
        })
        .collect();
    Indicator {
        name: target.name,
        unit: target.unit,
        baseline,
        baseline_year: baseline_line.as_ref().and_then(|b| b.year),
        target: target.value,
        breakdowns,
        text: target.text,
        baseline_text: baseline_line.map(|b| b.text),
    }
}

/// Splits a cell into bulleted items (lines without a bullet continue the
/// previous item) and reads each.
fn lines(code: &str, cell: &str, report: &mut ValidationReport) -> Vec<Line> {
    let mut items: Vec<String> = Vec::new();
    for line in cell.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match line.strip_prefix(['·', '•']) {
            Some(rest) => items.push(rest.trim().to_string()),
            None => match items.last_mut() {
                Some(last) => {
                    last.push(' ');
                    last.push_str(line);
                }
                None => items.push(line.to_string()),
            },
        }
    }
    let mut parsed: Vec<Line> = Vec::new();
    for item in items {
        let line = parse_line(&item);
        match parsed.last_mut() {
            // "· Брой достигнати лица-" followed by "· 100": one indicator.
            Some(previous) if line.name.is_empty() && previous.value.is_none() => {
                report.push(Issue::value_on_own_line(code, &previous.name));
                previous.value = line.value;
                previous.unit = line.unit;
                previous.text = format!("{} {}", previous.text, line.text);
            }
            _ => parsed.push(line),
        }
    }
    parsed
}

fn parse_line(item: &str) -> Line {
    let text = one_line(item);
    let (rest, year) = take_year(&text);
    let rest = rest.trim_start_matches(|c: char| is_dash(c) || c == ' ');
    let (head, tail) = split_breakdown(rest);
    let (name, value, unit) = split_value(head);
    Line {
        name,
        unit,
        value,
        year,
        breakdowns: tail.map(breakdowns).unwrap_or_default(),
        text,
    }
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '–' | '—')
}

/// Removes "(За 2024 г.)" and returns the year it names.
fn take_year(text: &str) -> (String, Option<i32>) {
    for (open, _) in text.match_indices('(') {
        let after = &text[open + 1..];
        let Some(after) = ["за ", "За ", "ЗА "]
            .iter()
            .find_map(|p| after.strip_prefix(p))
        else {
            continue;
        };
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        if digits.len() != 4 {
            continue;
        }
        let after_year = after[4..].trim_start();
        let after_year = after_year
            .strip_prefix("г.")
            .or_else(|| after_year.strip_prefix('г'))
            .unwrap_or(after_year)
            .trim_start();
        if let Some(after_close) = after_year.strip_prefix(')') {
            let rest = format!("{} {}", text[..open].trim_end(), after_close.trim_start());
            return (rest.trim().to_string(), digits.parse().ok());
        }
    }
    (text.to_string(), None)
}

/// Splits "Брой обучени служители - 120, в т.ч.: … - 60, … - 30" at "в т.ч.".
fn split_breakdown(text: &str) -> (&str, Option<&str>) {
    for marker in ["в т.ч.", "в т. ч.", "В т.ч."] {
        if let Some(at) = text.find(marker) {
            let head = text[..at].trim_end_matches([' ', ',', ';']);
            let tail = text[at + marker.len()..].trim_start_matches([' ', ':']);
            return (head, Some(tail));
        }
    }
    (text, None)
}

/// Separates an indicator's name from its value.
fn split_value(head: &str) -> (String, Option<f64>, Unit) {
    // "Брой проведени сесии - (гр. Варна) -1": the last dash before a number.
    for (at, dash) in head.char_indices().rev().filter(|(_, c)| is_dash(*c)) {
        let after = &head[at + dash.len_utf8()..];
        let start = head.len() - after.trim_start().len();
        if let Some(found) = number_at(head, start) {
            let unit = if head[found.end..].trim_start().starts_with('%') {
                Unit::Percent
            } else {
                Unit::Count
            };
            return (clean_name(&head[..at]), Some(found.value), unit);
        }
    }
    // "100 % обработени заявки", "1 бр. проведена конференция".
    if let Some(found) = number_at(head, 0) {
        let after = head[found.end..].trim_start();
        if let Some(rest) = after.strip_prefix('%') {
            return (clean_name(rest), Some(found.value), Unit::Percent);
        }
        if let Some(rest) = after
            .strip_prefix("бр.")
            .or_else(|| after.strip_prefix("бр "))
        {
            return (clean_name(rest), Some(found.value), Unit::Count);
        }
    }
    // "Брой получени сигнали 60": a trailing number without a dash.
    let trimmed = head.trim_end_matches(['.', ';', ',', ' ']);
    let (before, last) = trimmed.rsplit_once(' ').unwrap_or(("", trimmed));
    if let Some(value) = parse_number(last) {
        return (clean_name(before), Some(value), Unit::Count);
    }
    (clean_name(head), None, Unit::Text)
}

/// "служители … - 60, инспектори по труда - 30 и специалисти … - 30;"
fn breakdowns(tail: &str) -> Vec<(String, f64)> {
    let mut parts = Vec::new();
    let mut from = 0;
    let mut at = 0;
    while let Some((offset, dash)) = tail[at..].char_indices().find(|(_, c)| is_dash(*c)) {
        let dash_at = at + offset;
        let after = &tail[dash_at + dash.len_utf8()..];
        let start = tail.len() - after.trim_start().len();
        match number_at(tail, start) {
            Some(found) => {
                let name = tail[from..dash_at].trim_start_matches([',', ';', ':', ' ']);
                let name = name.strip_prefix("и ").unwrap_or(name);
                parts.push((clean_name(name), found.value));
                from = found.end;
                at = found.end;
            }
            None => at = dash_at + dash.len_utf8(),
        }
    }
    parts
}

fn clean_name(name: &str) -> String {
    name.trim()
        .trim_end_matches(|c: char| is_dash(c) || matches!(c, ' ' | '.' | ';' | ',' | ':'))
        .trim()
        .to_string()
}

/// Letters and digits only, lower-cased: enough to tell whether a baseline line
/// and a target line describe the same thing.
fn comparable(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> (String, Option<f64>, Unit) {
        let l = parse_line(text);
        (l.name, l.value, l.unit)
    }

    #[test]
    fn reads_names_values_and_units() {
        let count = |n: &str, v: f64| (n.to_string(), Some(v), Unit::Count);
        assert_eq!(
            line("Брой участници – 150 души."),
            count("Брой участници", 150.0)
        );
        assert_eq!(
            line("Брой обхванати деца - 10 000"),
            count("Брой обхванати деца", 10_000.0)
        );
        assert_eq!(line("Брой обучения-3б"), count("Брой обучения", 3.0));
        assert_eq!(
            line("Брой получени сигнали 60"),
            count("Брой получени сигнали", 60.0)
        );
        assert_eq!(
            line("Брой изработени и разпространени информационни материали; -100"),
            count(
                "Брой изработени и разпространени информационни материали",
                100.0
            )
        );
        assert_eq!(
            line("Брой проведени сесии - (гр. Варна) -1"),
            count("Брой проведени сесии - (гр. Варна)", 1.0)
        );
        assert_eq!(
            line("1 бр. проведена конференция."),
            count("проведена конференция", 1.0)
        );
        assert_eq!(
            line("100 % обработени заявки, постъпили чрез ИСВП"),
            (
                "обработени заявки, постъпили чрез ИСВП".into(),
                Some(100.0),
                Unit::Percent
            )
        );
        assert_eq!(
            line("Анализ на тенденциите"),
            ("Анализ на тенденциите".into(), None, Unit::Text)
        );
    }

    #[test]
    fn reads_baseline_years_anywhere_in_the_line() {
        let l = parse_line("(За 2024 г.) - Брой случай, включени в базата данни - 26");
        assert_eq!(
            (l.name.as_str(), l.value, l.year),
            (
                "Брой случай, включени в базата данни",
                Some(26.0),
                Some(2024)
            )
        );
        let l = parse_line("Брой случаи на предотвратен риск от трафик – 26 (за 2024 г.)");
        assert_eq!((l.value, l.year), (Some(26.0), Some(2024)));
        assert_eq!(
            l.text,
            "Брой случаи на предотвратен риск от трафик – 26 (за 2024 г.)"
        );
    }

    #[test]
    fn reads_breakdowns_after_including() {
        let l = parse_line(
            "Брой обучени служители - 120, в т.ч.: служители на правоприлагащите органи  и прокурори - 60, инспектори по труда - 30 и специалисти а първа линия - 30;",
        );
        assert_eq!(l.value, Some(120.0));
        assert_eq!(
            l.breakdowns,
            vec![
                (
                    "служители на правоприлагащите органи и прокурори".to_string(),
                    60.0
                ),
                ("инспектори по труда".to_string(), 30.0),
                ("специалисти а първа линия".to_string(), 30.0),
            ]
        );
    }

    #[test]
    fn joins_a_value_written_on_its_own_line() {
        let mut report = ValidationReport::default();
        let indicators = parse_cells(
            "2.6.9",
            "0",
            "· Брой сесии-10\n\n· Брой достигнати лица-\n· 100",
            &mut report,
        );
        assert_eq!(indicators.len(), 2);
        assert_eq!(indicators[1].name, "Брой достигнати лица");
        assert_eq!(indicators[1].target, Some(100.0));
        assert_eq!(indicators[1].baseline, Some(0.0));
        assert_eq!(report.issues.len(), 1);
    }

    #[test]
    fn pairs_baseline_lines_in_order_and_flags_different_wording() {
        let mut report = ValidationReport::default();
        let indicators = parse_cells(
            "4.1.1",
            "· Брой лица, получаващи подкрепа към момента - 25",
            "· Брой лица, получили подкрепа - 50",
            &mut report,
        );
        assert_eq!(
            (indicators[0].baseline, indicators[0].target),
            (Some(25.0), Some(50.0))
        );
        assert_eq!(report.issues[0].kind, crate::IssueKind::BaselineMismatch);
    }
}
