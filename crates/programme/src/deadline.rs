//! Deadlines as the Programme writes them: "Декември 2025 г.", "Декември,\n2025 г.",
//! "Март-декември 2025 г.", "Постоянен за 2025 г." (ongoing), or nothing at all.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use crate::quantity::one_line;

/// When an activity is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Deadline {
    /// Due by the end of this month.
    Month { year: i32, month: u8 },
    /// Runs through the whole programme year ("Постоянен").
    Ongoing,
    /// The document gives no deadline.
    Unspecified,
}

const MONTHS_BG: [&str; 12] = [
    "януари",
    "февруари",
    "март",
    "април",
    "май",
    "юни",
    "юли",
    "август",
    "септември",
    "октомври",
    "ноември",
    "декември",
];

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Deadline {
    /// Reads a deadline cell. An empty cell is `Unspecified`; a cell that says
    /// something this parser cannot read is `None`, so the importer can report it.
    ///
    /// Besides the document's wording it accepts "2025-12" and "12.2025", which
    /// people type into the CSV template. A range ("Март-декември") is due at its end.
    pub fn parse(text: &str) -> Option<Deadline> {
        let text = one_line(text).to_lowercase();
        if text.is_empty() {
            return Some(Deadline::Unspecified);
        }
        if text.starts_with("постоян") || text.starts_with("ongoing") {
            return Some(Deadline::Ongoing);
        }
        let year = year_in(&text)?;
        let month = MONTHS_BG
            .iter()
            .enumerate()
            .filter_map(|(i, name)| text.rfind(name).map(|at| (at, i)))
            .max()
            .map(|(_, i)| i as u8 + 1)
            .or_else(|| numeric_month(&text))?;
        Some(Deadline::Month { year, month })
    }

    /// The last day the activity may take: the end of its month, or the end of
    /// the programme year when the document says "ongoing" or nothing.
    pub fn due_date(&self, programme_year: i32) -> Date {
        let (year, month) = match *self {
            Deadline::Month { year, month } => (year, month),
            Deadline::Ongoing | Deadline::Unspecified => (programme_year, 12),
        };
        let month = Month::try_from(month.clamp(1, 12)).unwrap_or(Month::December);
        let last = time::util::days_in_month(month, year);
        // Only a year beyond ±9999 fails here; such a date is "never" anyway.
        Date::from_calendar_date(year, month, last).unwrap_or(Date::MAX)
    }

    /// The deadline in words, for reports written from the model.
    pub fn describe(&self, english: bool) -> String {
        match (*self, english) {
            (Deadline::Month { year, month }, false) => {
                let name = MONTHS_BG
                    .get(usize::from(month).wrapping_sub(1))
                    .unwrap_or(&"?");
                let mut name = name.to_string();
                if let Some(first) = name.chars().next() {
                    name.replace_range(..first.len_utf8(), &first.to_uppercase().to_string());
                }
                format!("{name} {year} г.")
            }
            (Deadline::Month { year, month }, true) => {
                let name = MONTHS_EN
                    .get(usize::from(month).wrapping_sub(1))
                    .unwrap_or(&"?");
                format!("{name} {year}")
            }
            (Deadline::Ongoing, false) => "Постоянен".into(),
            (Deadline::Ongoing, true) => "Ongoing".into(),
            (Deadline::Unspecified, false) => "Не е посочен".into(),
            (Deadline::Unspecified, true) => "Not stated".into(),
        }
    }

    /// The same deadline in another year, for copying a programme forward.
    pub fn in_year(&self, year: i32) -> Deadline {
        match *self {
            Deadline::Month { month, .. } => Deadline::Month { year, month },
            other => other,
        }
    }
}

/// The first run of exactly four digits that reads as a plausible year.
fn year_in(text: &str) -> Option<i32> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|run| run.len() == 4)
        .filter_map(|run| run.parse().ok())
        .find(|year| (1990..2200).contains(year))
}

/// "2025-12" or "12.2025" (the year has already been found).
fn numeric_month(text: &str) -> Option<u8> {
    let parts: Vec<&str> = text.split(['-', '.', '/']).map(str::trim).collect();
    let [a, b] = parts.as_slice() else {
        return None;
    };
    let month = if a.len() == 4 { b } else { a };
    month.parse::<u8>().ok().filter(|m| (1..=12).contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(year: i32, month: u8) -> Option<Deadline> {
        Some(Deadline::Month { year, month })
    }

    #[test]
    fn reads_the_documents_wording() {
        assert_eq!(Deadline::parse("Декември 2025 г."), month(2025, 12));
        assert_eq!(Deadline::parse("Декември,\n2025 г."), month(2025, 12));
        assert_eq!(Deadline::parse(" декември\n 2025 г."), month(2025, 12));
        assert_eq!(Deadline::parse("Декември 2025г."), month(2025, 12));
        assert_eq!(Deadline::parse("Октомври 2025 г."), month(2025, 10));
        assert_eq!(Deadline::parse("Март-декември 2025 г."), month(2025, 12));
        assert_eq!(
            Deadline::parse("Постоянен за 2025 г."),
            Some(Deadline::Ongoing)
        );
        assert_eq!(Deadline::parse(""), Some(Deadline::Unspecified));
        assert_eq!(Deadline::parse("до края на годината"), None);
    }

    #[test]
    fn reads_numeric_forms_from_the_template() {
        assert_eq!(Deadline::parse("2025-06"), month(2025, 6));
        assert_eq!(Deadline::parse("06.2025"), month(2025, 6));
        assert_eq!(Deadline::parse("2025-13"), None);
    }

    #[test]
    fn due_dates_fall_on_the_last_day() {
        let due = Deadline::Month {
            year: 2024,
            month: 2,
        }
        .due_date(2024);
        assert_eq!(
            due,
            Date::from_calendar_date(2024, Month::February, 29).unwrap()
        );
        let ongoing = Deadline::Ongoing.due_date(2025);
        assert_eq!(
            ongoing,
            Date::from_calendar_date(2025, Month::December, 31).unwrap()
        );
    }

    #[test]
    fn describes_in_both_languages() {
        let d = Deadline::Month {
            year: 2025,
            month: 12,
        };
        assert_eq!(d.describe(false), "Декември 2025 г.");
        assert_eq!(d.describe(true), "December 2025");
    }
}
