//! The rules of progress reporting on the National Programme: which periods an
//! institution reports for, what a value must look like, and how a report moves
//! from draft to approval. Pure: the store and the web layer ask here.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use crate::{DomainError, policy::Action};

/// The length of a reporting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Quarter,
    Half,
    Year,
}

impl PeriodKind {
    pub const ALL: [PeriodKind; 3] = [PeriodKind::Quarter, PeriodKind::Half, PeriodKind::Year];

    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::Quarter => "quarter",
            PeriodKind::Half => "half",
            PeriodKind::Year => "year",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or(DomainError::field("period", "error-progress-period"))
    }

    fn months(self) -> u8 {
        match self {
            PeriodKind::Quarter => 3,
            PeriodKind::Half => 6,
            PeriodKind::Year => 12,
        }
    }

    /// How many periods of this kind a year has.
    pub fn count(self) -> u8 {
        12 / self.months()
    }
}

/// One reporting period of a programme year: "Q2 2025", "H1 2025", "2025".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    pub year: i32,
    pub kind: PeriodKind,
    /// 1-based: quarter 1–4, half 1–2, year 1.
    pub number: u8,
}

impl Period {
    /// A period of the programme year; anything else is refused, because a
    /// programme only runs for its own year.
    pub fn new(
        programme_year: i32,
        year: i32,
        kind: PeriodKind,
        number: u8,
    ) -> Result<Self, DomainError> {
        if year != programme_year || number == 0 || number > kind.count() {
            return Err(DomainError::field(
                "period",
                "error-progress-period-outside",
            ));
        }
        Ok(Period { year, kind, number })
    }

    pub fn start(&self) -> Date {
        let month = (self.number - 1) * self.kind.months() + 1;
        Date::from_calendar_date(
            self.year,
            Month::try_from(month).unwrap_or(Month::January),
            1,
        )
        .unwrap_or(Date::MIN)
    }

    pub fn end(&self) -> Date {
        let month = Month::try_from(self.number * self.kind.months()).unwrap_or(Month::December);
        let last = time::util::days_in_month(month, self.year);
        Date::from_calendar_date(self.year, month, last).unwrap_or(Date::MAX)
    }

    /// Whether two periods share any day (Q2 and H1 do): reporting both for one
    /// indicator would count the same work twice.
    pub fn overlaps(&self, other: &Period) -> bool {
        self.start() <= other.end() && other.start() <= self.end()
    }

    /// The last day a report for this period counts as on time.
    pub fn due(&self) -> Date {
        self.end() + time::Duration::days(TIMELY_DAYS)
    }

    /// "Q2", "H1", "Y" — short labels shared by both languages.
    pub fn label(&self) -> String {
        match self.kind {
            PeriodKind::Quarter => format!("Q{} {}", self.number, self.year),
            PeriodKind::Half => format!("H{} {}", self.number, self.year),
            PeriodKind::Year => self.year.to_string(),
        }
    }

    /// Every period of a year, quarters first, for the reporting form.
    pub fn all_in(year: i32) -> Vec<Period> {
        PeriodKind::ALL
            .into_iter()
            .flat_map(|kind| (1..=kind.count()).map(move |number| Period { year, kind, number }))
            .collect()
    }
}

/// Days after a period's end within which its report counts as on time (DHIS2
/// calls this "days after period end to qualify for timely submission").
pub const TIMELY_DAYS: i64 = 30;

/// The Commission collects progress twice a year: each lead institution owes one
/// report per activity per half-year.
pub const EXPECTED_PERIOD: PeriodKind = PeriodKind::Half;

/// Where a progress report is in its review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    Draft,
    Submitted,
    Approved,
    Returned,
}

impl ReportStatus {
    pub const ALL: [ReportStatus; 4] = [
        ReportStatus::Draft,
        ReportStatus::Submitted,
        ReportStatus::Approved,
        ReportStatus::Returned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::Draft => "draft",
            ReportStatus::Submitted => "submitted",
            ReportStatus::Approved => "approved",
            ReportStatus::Returned => "returned",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or(DomainError::new("error-progress-status"))
    }

    /// The reporter may change the value: before submission, or after the
    /// Commission returned it. Approved periods are locked for good.
    pub fn check_edit(self) -> Result<(), DomainError> {
        match self {
            ReportStatus::Draft | ReportStatus::Returned => Ok(()),
            ReportStatus::Submitted => Err(DomainError::new("error-progress-awaiting-review")),
            ReportStatus::Approved => Err(DomainError::new("error-progress-locked")),
        }
    }

    /// The status after `step`, or why the step is not possible from here.
    pub fn after(self, step: ReviewStep) -> Result<ReportStatus, DomainError> {
        use ReportStatus as S;
        match (self, step) {
            (S::Approved, _) => Err(DomainError::new("error-progress-locked")),
            (S::Draft | S::Returned, ReviewStep::Submit) => Ok(S::Submitted),
            (S::Submitted, ReviewStep::Approve) => Ok(S::Approved),
            (S::Submitted, ReviewStep::Return) => Ok(S::Returned),
            (S::Submitted, ReviewStep::Submit) => {
                Err(DomainError::new("error-progress-awaiting-review"))
            }
            (S::Draft | S::Returned, _) => Err(DomainError::new("error-progress-not-submitted")),
        }
    }
}

/// What moves a report along.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewStep {
    Submit,
    Approve,
    Return,
}

/// The policy action that guards saving a draft: the reporter's, as submitting is.
pub const SAVE_ACTION: Action = Action::ReportProgress;

