//! Where each activity and institution stands, computed from the stored
//! programme and its reports: the figures behind the dashboards, the
//! institutions page, the printable report and the API.

use std::collections::{BTreeMap, HashMap};

use time::Date;
use zakrila_domain::programme::{EXPECTED_PERIOD, Period, ReportStatus};
use zakrila_programme::{Achievement, Deadline, ProgressActuals, Status, achievement, status};
use zakrila_store::{entity::progress_report, programme::period_of};

use super::{Loaded, actuals_of};

/// An activity's standing on the dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Standing {
    Achieved,
    OnTrack,
    AtRisk,
    Overdue,
    /// Nothing submitted yet and the deadline has not passed.
    NoReport,
}

impl Standing {
    pub const ALL: [Standing; 5] = [
        Standing::OnTrack,
        Standing::AtRisk,
        Standing::Overdue,
        Standing::NoReport,
        Standing::Achieved,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Standing::Achieved => "achieved",
            Standing::OnTrack => "on-track",
            Standing::AtRisk => "at-risk",
            Standing::Overdue => "overdue",
            Standing::NoReport => "no-report",
        }
    }
}

/// Progress of one activity.
#[derive(Debug, Clone)]
pub struct ActivityStanding {
    /// Per indicator, in the activity's order.
    pub indicators: Vec<Achievement>,
    /// Mean share of target over the indicators that have a numeric target, each capped at 100 %.
    pub percent: Option<f64>,
    pub standing: Standing,
    /// Reports sent to the Commission (submitted, returned or approved).
    pub received: usize,
    /// Reports waiting for a coordinator.
    pub awaiting_review: usize,
}

pub(crate) fn today() -> Date {
    crate::case_details::today()
}

fn sent(r: &progress_report::Model) -> bool {
    r.submitted_at.is_some()
}

/// Every activity's standing, parallel to `stored.programme.activities`.
pub(crate) fn activities(l: &Loaded, today: Date) -> Vec<ActivityStanding> {
    let (stored, reports) = (&l.stored, &l.reports);
    let actuals: ProgressActuals = actuals_of(l);
    let year = stored.record.year;
    let start = Date::from_calendar_date(year, time::Month::January, 1).unwrap_or(Date::MIN);
    let mut by_activity: HashMap<&str, Vec<&progress_report::Model>> = HashMap::new();
    for r in reports {
        by_activity
            .entry(r.activity_id.as_str())
            .or_default()
            .push(r);
    }
    stored
        .programme
        .activities
        .iter()
        .zip(&stored.activities)
        .map(|(a, ids)| {
            let indicators: Vec<Achievement> = a
                .indicators
                .iter()
                .enumerate()
                .map(|(i, ind)| {
                    let periods = actuals
                        .get(&(a.code.clone(), i))
                        .map(|p| p.periods.as_slice())
                        .unwrap_or(&[]);
                    achievement(
                        ind.baseline,
                        ind.target,
                        periods,
                        ids.indicators[i].accumulation,
                    )
                })
                .collect();
            let shares: Vec<f64> = indicators
                .iter()
                .filter_map(|x| x.percent_of_target)
                .map(|p| p.clamp(0.0, 100.0))
                .collect();
            let percent =
                (!shares.is_empty()).then(|| shares.iter().sum::<f64>() / shares.len() as f64);
            let mine = by_activity
                .get(ids.id.as_str())
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let received = mine.iter().filter(|r| sent(r)).count();
            let awaiting_review = mine
                .iter()
                .filter(|r| r.status == ReportStatus::Submitted.as_str())
                .count();
            let standing = standing_of(
                &a.deadline,
                received,
                percent,
                start,
                a.deadline.due_date(year),
                today,
            );
            ActivityStanding {
                indicators,
                percent,
                standing,
                received,
                awaiting_review,
            }
        })
        .collect()
}

