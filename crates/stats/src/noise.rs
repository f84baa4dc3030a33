//! Exact samplers for the discrete Laplace and discrete Gaussian distributions
//! (Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential Privacy",
//! NeurIPS 2020, algorithms 1–3). Only integer arithmetic and uniform integers are
//! used: floating-point noise leaks the true value through its low bits (Mironov
//! 2012), these samplers have no low bits to leak.
//!
//! Callers pass the randomness; releases use the operating system's generator
//! (`rand::rngs::OsRng`), tests a seeded one.

use rand::RngCore;

/// A uniform integer in `0..n` (`n > 0`), by rejection so there is no modulo bias.
pub fn uniform_below<R: RngCore + ?Sized>(rng: &mut R, n: u128) -> u128 {
    assert!(n > 0);
    if n == 1 {
        return 0;
    }
    let bits = 128 - (n - 1).leading_zeros();
    loop {
        let raw = (u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64());
        let x = if bits == 128 {
            raw
        } else {
            raw & ((1u128 << bits) - 1)
        };
        if x < n {
            return x;
        }
    }
}

/// `true` with probability `num/den` (`num <= den`, `den > 0`).
pub fn bernoulli<R: RngCore + ?Sized>(rng: &mut R, num: u128, den: u128) -> bool {
    uniform_below(rng, den) < num
}

/// `true` with probability `exp(-num/den)`, exactly (algorithm 1).
pub fn bernoulli_exp<R: RngCore + ?Sized>(rng: &mut R, num: u128, den: u128) -> bool {
    assert!(den > 0);
    let mut num = num;
    // exp(-γ) = exp(-1)^⌊γ⌋ · exp(-(γ - ⌊γ⌋)).
    while num > den {
        if !bernoulli_exp_at_most_one(rng, 1, 1) {
            return false;
        }
        num -= den;
    }
    bernoulli_exp_at_most_one(rng, num, den)
}

/// `exp(-γ)` for `γ = num/den` in `[0, 1]`: draw `A_k ~ Bernoulli(γ/k)` for
/// k = 1, 2, … until one is 0; the first such k is odd with probability `exp(-γ)`.
fn bernoulli_exp_at_most_one<R: RngCore + ?Sized>(rng: &mut R, num: u128, den: u128) -> bool {
    let mut k: u128 = 1;
    loop {
        // The loop ends after a few steps (P(k > n) = γ^n / n!); a denominator
        // overflowing u128 cannot happen before the heat death of the machine.
        if !bernoulli(rng, num, den.saturating_mul(k)) {
            return k % 2 == 1;
        }
        k += 1;
    }
}

/// A discrete Laplace variable with scale `t/s` (`s, t > 0`):
/// `P(x) ∝ exp(-|x|·s/t)` (algorithm 2).
pub fn discrete_laplace<R: RngCore + ?Sized>(rng: &mut R, s: u128, t: u128) -> i64 {
    assert!(s > 0 && t > 0);
    loop {
        let u = uniform_below(rng, t);
        if !bernoulli_exp(rng, u, t) {
            continue;
        }
        let mut v: u128 = 0;
        while bernoulli_exp(rng, 1, 1) {
            v += 1;
        }
        let x = u + t * v;
        let y = x / s;
        let negative = bernoulli(rng, 1, 2);
        if negative && y == 0 {
            continue;
        }
        let y = i64::try_from(y).unwrap_or(i64::MAX);
        return if negative { -y } else { y };
    }
}

fn isqrt(n: u128) -> u128 {
    if n < 2 {
        return n;
    }
    let mut x = (n as f64).sqrt() as u128;
    // The float estimate is only a starting point; correct it exactly.
    while x * x > n {
        x -= 1;
    }
    while (x + 1) * (x + 1) <= n {
        x += 1;
    }
    x
}

