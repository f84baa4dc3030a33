//! The National Programme as the Commission writes it: a year, seven sections,
//! strategic and operational objectives, and numbered activities.
//!
//! The lists are flat and refer to each other by code (an activity names its
//! strategic objective "2.4"), because that is how the document itself is
//! organised and it keeps storage, CSV and IATI exports simple.

use serde::{Deserialize, Serialize};

use crate::budget::Budget;
use crate::deadline::Deadline;
use crate::indicator::Indicator;
use crate::institution::Institution;

/// One year's National Programme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Programme {
    pub year: i32,
    pub title: String,
    pub sections: Vec<Section>,
    pub strategic_objectives: Vec<StrategicObjective>,
    pub operational_objectives: Vec<OperationalObjective>,
    pub activities: Vec<Activity>,
}

/// A section of the Programme, "РАЗДЕЛ I" … "РАЗДЕЛ VII", numbered 1 … 7.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub number: u8,
    pub title: String,
}

/// A strategic objective such as "2.1 Повишаване на осведомеността…".
/// The title may be empty: the 2025 Programme has an objective "2.3" without one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StrategicObjective {
    pub code: String,
    pub title: String,
    pub section: u8,
}

/// An operational objective. The document gives them no code, so they are
/// identified by their title within their strategic objective.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationalObjective {
    pub strategic_objective: String,
    pub title: String,
}

/// A numbered activity ("2.1.3") with everything the Programme's row says about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// The code as the document gives it (without a trailing dot), even when it
    /// disagrees with the objective the activity sits under.
    pub code: String,
    pub title: String,
    /// English title when someone has provided one (the CSV template has a column).
    pub title_en: Option<String>,
    pub section: u8,
    /// Code of the strategic objective the row sits under.
    pub strategic_objective: Option<String>,
    /// Title of the operational objective the row sits under.
    pub operational_objective: Option<String>,
    pub budget: Budget,
    pub deadline: Deadline,
    /// The deadline cell as written ("Декември, 2025 г."), kept for the report.
    pub deadline_text: String,
    pub expected_results: String,
    pub indicators: Vec<Indicator>,
    pub lead: Vec<Institution>,
    pub partners: Vec<Institution>,
}

impl Programme {
    /// A programme with nothing in it yet, e.g. to write a blank CSV template.
    pub fn empty(year: i32) -> Self {
        Programme {
            year,
            title: String::new(),
            sections: Vec::new(),
            strategic_objectives: Vec::new(),
            operational_objectives: Vec::new(),
            activities: Vec::new(),
        }
    }

    pub fn activity(&self, code: &str) -> Option<&Activity> {
        self.activities.iter().find(|a| a.code == code)
    }

    pub fn section(&self, number: u8) -> Option<&Section> {
        self.sections.iter().find(|s| s.number == number)
    }

    pub fn strategic_objective(&self, code: &str) -> Option<&StrategicObjective> {
        self.strategic_objectives.iter().find(|o| o.code == code)
    }

    pub fn activities_in_section(&self, number: u8) -> impl Iterator<Item = &Activity> {
        self.activities.iter().filter(move |a| a.section == number)
    }
}

/// The Roman numeral the document uses for a section number.
pub fn roman(number: u8) -> &'static str {
    const NUMERALS: [&str; 12] = [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
    ];
    NUMERALS
        .get(usize::from(number).wrapping_sub(1))
        .copied()
        .unwrap_or("?")
}

/// Reads a Roman numeral, accepting the Cyrillic "І" and "Х" that Bulgarian
/// documents often type instead of the Latin letters.
pub(crate) fn parse_roman(text: &str) -> Option<u8> {
    let mut total = 0u32;
    let mut previous = 0u32;
    for c in text.chars().rev() {
        let value = match c {
            'I' | 'І' | 'Ӏ' => 1,
            'V' => 5,
            'X' | 'Х' => 10,
            _ => return None,
        };
        if value < previous {
            total = total.checked_sub(value)?;
        } else {
            total += value;
            previous = value;
        }
    }
    u8::try_from(total).ok().filter(|n| *n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals_round_trip_including_cyrillic_i() {
        for n in 1..=12 {
            assert_eq!(parse_roman(roman(n)), Some(n));
        }
        assert_eq!(parse_roman("ІІІ"), Some(3));
        assert_eq!(parse_roman("ІV"), Some(4));
        assert_eq!(parse_roman("II a"), None);
        assert_eq!(parse_roman(""), None);
    }
}
