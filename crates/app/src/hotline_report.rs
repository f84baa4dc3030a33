//! The hotline's yearly report (Programme activity 5.1.5): signals of the caller's
//! hotline received in a period, counted by month, channel, caller type, form of
//! exploitation, place, urgency and outcome; referrals per institution; and the
//! time from receipt to triage and to referral (median and 90th percentile).

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;
use zakrila_domain::policy::{Action, Resource};

use crate::{App, AppError, Authed};

/// One count of a breakdown: the stored code and how many.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Count {
    pub key: String,
    pub count: u64,
}

/// Median and 90th percentile of a duration, in minutes; `None` without data.
#[derive(Debug, Clone, Copy, Default, Serialize, ToSchema)]
pub struct Spread {
    pub n: u64,
    pub median_min: Option<i64>,
    pub p90_min: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HotlineReport {
    /// Milliseconds since the epoch, inclusive.
    pub from: i64,
    /// Milliseconds since the epoch, exclusive.
    pub to: i64,
    pub total: u64,
    /// `YYYY-MM` (UTC).
    pub by_month: Vec<Count>,
    pub by_channel: Vec<Count>,
    pub by_caller_type: Vec<Count>,
    pub by_form: Vec<Count>,
    /// Region code or country (ISO alpha-3); `unknown` when not given.
    pub by_location: Vec<Count>,
    pub by_urgency: Vec<Count>,
    /// `open` for signals not closed yet.
    pub by_outcome: Vec<Count>,
    /// Organisation ids, with the signals referred to each.
    pub referrals_by_institution: Vec<Count>,
    pub to_triage: Spread,
    pub to_referral: Spread,
}

fn counts(m: BTreeMap<String, u64>) -> Vec<Count> {
    let mut v: Vec<Count> = m
        .into_iter()
        .map(|(key, count)| Count { key, count })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
    v
}

/// The value below which `q` of the sorted values lie (nearest rank).
fn quantile(sorted: &[i64], q: f64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some(sorted[rank - 1])
}

fn spread(mut minutes: Vec<i64>) -> Spread {
    minutes.sort_unstable();
    Spread {
        n: minutes.len() as u64,
        median_min: quantile(&minutes, 0.5),
        p90_min: quantile(&minutes, 0.9),
    }
}

fn month(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .map(|t| format!("{}-{:02}", t.year(), t.month() as u8))
        .unwrap_or_default()
}

impl App {
    /// The report over signals of the caller's hotline received in `[from, to)`.
    pub async fn hotline_report(
        &self,
        a: &Authed,
        from: i64,
        to: i64,
    ) -> Result<HotlineReport, AppError> {
        a.require(Action::ViewSignal, &Resource::Org(a.actor.org_id))?;
        let (signals, referrals) = self.store.signals_between(&a.org.id, from, to).await?;
        let by = |f: &dyn Fn(&zakrila_store::signals::ReportRow) -> Vec<String>| {
            let mut m = BTreeMap::new();
            for s in &signals {
                for k in f(s) {
                    *m.entry(k).or_insert(0u64) += 1;
                }
            }
            counts(m)
        };
        let by_month = by(&|s| vec![month(s.received_at)]);
        let by_channel = by(&|s| vec![s.channel.clone()]);
        let by_caller_type = by(&|s| vec![s.caller_type.clone()]);
        let by_form = by(&|s| {
            zakrila_store::comma_items(&s.forms)
                .map(str::to_owned)
                .collect()
        });
        let by_location = by(&|s| vec![s.location.clone().unwrap_or_else(|| "unknown".into())]);
        let by_urgency = by(&|s| vec![s.urgency.clone()]);
        let by_outcome = by(&|s| vec![s.outcome.clone().unwrap_or_else(|| "open".into())]);
        let mut per_org: BTreeMap<String, std::collections::BTreeSet<&str>> = BTreeMap::new();
        for (signal, org) in &referrals {
            per_org.entry(org.clone()).or_default().insert(signal);
        }
        let referrals_by_institution = counts(
            per_org
                .into_iter()
                .map(|(k, v)| (k, v.len() as u64))
                .collect(),
        );
        let minutes = |at: Option<i64>, from: i64| at.map(|t| (t - from).max(0) / 60_000);
        Ok(HotlineReport {
            from,
            to,
            total: signals.len() as u64,
            by_month,
            by_channel,
            by_caller_type,
            by_form,
            by_location,
            by_urgency,
            by_outcome,
            referrals_by_institution,
            to_triage: spread(
                signals
                    .iter()
                    .filter_map(|s| minutes(s.triaged_at, s.received_at))
                    .collect(),
            ),
            to_referral: spread(
                signals
                    .iter()
                    .filter_map(|s| minutes(s.referred_at, s.received_at))
                    .collect(),
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_by_nearest_rank() {
        let s = spread(vec![50, 10, 30, 20, 40, 60, 70, 80, 90, 100]);
        assert_eq!((s.median_min, s.p90_min), (Some(50), Some(90)));
        assert_eq!(spread(vec![]).median_min, None);
        assert_eq!(spread(vec![7]).p90_min, Some(7));
    }
}
