//! A differentially private release: a snapshot of chosen tables with discrete
//! Laplace noise on every cell, post-processed to non-negative integers whose
//! totals are the sums of their cells, and the privacy-budget rule.
//!
//! ε is held in thousandths (`milli`) so that budgets add up exactly and the noise
//! scale is a ratio of integers. A release of n tables spends ε in total and gives
//! each table ε/n (sequential composition); a table whose person can touch Δ cells
//! gets noise of scale Δ·n/ε, which makes the whole release ε-differentially private.

use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::noise::discrete_laplace;
use crate::tables::Table;

/// The ε a year's data set may spend in all its releases, unless configured.
pub const DEFAULT_BUDGET_MILLI: u64 = 1000;

/// Parses a decimal ε such as `0.5` or `1` into thousandths; `None` for anything
/// not positive or finer than a thousandth.
pub fn parse_epsilon(s: &str) -> Option<u64> {
    let s = s.trim();
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() && frac.is_empty()
        || frac.len() > 3
        || !whole
            .chars()
            .chain(frac.chars())
            .all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let frac: u64 = format!("{frac:0<3}").parse().ok()?;
    let milli = whole.checked_mul(1000)?.checked_add(frac)?;
    (milli > 0).then_some(milli)
}

/// ε in thousandths, written as a decimal (`500` → `0.5`).
pub fn format_epsilon(milli: u64) -> String {
    let s = format!("{}.{:03}", milli / 1000, milli % 1000);
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Why a release may not be made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverBudget {
    pub budget_milli: u64,
    pub spent_milli: u64,
    pub asked_milli: u64,
}

/// The budget rule: what was spent plus what is asked may not exceed the budget.
pub fn check_budget(
    budget_milli: u64,
    spent_milli: u64,
    asked_milli: u64,
) -> Result<(), OverBudget> {
    if spent_milli.saturating_add(asked_milli) > budget_milli {
        Err(OverBudget {
            budget_milli,
            spent_milli,
            asked_milli,
        })
    } else {
        Ok(())
    }
}

/// The tables with noise for a release spending `epsilon_milli` in all.
pub fn noisy<R: RngCore + ?Sized>(
    tables: Vec<Table>,
    epsilon_milli: u64,
    rng: &mut R,
) -> Vec<Table> {
    assert!(epsilon_milli > 0);
    let n = tables.len() as u128;
    tables
        .into_iter()
        .map(|mut t| {
            let scale_num = u128::from(t.id.sensitivity()) * n * 1000;
            for c in &mut t.cells {
                let noise = discrete_laplace(rng, u128::from(epsilon_milli), scale_num);
                // Post-processing: a negative count means nothing to a reader, and
                // rounding it up to zero costs no privacy.
                c.count = (c.count as i64).saturating_add(noise).max(0) as u64;
            }
            t.sum_cells();
            t
        })
        .collect()
}

/// A published snapshot as readers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub year: i32,
    pub epsilon_milli: u64,
    pub tables: Vec<Table>,
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use zakrila_domain::case::Sex;

    use super::*;
    use crate::VictimRecord;
    use crate::tables::{TableId, table};

    #[test]
    fn epsilon_is_read_and_written_in_thousandths() {
        assert_eq!(parse_epsilon("0.5"), Some(500));
        assert_eq!(parse_epsilon("1"), Some(1000));
        assert_eq!(parse_epsilon(".25"), Some(250));
        assert_eq!(parse_epsilon("0"), None);
        assert_eq!(parse_epsilon("0.0001"), None);
        assert_eq!(parse_epsilon("-1"), None);
        assert_eq!(parse_epsilon("abc"), None);
        assert_eq!(format_epsilon(500), "0.5");
        assert_eq!(format_epsilon(1000), "1");
        assert_eq!(format_epsilon(1250), "1.25");
    }

    #[test]
    fn the_budget_refuses_what_would_overspend() {
        assert!(check_budget(1000, 0, 1000).is_ok());
        assert!(check_budget(1000, 500, 500).is_ok());
        assert_eq!(
            check_budget(1000, 600, 500),
            Err(OverBudget {
                budget_milli: 1000,
                spent_milli: 600,
                asked_milli: 500
            })
        );
    }

    #[test]
    fn noisy_counts_are_non_negative_and_totals_are_their_sums() {
        let vs: Vec<_> = (0..40)
            .map(|_| VictimRecord::new(2025, Sex::Female))
            .collect();
        let t = table(TableId::VictimsSexAge, 2025, &vs, &[]);
        let mut rng = StdRng::seed_from_u64(9);
        let out = noisy(vec![t.clone()], 1000, &mut rng);
        assert_eq!(out[0].cells.len(), t.cells.len());
        assert_eq!(
            out[0].total,
            out[0].cells.iter().map(|c| c.count).sum::<u64>()
        );
        // Scale 1: the big cell stays near its true value.
        let near = out[0].get(&["female", "unknown"]);
        assert!((25..=55).contains(&near), "{near}");
    }
}
