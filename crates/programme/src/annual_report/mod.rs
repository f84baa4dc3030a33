//! The annual implementation report: the Programme's own table with the
//! results column filled from approved progress, budgets in leva with euro
//! beside, in Bulgarian or English. Written as XLSX and as editable DOCX.

mod docx;
mod xlsx;

pub use docx::annual_report_docx;
pub use xlsx::annual_report_xlsx;

use crate::budget::{Bgn, grouped};
use crate::model::{Programme, roman};
use crate::progress::ProgressActuals;
use crate::quantity::format_value;

/// The report's language. Texts from the Programme itself stay in Bulgarian.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Bg,
    En,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot write the XLSX: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("cannot write the DOCX: {0}")]
    Docx(String),
}

const HEADERS_BG: [&str; 15] = [
    "Стратегическа цел",
    "Оперативна цел",
    "Дейност",
    "Бюджет, лв.",
    "Бюджет, EUR",
    "Източник на финансиране",
    "Срок",
    "Очаквани резултати",
    "Индикатори",
    "Текуща стойност",
    "Целева стойност",
    "Постигнато",
    "% от целта",
    "Водеща институция",
    "Партньори",
];

const HEADERS_EN: [&str; 15] = [
    "Strategic objective",
    "Operational objective",
    "Activity",
    "Budget, BGN",
    "Budget, EUR",
    "Funding source",
    "Deadline",
    "Expected results",
    "Indicators",
    "Baseline",
    "Target",
    "Achieved",
    "% of target",
    "Lead institution",
    "Partners",
];

/// One activity's row; list cells hold one line per indicator.
pub(crate) struct ActivityRow {
    pub objective: String,
    pub operational: String,
    pub activity: String,
    pub budget: Option<Bgn>,
    pub funding: String,
    pub deadline: String,
    pub expected: String,
    pub indicators: Vec<String>,
    pub baselines: Vec<String>,
    pub targets: Vec<String>,
    pub achieved: Vec<String>,
    pub percent: Vec<String>,
    pub lead: String,
    pub partners: String,
}

impl ActivityRow {
    /// The text cells in column order; the two budget columns are `None`.
    pub fn cells(&self) -> [Option<String>; 15] {
        let lines = |v: &[String]| Some(v.join("\n"));
        [
            Some(self.objective.clone()),
            Some(self.operational.clone()),
            Some(self.activity.clone()),
            None,
            None,
            Some(self.funding.clone()),
            Some(self.deadline.clone()),
            Some(self.expected.clone()),
            lines(&self.indicators),
            lines(&self.baselines),
            lines(&self.targets),
            lines(&self.achieved),
            lines(&self.percent),
            Some(self.lead.clone()),
            Some(self.partners.clone()),
        ]
    }
}

pub(crate) enum Line {
    Section(String),
    Activity(Box<ActivityRow>),
}

pub(crate) struct Report {
    pub title: String,
    pub headers: [&'static str; 15],
    pub lines: Vec<Line>,
    pub total: Bgn,
    pub total_label: &'static str,
    pub rate_note: &'static str,
}

/// Money as the report shows it: "499 080,00" in Bulgarian, "499,080.00" in English.
pub(crate) fn money(hundredths: i64, lang: Lang) -> String {
    let bulgarian = grouped(hundredths);
    match lang {
        Lang::Bg => bulgarian,
        Lang::En => bulgarian
            .chars()
            .map(|c| match c {
                ' ' => ',',
                ',' => '.',
                c => c,
            })
            .collect(),
    }
}

fn number(value: f64, lang: Lang) -> String {
    let text = format_value(value);
    match lang {
        Lang::Bg => text.replace('.', ","),
        Lang::En => text,
    }
}

pub(crate) fn build(programme: &Programme, actuals: &ProgressActuals, lang: Lang) -> Report {
    let en = lang == Lang::En;
    let mut lines = Vec::new();
    let mut section = None;
    let mut objective = None;
    let mut operational = None;
    for activity in &programme.activities {
        if section != Some(activity.section) {
            section = Some(activity.section);
            let title = programme
                .section(activity.section)
                .map(|s| s.title.as_str())
                .unwrap_or_default();
            let word = if en { "SECTION" } else { "РАЗДЕЛ" };
            lines.push(Line::Section(format!(
                "{word} {} „{title}“",
                roman(activity.section)
            )));
        }
        // Like the Programme, name an objective only on its first row.
        let objective_cell = if objective != activity.strategic_objective {
            objective = activity.strategic_objective.clone();
            operational = None;
            objective
                .as_deref()
                .and_then(|code| programme.strategic_objective(code))
                .map(|o| format!("{} {}", o.code, o.title).trim_end().to_string())
                .unwrap_or_default()
        } else {
            String::new()
        };
        let operational_cell = if operational != activity.operational_objective {
            operational = activity.operational_objective.clone();
            operational.clone().unwrap_or_default()
        } else {
            String::new()
        };
        let mut row = ActivityRow {
            objective: objective_cell,
            operational: operational_cell,
            activity: format!("{} {}", activity.code, activity.title),
            budget: activity.budget.amount,
            funding: activity.budget.source.clone(),
            deadline: if en || activity.deadline_text.is_empty() {
                activity.deadline.describe(en)
            } else {
                activity.deadline_text.clone()
            },
            expected: activity.expected_results.clone(),
            indicators: Vec::new(),
            baselines: Vec::new(),
            targets: Vec::new(),
            achieved: Vec::new(),
            percent: Vec::new(),
            lead: crate::institution::join(&activity.lead),
            partners: crate::institution::join(&activity.partners),
        };
        let dash = || "—".to_string();
        for (index, indicator) in activity.indicators.iter().enumerate() {
            let achievement = actuals
                .get(&(activity.code.clone(), index))
                .map(|p| p.achievement(indicator));
            row.indicators.push(format!("· {}", indicator.name));
            row.baselines
                .push(indicator.baseline.map_or_else(dash, |v| number(v, lang)));
            row.targets
                .push(indicator.target.map_or_else(dash, |v| number(v, lang)));
            row.achieved.push(
                achievement
                    .and_then(|a| a.achieved)
                    .map_or_else(dash, |v| number(v, lang)),
            );
            row.percent.push(
                achievement
                    .and_then(|a| a.percent_of_target)
                    .map_or_else(dash, |p| format!("{} %", number(p.round(), lang))),
            );
        }
        lines.push(Line::Activity(Box::new(row)));
    }
    let total = programme
        .activities
        .iter()
        .filter_map(|a| a.budget.amount)
        .sum();
    Report {
        title: if en {
            format!(
                "Annual implementation report {}: {}",
                programme.year, programme.title
            )
        } else {
            format!("Годишен отчет за изпълнението: {}", programme.title)
        },
        headers: if en { HEADERS_EN } else { HEADERS_BG },
        lines,
        total,
        total_label: if en {
            "Total stated budgets"
        } else {
            "Общо посочени бюджети"
        },
        rate_note: if en {
            "EUR at the fixed rate 1 EUR = 1.95583 BGN."
        } else {
            "EUR по фиксирания курс 1 EUR = 1,95583 лв."
        },
    }
}
