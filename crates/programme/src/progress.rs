//! Progress arithmetic: what an indicator has achieved from its approved
//! period values, how far that is toward the target, and whether the activity
//! is on track for its deadline. Pure functions; the store supplies the values.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::indicator::Indicator;

/// How an indicator's period values add up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Accumulation {
    /// Each report states the total so far ("120 trained by June"): the latest counts.
    Cumulative,
    /// Each report states that period's own figure ("30 trained this quarter"): they add up.
    PerPeriod,
}

/// An approved value for one reporting period (quarter, half-year, year).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PeriodValue {
    pub start: Date,
    pub end: Date,
    pub value: f64,
}

/// The approved values of one indicator and how they accumulate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorProgress {
    pub accumulation: Accumulation,
    pub periods: Vec<PeriodValue>,
}

/// Approved progress keyed by (activity code, indicator's position in the activity).
pub type ProgressActuals = BTreeMap<(String, usize), IndicatorProgress>;

/// Where an indicator stands.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Achievement {
    /// `None` until some period has been approved.
    pub achieved: Option<f64>,
    /// Achieved as a share of the target, in percent.
    pub percent_of_target: Option<f64>,
    /// The way from baseline to target covered so far, in percent; this is the
    /// fairer figure when the baseline is far from zero (9 905 → 10 000 children).
    pub percent_of_change: Option<f64>,
}

/// On track or not, as the dashboards show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Achieved,
    OnTrack,
    AtRisk,
    Overdue,
}

/// How far the achieved share may lag behind the share of time elapsed before
/// an activity counts as at risk. Activities rarely progress evenly (a
/// conference happens once), so only a clear lag should raise a flag.
pub const AT_RISK_LAG: f64 = 0.25;

/// The value reached so far: the latest report of a cumulative indicator, the
/// sum of a per-period one. Periods need not arrive in order.
pub fn achieved(periods: &[PeriodValue], accumulation: Accumulation) -> Option<f64> {
    if periods.is_empty() {
        return None;
    }
    Some(match accumulation {
        Accumulation::Cumulative => periods
            .iter()
            .enumerate()
            .max_by_key(|(i, p)| (p.end, *i))
            .map(|(_, p)| p.value)
            .unwrap_or_default(),
        Accumulation::PerPeriod => periods.iter().map(|p| p.value).sum(),
    })
}

impl IndicatorProgress {
    pub fn achievement(&self, indicator: &Indicator) -> Achievement {
        achievement(
            indicator.baseline,
            indicator.target,
            &self.periods,
            self.accumulation,
        )
    }
}

pub fn achievement(
    baseline: Option<f64>,
    target: Option<f64>,
    periods: &[PeriodValue],
    accumulation: Accumulation,
) -> Achievement {
    let achieved = achieved(periods, accumulation);
    let percent_of_target = achieved
        .zip(target.filter(|t| *t != 0.0))
        .map(|(a, t)| a / t * 100.0);
    let percent_of_change = match (achieved, baseline, target) {
        (Some(a), Some(b), Some(t)) if t != b => Some((a - b) / (t - b) * 100.0),
        _ => None,
    };
    Achievement {
        achieved,
        percent_of_target,
        percent_of_change,
    }
}

/// Compares progress with the time elapsed between `start` and `due`.
/// Without a numeric share (no target, nothing reported) nothing counts as done.
pub fn status(percent_of_target: Option<f64>, start: Date, due: Date, today: Date) -> Status {
    let share = percent_of_target.unwrap_or(0.0) / 100.0;
    if share >= 1.0 {
        return Status::Achieved;
    }
    if today > due {
        return Status::Overdue;
    }
    let total = (due - start).whole_days().max(1) as f64;
    let elapsed = ((today - start).whole_days() as f64 / total).clamp(0.0, 1.0);
    if share + AT_RISK_LAG >= elapsed {
        Status::OnTrack
    } else {
        Status::AtRisk
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Month;

    fn day(month: Month, day: u8) -> Date {
        Date::from_calendar_date(2025, month, day).unwrap()
    }

    fn quarter(q: u8, value: f64) -> PeriodValue {
        let (start, end) = match q {
            1 => (day(Month::January, 1), day(Month::March, 31)),
            2 => (day(Month::April, 1), day(Month::June, 30)),
            3 => (day(Month::July, 1), day(Month::September, 30)),
            _ => (day(Month::October, 1), day(Month::December, 31)),
        };
        PeriodValue { start, end, value }
    }

    #[test]
    fn cumulative_values_take_the_latest_period_whatever_the_order() {
        let periods = [quarter(2, 70.0), quarter(1, 30.0)];
        assert_eq!(achieved(&periods, Accumulation::Cumulative), Some(70.0));
        assert_eq!(achieved(&periods, Accumulation::PerPeriod), Some(100.0));
        assert_eq!(achieved(&[], Accumulation::PerPeriod), None);
    }

    #[test]
    fn percentages_of_target_and_of_change() {
        let a = achievement(
            Some(0.0),
            Some(150.0),
            &[quarter(1, 60.0), quarter(2, 15.0)],
            Accumulation::PerPeriod,
        );
        assert_eq!(a.achieved, Some(75.0));
        assert_eq!(a.percent_of_target, Some(50.0));
        assert_eq!(a.percent_of_change, Some(50.0));
        let children = achievement(
            Some(9905.0),
            Some(10_000.0),
            &[quarter(2, 9952.5)],
            Accumulation::Cumulative,
        );
        assert_eq!(children.percent_of_change, Some(50.0));
        let no_target = achievement(None, None, &[quarter(1, 3.0)], Accumulation::PerPeriod);
        assert_eq!(
            (no_target.achieved, no_target.percent_of_target),
            (Some(3.0), None)
        );
    }

    #[test]
    fn status_follows_time_elapsed() {
        let (start, due) = (day(Month::January, 1), day(Month::December, 31));
        let mid_year = day(Month::July, 1);
        assert_eq!(status(Some(40.0), start, due, mid_year), Status::OnTrack);
        assert_eq!(status(Some(20.0), start, due, mid_year), Status::AtRisk);
        assert_eq!(
            status(None, start, due, day(Month::February, 1)),
            Status::OnTrack
        );
        assert_eq!(status(Some(100.0), start, due, mid_year), Status::Achieved);
        let next_year = Date::from_calendar_date(2026, Month::January, 5).unwrap();
        assert_eq!(status(Some(99.0), start, due, next_year), Status::Overdue);
        assert_eq!(status(Some(120.0), start, due, next_year), Status::Achieved);
    }
}