/// A discrete Gaussian variable with variance parameter `σ² = num/den`:
/// `P(x) ∝ exp(-x²/(2σ²))` (algorithm 3).
pub fn discrete_gaussian<R: RngCore + ?Sized>(rng: &mut R, num: u128, den: u128) -> i64 {
    assert!(num > 0 && den > 0);
    let t = isqrt(num / den) + 1;
    loop {
        let y = discrete_laplace(rng, 1, t);
        let abs = u128::from(y.unsigned_abs());
        // γ = (|y| − σ²/t)² / (2σ²) = (|y|·den·t − num)² / (2·num·den·t²).
        let diff = (abs * den * t).abs_diff(num);
        let (Some(g_num), Some(g_den)) = (
            diff.checked_mul(diff),
            (2 * num)
                .checked_mul(den)
                .and_then(|x| x.checked_mul(t * t)),
        ) else {
            // Only for |y| so far in the tail that the acceptance is nil anyway.
            continue;
        };
        if bernoulli_exp(rng, g_num, g_den) {
            return y;
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::*;

    /// Pearson's χ² of `counts` over bins -w..=w (the two tails folded into the
    /// outermost bins) against the probabilities `pmf(x)` (normalised here).
    fn chi_square(samples: &[i64], w: i64, pmf: impl Fn(i64) -> f64) -> f64 {
        let norm: f64 = (-2000..=2000).map(&pmf).sum();
        let n = samples.len() as f64;
        let mut chi = 0.0;
        for bin in -w..=w {
            let p: f64 = if bin == -w {
                (-2000..=-w).map(&pmf).sum::<f64>()
            } else if bin == w {
                (w..=2000).map(&pmf).sum::<f64>()
            } else {
                pmf(bin)
            } / norm;
            let observed = samples
                .iter()
                .filter(|x| {
                    if bin == -w {
                        **x <= -w
                    } else if bin == w {
                        **x >= w
                    } else {
                        **x == bin
                    }
                })
                .count() as f64;
            chi += (observed - n * p).powi(2) / (n * p);
        }
        chi
    }

    #[test]
    fn bernoulli_exp_has_the_exact_mean() {
        let mut rng = StdRng::seed_from_u64(7);
        for (num, den) in [(1u128, 2u128), (1, 1), (5, 2)] {
            let n = 200_000;
            let hits = (0..n).filter(|_| bernoulli_exp(&mut rng, num, den)).count() as f64;
            let p = (-(num as f64) / den as f64).exp();
            let sd = (p * (1.0 - p) / n as f64).sqrt();
            assert!((hits / n as f64 - p).abs() < 5.0 * sd, "{num}/{den}");
        }
    }

    #[test]
    fn discrete_laplace_passes_a_chi_square_test_against_its_pmf() {
        let mut rng = StdRng::seed_from_u64(2020);
        // Scale 3/2.
        let samples: Vec<i64> = (0..100_000)
            .map(|_| discrete_laplace(&mut rng, 2, 3))
            .collect();
        let chi = chi_square(&samples, 8, |x| (-(x.abs() as f64) * 2.0 / 3.0).exp());
        // 17 bins, 16 degrees of freedom: the 0.1 % critical value is 39.25.
        assert!(chi < 39.25, "χ² = {chi}");
    }

    #[test]
    fn discrete_gaussian_passes_a_chi_square_test_against_its_pmf() {
        let mut rng = StdRng::seed_from_u64(2012);
        // σ² = 9/2.
        let samples: Vec<i64> = (0..100_000)
            .map(|_| discrete_gaussian(&mut rng, 9, 2))
            .collect();
        let chi = chi_square(&samples, 7, |x| (-((x * x) as f64) / 9.0).exp());
        // 15 bins, 14 degrees of freedom: the 0.1 % critical value is 36.12.
        assert!(chi < 36.12, "χ² = {chi}");
    }

    #[test]
    fn a_wrong_distribution_fails_the_same_test() {
        let mut rng = StdRng::seed_from_u64(1);
        // Scale 2 checked against scale 3/2 must be rejected, or the test tests nothing.
        let samples: Vec<i64> = (0..100_000)
            .map(|_| discrete_laplace(&mut rng, 1, 2))
            .collect();
        let chi = chi_square(&samples, 8, |x| (-(x.abs() as f64) * 2.0 / 3.0).exp());
        assert!(chi > 39.25, "χ² = {chi}");
    }

    #[test]
    fn uniform_below_covers_its_range_only() {
        let mut rng = StdRng::seed_from_u64(3);
        let mut seen = [0u32; 7];
        for _ in 0..7000 {
            seen[uniform_below(&mut rng, 7) as usize] += 1;
        }
        assert!(seen.iter().all(|n| (800..1200).contains(n)), "{seen:?}");
        assert_eq!(isqrt(99), 9);
        assert_eq!(isqrt(100), 10);
    }
}
