//! The validation report: every problem an import found, in Bulgarian and English.
//!
//! Real programmes have gaps and slips; the importers keep what the document
//! says and list each problem here instead of failing or guessing. Only a text
//! that is not a programme at all is an [`ImportError`].

use serde::{Deserialize, Serialize};

/// What kind of problem an [`Issue`] is, for filtering and counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueKind {
    YearMismatch,
    RaggedRow,
    MissingObjectiveCode,
    MissingObjectiveTitle,
    MissingOperationalObjective,
    MissingActivityCode,
    CodeFormat,
    NumberingSlip,
    SectionMismatch,
    DuplicateActivity,
    ContinuationRow,
    MissingBudget,
    MissingDeadline,
    UnreadableDeadline,
    DeadlineOutsideYear,
    MissingExpectedResults,
    MissingIndicator,
    MissingBaseline,
    BaselineMismatch,
    IndicatorWithoutTarget,
    IndicatorValueOnOwnLine,
    MissingLead,
    UnmatchedInstitution,
    InvalidNumber,
    UnknownUnit,
    InconsistentActivityRow,
}

/// One problem, located by activity code when it belongs to one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    pub kind: IssueKind,
    pub activity: Option<String>,
    /// What the problem is about when that is not the activity itself:
    /// an objective code, an institution as written, a cell's text.
    pub subject: Option<String>,
    pub message_bg: String,
    pub message_en: String,
}

/// Everything an import found wrong, in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationReport {
    pub issues: Vec<Issue>,
}

/// The text is not a programme at all, or the CSV cannot be read as a table.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("not a programme: {0}")]
    NotAProgramme(&'static str),
    #[error("the CSV lacks the columns {0:?}")]
    MissingColumns(Vec<String>),
    #[error("cannot read the CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot read the input: {0}")]
    Io(#[from] std::io::Error),
}

impl ValidationReport {
    pub fn is_clean(&self) -> bool {
        self.issues.is_empty()
    }

    pub fn of_kind(&self, kind: IssueKind) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(move |i| i.kind == kind)
    }

    pub fn for_activity<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a Issue> {
        self.issues
            .iter()
            .filter(move |i| i.activity.as_deref() == Some(code))
    }

    /// True when an issue of this kind names this activity.
    pub fn has(&self, kind: IssueKind, activity: &str) -> bool {
        self.of_kind(kind)
            .any(|i| i.activity.as_deref() == Some(activity))
    }

    /// Every institution mention that the matcher could not link, once each.
    pub fn unmatched_institutions(&self) -> Vec<&str> {
        self.of_kind(IssueKind::UnmatchedInstitution)
            .filter_map(|i| i.subject.as_deref())
            .collect()
    }

    pub(crate) fn push(&mut self, issue: Issue) {
        self.issues.push(issue);
    }
}

fn issue(kind: IssueKind, activity: Option<&str>, bg: String, en: String) -> Issue {
    Issue {
        kind,
        activity: activity.map(str::to_owned),
        subject: None,
        message_bg: bg,
        message_en: en,
    }
}

