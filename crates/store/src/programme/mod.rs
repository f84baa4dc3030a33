//! The National Programme in storage: importing a parsed programme (all or
//! nothing), reading it back as the `zakrila_programme` model the exports and
//! dashboards work on, and progress reports with their review.

mod import;
mod load;
mod progress;

pub use import::{ImportSummary, directory_matcher, parse_seed_2025};
pub use load::{StoredActivity, StoredIndicator, StoredProgramme};
pub use progress::{NewProgress, ReportRow, actuals, period_of};

use zakrila_programme::{Accumulation, Unit};

/// The import refused because the year exists and replacing was not confirmed.
pub const CONFLICT_EXISTS: &str = "programme-exists";

/// Indicator figures are kept in thousandths: exact on both backends.
pub(crate) fn to_milli(v: f64) -> i64 {
    (v * 1000.0).round() as i64
}

pub(crate) fn from_milli(v: i64) -> f64 {
    v as f64 / 1000.0
}

pub(crate) fn accumulation_code(a: Accumulation) -> &'static str {
    match a {
        Accumulation::Cumulative => "cumulative",
        Accumulation::PerPeriod => "per_period",
    }
}

pub(crate) fn parse_accumulation(s: &str) -> Accumulation {
    if s == "per_period" {
        Accumulation::PerPeriod
    } else {
        Accumulation::Cumulative
    }
}

/// How an imported indicator's reports add up until a coordinator says
/// otherwise: a count ("trained specialists") is reported per period and
/// summed; a percentage or a text is a state, so the latest report counts.
pub fn default_accumulation(unit: Unit) -> Accumulation {
    match unit {
        Unit::Count => Accumulation::PerPeriod,
        Unit::Percent | Unit::Text => Accumulation::Cumulative,
    }
}