impl ReviewStep {
    pub const ALL: [ReviewStep; 3] = [ReviewStep::Submit, ReviewStep::Approve, ReviewStep::Return];

    /// The word in URLs (`/reports/{id}/submit`).
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStep::Submit => "submit",
            ReviewStep::Approve => "approve",
            ReviewStep::Return => "return",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The policy action that guards this step — the one mapping from review
    /// steps to the policy, for the action and for the button that offers it.
    pub fn action(self) -> Action {
        match self {
            ReviewStep::Submit => SAVE_ACTION,
            ReviewStep::Approve | ReviewStep::Return => Action::ApproveProgress,
        }
    }
}

/// How an indicator is measured, as far as a reported value is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    Numeric,
    Text,
}

/// Reads a reported value. Numeric indicators need a non-negative number
/// ("1 250", "12,5" are fine); text indicators carry their result in the
/// narrative, so a value there is optional and must still be a number if given.
pub fn parse_value(kind: ValueKind, text: &str) -> Result<Option<f64>, DomainError> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    let cleaned = cleaned.strip_suffix('%').unwrap_or(&cleaned);
    if cleaned.is_empty() {
        return match kind {
            ValueKind::Numeric => Err(DomainError::field("value", "error-progress-value-required")),
            ValueKind::Text => Ok(None),
        };
    }
    let ok = cleaned.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && cleaned.matches('.').count() <= 1;
    match cleaned.parse::<f64>() {
        Ok(v) if ok && v.is_finite() => Ok(Some(v)),
        _ => Err(DomainError::field("value", "error-progress-value-number")),
    }
}

/// The narrative must say something, and the evidence must be web links, so
/// the Commission can open them.
pub fn check_evidence(links: &[String]) -> Result<(), DomainError> {
    if links
        .iter()
        .all(|l| l.starts_with("https://") || l.starts_with("http://"))
    {
        Ok(())
    } else {
        Err(DomainError::field("evidence", "error-progress-evidence"))
    }
}

/// A coordinator returning a report must say why.
pub fn check_return_comment(comment: &str) -> Result<(), DomainError> {
    if comment.trim().is_empty() {
        Err(DomainError::field(
            "comment",
            "error-progress-comment-required",
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_stay_inside_the_programme_year() {
        let q2 = Period::new(2025, 2025, PeriodKind::Quarter, 2).unwrap();
        assert_eq!(q2.start().to_string(), "2025-04-01");
        assert_eq!(q2.end().to_string(), "2025-06-30");
        let h1 = Period::new(2025, 2025, PeriodKind::Half, 1).unwrap();
        assert!(q2.overlaps(&h1));
        assert!(
            !Period::new(2025, 2025, PeriodKind::Quarter, 3)
                .unwrap()
                .overlaps(&h1)
        );
        assert!(Period::new(2025, 2026, PeriodKind::Quarter, 1).is_err());
        assert!(Period::new(2025, 2025, PeriodKind::Quarter, 5).is_err());
        assert!(Period::new(2025, 2025, PeriodKind::Year, 2).is_err());
        assert_eq!(Period::all_in(2025).len(), 7);
    }

    #[test]
    fn values_must_be_numbers_for_numeric_indicators() {
        assert_eq!(parse_value(ValueKind::Numeric, "1 250"), Ok(Some(1250.0)));
        assert_eq!(parse_value(ValueKind::Numeric, "12,5%"), Ok(Some(12.5)));
        assert_eq!(
            parse_value(ValueKind::Numeric, "сто").unwrap_err().key,
            "error-progress-value-number"
        );
        assert_eq!(
            parse_value(ValueKind::Numeric, "-3").unwrap_err().key,
            "error-progress-value-number"
        );
        assert_eq!(
            parse_value(ValueKind::Numeric, "").unwrap_err().key,
            "error-progress-value-required"
        );
        assert_eq!(parse_value(ValueKind::Text, ""), Ok(None));
    }

    #[test]
    fn approved_reports_are_locked() {
        use ReportStatus as S;
        assert_eq!(S::Draft.after(ReviewStep::Submit), Ok(S::Submitted));
        assert_eq!(S::Submitted.after(ReviewStep::Return), Ok(S::Returned));
        assert_eq!(S::Returned.after(ReviewStep::Submit), Ok(S::Submitted));
        assert_eq!(S::Submitted.after(ReviewStep::Approve), Ok(S::Approved));
        assert_eq!(
            S::Approved.after(ReviewStep::Return).unwrap_err().key,
            "error-progress-locked"
        );
        assert_eq!(
            S::Approved.check_edit().unwrap_err().key,
            "error-progress-locked"
        );
        assert_eq!(
            S::Draft.after(ReviewStep::Approve).unwrap_err().key,
            "error-progress-not-submitted"
        );
        assert!(S::Returned.check_edit().is_ok());
    }

    #[test]
    fn reporters_submit_and_coordinators_review() {
        use crate::policy::Action;
        assert_eq!(ReviewStep::Submit.action(), Action::ReportProgress);
        assert_eq!(SAVE_ACTION, Action::ReportProgress);
        assert_eq!(ReviewStep::Approve.action(), Action::ApproveProgress);
        assert_eq!(ReviewStep::Return.action(), Action::ApproveProgress);
        for s in ReviewStep::ALL {
            assert_eq!(ReviewStep::parse(s.as_str()), Some(s));
        }
        assert_eq!(ReviewStep::parse("delete"), None);
    }
}