impl Issue {
    fn about(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    pub(crate) fn year_mismatch(stated: i32, year: i32) -> Self {
        issue(
            IssueKind::YearMismatch,
            None,
            format!("Заглавието посочва {stated} г., а импортът е за {year} г."),
            format!("The title states {stated}, but the import is for {year}."),
        )
    }

    pub(crate) fn ragged_row(section: u8, cells: usize) -> Self {
        issue(
            IssueKind::RaggedRow,
            None,
            format!("Последният ред на раздел {section} има {cells} клетки вместо 10; липсващите са приети за празни."),
            format!("The last row of section {section} has {cells} cells instead of 10; the missing ones are taken as empty."),
        )
        .about(section.to_string())
    }

    pub(crate) fn missing_objective_code(text: &str) -> Self {
        issue(
            IssueKind::MissingObjectiveCode,
            None,
            format!("Стратегическата цел „{text}“ няма номер."),
            format!("The strategic objective \"{text}\" has no number."),
        )
        .about(text)
    }

    pub(crate) fn missing_objective_title(code: &str) -> Self {
        issue(
            IssueKind::MissingObjectiveTitle,
            None,
            format!("Стратегическа цел {code} няма текст."),
            format!("Strategic objective {code} has no title."),
        )
        .about(code)
    }

    pub(crate) fn missing_operational_objective(objective: &str, activities: &[&str]) -> Self {
        let list = activities.join(", ");
        let (bg, en) = if activities.len() == 1 {
            (
                format!("дейност {list} няма"),
                format!("activity {list} has"),
            )
        } else {
            (
                format!("дейности {list} нямат"),
                format!("activities {list} have"),
            )
        };
        issue(
            IssueKind::MissingOperationalObjective,
            activities.first().copied(),
            format!("Под стратегическа цел {objective} {bg} оперативна цел."),
            format!("Under strategic objective {objective}, {en} no operational objective."),
        )
        .about(objective)
    }

    pub(crate) fn missing_activity_code(text: &str, previous: Option<&str>) -> Self {
        issue(
            IssueKind::MissingActivityCode,
            previous,
            format!("Дейността „{text}“ няма номер; редът е присъединен към предходната дейност."),
            format!(
                "The activity \"{text}\" has no number; the row is joined to the previous activity."
            ),
        )
        .about(text)
    }

    pub(crate) fn code_format(written: &str, code: &str) -> Self {
        issue(
            IssueKind::CodeFormat,
            Some(code),
            format!("Номерът „{written}“ е записан неточно; прочетен е като {code}."),
            format!("The number \"{written}\" is written irregularly; it is read as {code}."),
        )
        .about(written)
    }

    pub(crate) fn numbering_slip(objective: &str, activities: &[&str]) -> Self {
        let list = activities.join(", ");
        let (bg, en) = if activities.len() == 1 {
            (
                format!(
                    "Дейност {list} е под стратегическа цел {objective}, но номерът ѝ сочи друга цел"
                ),
                format!(
                    "Activity {list} sits under strategic objective {objective}, but its number points to another objective"
                ),
            )
        } else {
            (
                format!(
                    "Дейности {list} са под стратегическа цел {objective}, но номерата им сочат друга цел"
                ),
                format!(
                    "Activities {list} sit under strategic objective {objective}, but their numbers point to another objective"
                ),
            )
        };
        issue(
            IssueKind::NumberingSlip,
            activities.first().copied(),
            format!("{bg}; запазени са номерата от документа."),
            format!("{en}; the document's numbers are kept."),
        )
        .about(objective)
    }

    pub(crate) fn section_mismatch(code: &str, section: u8) -> Self {
        issue(
            IssueKind::SectionMismatch,
            Some(code),
            format!("Дейност {code} е в раздел {section}, но номерът ѝ сочи друг раздел."),
            format!(
                "Activity {code} is in section {section}, but its number points to another section."
            ),
        )
    }

    pub(crate) fn duplicate_activity(code: &str) -> Self {
        issue(
            IssueKind::DuplicateActivity,
            Some(code),
            format!("Номер {code} се среща повече от веднъж."),
            format!("The number {code} occurs more than once."),
        )
    }

    pub(crate) fn continuation_row(code: &str) -> Self {
        issue(
            IssueKind::ContinuationRow,
            Some(code),
            format!(
                "Ред без номер продължава дейност {code}; бюджетът, срокът, резултатите, индикаторите и институциите му са добавени към нея."
            ),
            format!(
                "A row without a number continues activity {code}; its budget, deadline, results, indicators and institutions are added to it."
            ),
        )
    }

    pub(crate) fn missing_budget(code: &str) -> Self {
        issue(
            IssueKind::MissingBudget,
            Some(code),
            format!("Дейност {code} няма посочен бюджет или източник на финансиране."),
            format!("Activity {code} states no budget or funding source."),
        )
    }

    pub(crate) fn missing_deadline(code: &str) -> Self {
        issue(
            IssueKind::MissingDeadline,
            Some(code),
            format!("Дейност {code} няма срок за реализация."),
            format!("Activity {code} has no deadline."),
        )
    }

    pub(crate) fn unreadable_deadline(code: &str, text: &str) -> Self {
        issue(
            IssueKind::UnreadableDeadline,
            Some(code),
            format!(
                "Срокът на дейност {code} („{text}“) не може да бъде прочетен като месец и година."
            ),
            format!(
                "The deadline of activity {code} (\"{text}\") cannot be read as a month and year."
            ),
        )
        .about(text)
    }

    pub(crate) fn deadline_outside_year(code: &str, year: i32) -> Self {
        issue(
            IssueKind::DeadlineOutsideYear,
            Some(code),
            format!("Срокът на дейност {code} е извън {year} г."),
            format!("The deadline of activity {code} falls outside {year}."),
        )
    }

    pub(crate) fn missing_expected_results(code: &str) -> Self {
        issue(
            IssueKind::MissingExpectedResults,
            Some(code),
            format!("Дейност {code} няма очаквани резултати."),
            format!("Activity {code} has no expected results."),
        )
    }

    pub(crate) fn missing_indicator(code: &str) -> Self {
        issue(
            IssueKind::MissingIndicator,
            Some(code),
            format!("Дейност {code} няма индикатор за изпълнение."),
            format!("Activity {code} has no performance indicator."),
        )
    }

    pub(crate) fn missing_baseline(code: &str, indicator: &str) -> Self {
        issue(
            IssueKind::MissingBaseline,
            Some(code),
            format!("Индикаторът „{indicator}“ на дейност {code} няма текуща стойност."),
            format!(
                "The indicator \"{indicator}\" of activity {code} has no current (baseline) value."
            ),
        )
        .about(indicator)
    }

    pub(crate) fn baseline_count(code: &str, baselines: usize, targets: usize) -> Self {
        issue(
            IssueKind::BaselineMismatch,
            Some(code),
            format!(
                "Дейност {code} има {baselines} текущи и {targets} целеви стойности; съпоставени са по ред."
            ),
            format!(
                "Activity {code} has {baselines} current and {targets} target values; they are paired in order."
            ),
        )
    }

    pub(crate) fn baseline_wording(code: &str, baseline: &str, target: &str) -> Self {
        issue(
            IssueKind::BaselineMismatch,
            Some(code),
            format!("Текущата стойност на дейност {code} е описана като „{baseline}“, а целевата като „{target}“."),
            format!("Activity {code} describes its current value as \"{baseline}\" but its target as \"{target}\"."),
        )
        .about(baseline)
    }

    pub(crate) fn indicator_without_target(code: &str, indicator: &str) -> Self {
        issue(
            IssueKind::IndicatorWithoutTarget,
            Some(code),
            format!("Индикаторът „{indicator}“ на дейност {code} няма числова целева стойност."),
            format!("The indicator \"{indicator}\" of activity {code} has no numeric target."),
        )
        .about(indicator)
    }

    pub(crate) fn value_on_own_line(code: &str, indicator: &str) -> Self {
        issue(
            IssueKind::IndicatorValueOnOwnLine,
            Some(code),
            format!("Стойността на индикатора „{indicator}“ на дейност {code} е на отделен ред; присъединена е към него."),
            format!("The value of the indicator \"{indicator}\" of activity {code} is on a line of its own; it is joined to it."),
        )
        .about(indicator)
    }

    pub(crate) fn missing_lead(code: &str) -> Self {
        issue(
            IssueKind::MissingLead,
            Some(code),
            format!("Дейност {code} няма водеща институция."),
            format!("Activity {code} has no lead institution."),
        )
    }

    pub(crate) fn unmatched_institution(mention: &str, activities: &[&str]) -> Self {
        let list = activities.join(", ");
        issue(
            IssueKind::UnmatchedInstitution,
            activities.first().copied(),
            format!("Институцията „{mention}“ (дейности {list}) не е намерена в указателя на организациите."),
            format!("The institution \"{mention}\" (activities {list}) is not in the organisation directory."),
        )
        .about(mention)
    }

    pub(crate) fn invalid_number(code: &str, column: &str, text: &str) -> Self {
        issue(
            IssueKind::InvalidNumber,
            Some(code),
            format!("Колона „{column}“ на дейност {code} съдържа „{text}“, което не е число."),
            format!(
                "Column \"{column}\" of activity {code} holds \"{text}\", which is not a number."
            ),
        )
        .about(text)
    }

    pub(crate) fn unknown_unit(code: &str, text: &str) -> Self {
        issue(
            IssueKind::UnknownUnit,
            Some(code),
            format!("Мерната единица „{text}“ на дейност {code} е непозната; приета е за брой."),
            format!("The unit \"{text}\" of activity {code} is unknown; it is taken as a count."),
        )
        .about(text)
    }

    pub(crate) fn inconsistent_row(code: &str, column: &str) -> Self {
        issue(
            IssueKind::InconsistentActivityRow,
            Some(code),
            format!("Редовете на дейност {code} се различават в колона „{column}“; взета е стойността от първия ред."),
            format!("The rows of activity {code} differ in column \"{column}\"; the first row's value is used."),
        )
        .about(column)
    }
}