/// An activity's standing from its reports and deadline. A permanent activity
/// ("Постоянен") has no end to be late for: it is judged as it stood at the end of
/// its programme year and never counts as overdue.
fn standing_of(
    deadline: &Deadline,
    received: usize,
    percent: Option<f64>,
    start: Date,
    due: Date,
    today: Date,
) -> Standing {
    let permanent = matches!(deadline, Deadline::Ongoing);
    let today = if permanent { today.min(due) } else { today };
    if received == 0 && percent.is_none() {
        return if today > due {
            Standing::Overdue
        } else {
            Standing::NoReport
        };
    }
    match status(percent, start, due, today) {
        Status::Achieved => Standing::Achieved,
        Status::OnTrack => Standing::OnTrack,
        Status::AtRisk => Standing::AtRisk,
        Status::Overdue => Standing::Overdue,
    }
}

/// Reporting completeness and timeliness of one institution, as DHIS2 counts
/// them: a report is expected per led activity per half-year that has ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Completeness {
    pub activities: usize,
    pub expected: usize,
    pub received: usize,
    pub on_time: usize,
}

impl Completeness {
    pub fn percent(part: usize, whole: usize) -> Option<u32> {
        (whole > 0).then(|| (part as f64 / whole as f64 * 100.0).round() as u32)
    }
}

/// Completeness per lead organisation id.
pub(crate) fn completeness(l: &Loaded, today: Date) -> BTreeMap<String, Completeness> {
    let (stored, reports) = (&l.stored, &l.reports);
    let year = stored.record.year;
    let halves: Vec<Period> = (1..=EXPECTED_PERIOD.count())
        .filter_map(|n| Period::new(year, year, EXPECTED_PERIOD, n).ok())
        .filter(|h| h.end() < today)
        .collect();
    // The earliest submission per (activity, org, half), by the half the period ends in.
    let mut first_sent: HashMap<(&str, &str, u8), i64> = HashMap::new();
    for r in reports {
        let (Some(at), Some(p)) = (r.submitted_at, period_of(r, year)) else {
            continue;
        };
        let Some(half) = halves
            .iter()
            .find(|h| h.start() <= p.end() && p.end() <= h.end())
        else {
            continue;
        };
        let slot = first_sent
            .entry((r.activity_id.as_str(), r.org_id.as_str(), half.number))
            .or_insert(at);
        *slot = (*slot).min(at);
    }
    let mut out: BTreeMap<String, Completeness> = BTreeMap::new();
    for ids in &stored.activities {
        for org in &ids.leads {
            let c = out.entry(org.clone()).or_default();
            c.activities += 1;
            for h in &halves {
                c.expected += 1;
                if let Some(at) = first_sent.get(&(ids.id.as_str(), org.as_str(), h.number)) {
                    c.received += 1;
                    let due_ms = (h.due().midnight().assume_utc().unix_timestamp() + 86_400) * 1000;
                    if *at < due_ms {
                        c.on_time += 1;
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    const START: Date = date!(2025 - 01 - 01);
    const END: Date = date!(2025 - 12 - 31);

    #[test]
    fn a_permanent_activity_is_never_overdue() {
        let after = date!(2026 - 12 - 05);
        let ongoing = Deadline::Ongoing;
        assert_eq!(
            standing_of(&ongoing, 0, None, START, END, after),
            Standing::NoReport
        );
        assert_eq!(
            standing_of(&ongoing, 1, Some(90.0), START, END, after),
            Standing::OnTrack
        );
        assert_eq!(
            standing_of(&ongoing, 1, Some(10.0), START, END, after),
            Standing::AtRisk
        );
    }

    #[test]
    fn a_dated_activity_past_its_month_is_overdue() {
        let december = Deadline::Month {
            year: 2025,
            month: 12,
        };
        let after = date!(2026 - 01 - 01);
        assert_eq!(
            standing_of(&december, 0, None, START, END, after),
            Standing::Overdue
        );
        assert_eq!(
            standing_of(&december, 1, Some(90.0), START, END, after),
            Standing::Overdue
        );
        assert_eq!(
            standing_of(&december, 1, Some(100.0), START, END, after),
            Standing::Achieved
        );
        assert_eq!(
            standing_of(&december, 0, None, START, END, date!(2025 - 06 - 01)),
            Standing::NoReport
        );
    }
}
