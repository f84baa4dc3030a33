//! Dice similarity of one CLK against many, on packed words with the CPU's
//! popcount instruction.
//!
//! The arithmetic is anonlink's (`dice.cpp`) on purpose, so that the same pairs
//! come out even at the threshold's edge: the similarity is
//! `2·|a∧b| / (|a|+|b|)` in f64, kept when `>= threshold`, and a pair is only
//! scored when its popcounts differ by at most anonlink's truncated bound
//! `2·|a|·(1/threshold − 1)`.

use std::ops::Range;

use crate::clk::Clk;
use crate::error::{Error, Result};

/// The CLKs of one dataset, packed contiguously with their popcounts.
pub struct ClkSet {
    words_per_clk: usize,
    words: Vec<u64>,
    popcounts: Vec<u32>,
}

impl ClkSet {
    /// Packs CLKs, which must all have the same length.
    pub fn new(clks: &[Clk]) -> Result<ClkSet> {
        let words_per_clk = clks.first().map_or(0, |c| c.words().len());
        let bits = clks.first().map_or(0, Clk::bits);
        if let Some(bad) = clks.iter().position(|c| c.bits() != bits) {
            return Err(Error::Clk(format!(
                "CLK {bad} has {} bits, the first has {bits}",
                clks[bad].bits()
            )));
        }
        Ok(ClkSet {
            words_per_clk,
            words: clks
                .iter()
                .flat_map(|c| c.words().iter().copied())
                .collect(),
            popcounts: clks.iter().map(Clk::popcount).collect(),
        })
    }

    pub fn len(&self) -> usize {
        self.popcounts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.popcounts.is_empty()
    }

    pub(crate) fn words_per_clk(&self) -> usize {
        self.words_per_clk
    }

    fn clk(&self, i: usize) -> &[u64] {
        &self.words[i * self.words_per_clk..(i + 1) * self.words_per_clk]
    }
}

/// A threshold in (0, 1], with the least intersection that reaches it for
/// each popcount sum: the hot loop compares integers and divides only for the
/// pairs it keeps, yet decides exactly as anonlink's `score >= threshold`.
pub(crate) struct Threshold {
    value: f64,
    min_and: Vec<u32>,
}

impl Threshold {
    /// For CLKs of `words_per_clk` words.
    pub(crate) fn new(value: f64, words_per_clk: usize) -> Threshold {
        let max_sum = 2 * 64 * words_per_clk as u32;
        let min_and = (0..=max_sum)
            .map(|sum| {
                let reaches = |and: u32| f64::from(2 * and) / f64::from(sum) >= value;
                // Start just below the real-valued bound and step up: rounding
                // moves the answer by at most one.
                let mut and = ((value * f64::from(sum) / 2.0) as u32).saturating_sub(2);
                while and <= sum / 2 && !reaches(and) {
                    and += 1;
                }
                if and <= sum / 2 { and } else { u32::MAX }
            })
            .collect();
        Threshold { value, min_and }
    }

    /// anonlink's popcount prefilter, truncation included: pairs whose
    /// popcounts differ by more are not scored.
    fn max_delta(&self, pa: u32) -> u32 {
        (f64::from(2 * pa) * (1.0 / self.value - 1.0)) as u32
    }
}

/// Scores record `i` of `a` against the records `js` of `b`, calling
/// `emit(similarity, j)` for those at or above the threshold.
pub(crate) fn scan(
    a: &ClkSet,
    i: usize,
    b: &ClkSet,
    js: impl Iterator<Item = u32>,
    threshold: &Threshold,
    emit: impl FnMut(f64, u32),
) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::is_x86_feature_detected as has;
        if a.words_per_clk == 16 && has!("avx512f") && has!("avx512vpopcntdq") {
            // SAFETY: the CPU has just been found to support these features.
            return unsafe { scan_avx512(a, i, b, js, threshold, emit) };
        }
        if has!("popcnt") {
            // SAFETY: as above.
            return unsafe { scan_popcnt(a, i, b, js, threshold, emit) };
        }
    }
    scan_impl(a, i, b, js, threshold, emit, and_count);
}

// The whole loop is compiled with the feature, not just the popcount, so that
// nothing stands between the popcount and inlining.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "popcnt")]
fn scan_popcnt(
    a: &ClkSet,
    i: usize,
    b: &ClkSet,
    js: impl Iterator<Item = u32>,
    threshold: &Threshold,
    emit: impl FnMut(f64, u32),
) {
    scan_impl(a, i, b, js, threshold, emit, and_count);
}

/// 1024-bit CLKs as two 512-bit vectors, counted by VPOPCNTQ. A loop of its
/// own so that the row of `a` stays in registers.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512vpopcntdq,popcnt,sse2")]
fn scan_avx512(
    a: &ClkSet,
    i: usize,
    b: &ClkSet,
    js: impl Iterator<Item = u32>,
    threshold: &Threshold,
    mut emit: impl FnMut(f64, u32),
) {
    let pa = a.popcounts[i];
    if pa == 0 {
        return;
    }
    let max_delta = threshold.max_delta(pa);
    let (rows, _) = b.words.as_chunks::<16>();
    let (x0, x1) = load(&a.words.as_chunks::<16>().0[i]);
    for j in js {
        let pb = b.popcounts[j as usize];
        if pa.abs_diff(pb) > max_delta {
            continue;
        }
        let y = load(&rows[j as usize]);
        let and = and_count_512((x0, x1), y);
        if and >= threshold.min_and[(pa + pb) as usize] {
            emit(f64::from(2 * and) / f64::from(pa + pb), j);
        }
    }
}

/// Two rows of `a` against the range `cols` of `b`, `emit(row, similarity, j)`:
/// on AVX-512 each CLK of `b` is loaded once for both rows.
pub(crate) fn scan_pair(
    a: &ClkSet,
    rows: [usize; 2],
    b: &ClkSet,
    cols: Range<u32>,
    threshold: &Threshold,
    mut emit: impl FnMut(usize, f64, u32),
) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::is_x86_feature_detected as has;
        let nonempty = rows.iter().all(|&i| a.popcounts[i] > 0);
        if nonempty && a.words_per_clk == 16 && has!("avx512f") && has!("avx512vpopcntdq") {
            // SAFETY: the CPU has just been found to support these features.
            return unsafe { scan_pair_avx512(a, rows, b, cols, threshold, emit) };
        }
    }
    for (k, &i) in rows.iter().enumerate() {
        scan(a, i, b, cols.clone(), threshold, |s, j| emit(k, s, j));
    }
}

/// [`scan_pair`] for 1024-bit CLKs; both rows must have bits set.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512vpopcntdq,popcnt,sse2")]
fn scan_pair_avx512(
    a: &ClkSet,
    [r0, r1]: [usize; 2],
    b: &ClkSet,
    cols: Range<u32>,
    threshold: &Threshold,
    mut emit: impl FnMut(usize, f64, u32),
) {
    let (p0, p1) = (a.popcounts[r0], a.popcounts[r1]);
    let (d0, d1) = (threshold.max_delta(p0), threshold.max_delta(p1));
    let (a_rows, _) = a.words.as_chunks::<16>();
    let (x, z) = (load(&a_rows[r0]), load(&a_rows[r1]));
    let (b_rows, _) = b.words.as_chunks::<16>();
    let range = cols.start as usize..cols.end as usize;
    let b_rows = b_rows[range.clone()].iter().zip(&b.popcounts[range]);
    for (j, (words, &pb)) in (cols.start..).zip(b_rows) {
        let (near0, near1) = (p0.abs_diff(pb) <= d0, p1.abs_diff(pb) <= d1);
        if !near0 && !near1 {
            continue;
        }
        let y = load(words);
        let (and0, and1) = (and_count_512(x, y), and_count_512(z, y));
        if near0 && and0 >= threshold.min_and[(p0 + pb) as usize] {
            emit(0, f64::from(2 * and0) / f64::from(p0 + pb), j);
        }
        if near1 && and1 >= threshold.min_and[(p1 + pb) as usize] {
            emit(1, f64::from(2 * and1) / f64::from(p1 + pb), j);
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
#[inline]
fn load(words: &[u64; 16]) -> (std::arch::x86_64::__m512i, std::arch::x86_64::__m512i) {
    use std::arch::x86_64::*;
    // SAFETY: 16 u64 are exactly two unaligned 512-bit loads.
    unsafe {
        let p = words.as_ptr().cast::<__m512i>();
        (_mm512_loadu_si512(p), _mm512_loadu_si512(p.add(1)))
    }
}

/// |x ∧ y| for 1024-bit CLKs held as two 512-bit vectors each.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512vpopcntdq,sse2")]
#[inline]
fn and_count_512(
    (x0, x1): (std::arch::x86_64::__m512i, std::arch::x86_64::__m512i),
    (y0, y1): (std::arch::x86_64::__m512i, std::arch::x86_64::__m512i),
) -> u32 {
    use std::arch::x86_64::*;
    let counts = _mm512_add_epi64(
        _mm512_popcnt_epi64(_mm512_and_si512(x0, y0)),
        _mm512_popcnt_epi64(_mm512_and_si512(x1, y1)),
    );
    // Each lane holds at most 128: narrow the eight lanes to bytes and sum
    // them with one SAD, cheaper than a full horizontal reduction.
    let bytes = _mm512_cvtepi64_epi8(counts);
    _mm_cvtsi128_si64(_mm_sad_epu8(bytes, _mm_setzero_si128())) as u32
}

#[inline(always)]
fn scan_impl(
    a: &ClkSet,
    i: usize,
    b: &ClkSet,
    js: impl Iterator<Item = u32>,
    threshold: &Threshold,
    mut emit: impl FnMut(f64, u32),
    and_count: impl Fn(&[u64], &[u64]) -> u32,
) {
    let pa = a.popcounts[i];
    if pa == 0 {
        return;
    }
    let max_delta = threshold.max_delta(pa);
    let row = a.clk(i);
    for j in js {
        let pb = b.popcounts[j as usize];
        if pa.abs_diff(pb) > max_delta {
            continue;
        }
        let and = and_count(row, b.clk(j as usize));
        if and >= threshold.min_and[(pa + pb) as usize] {
            emit(f64::from(2 * and) / f64::from(pa + pb), j);
        }
    }
}

/// |x ∧ y|. The 1024-bit case, by far the most common, is unrolled at compile
/// time; four accumulators keep the popcounts independent.
#[inline(always)]
fn and_count(x: &[u64], y: &[u64]) -> u32 {
    if let (Ok(x), Ok(y)) = (<&[u64; 16]>::try_from(x), <&[u64; 16]>::try_from(y)) {
        return and_count_fixed(x, y);
    }
    x.iter().zip(y).map(|(a, b)| (a & b).count_ones()).sum()
}

#[inline(always)]
fn and_count_fixed<const W: usize>(x: &[u64; W], y: &[u64; W]) -> u32 {
    let mut acc = [0u32; 4];
    for k in 0..W {
        acc[k % 4] += (x[k] & y[k]).count_ones();
    }
    acc.iter().sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The CPU-specific kernels agree with the portable one (the fixture tests
    /// only exercise whichever kernel the test machine picks).
    #[test]
    fn kernels_agree() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for words in [16, 8, 3] {
            let clks: Vec<Clk> = (0..60)
                .map(|_| {
                    let bytes: Vec<u8> = (0..words * 8).map(|_| (next() & next()) as u8).collect();
                    Clk::from_bytes(&bytes)
                })
                .collect();
            let set = ClkSet::new(&clks).unwrap();
            let threshold = Threshold::new(0.3, words);
            for i in 0..set.len() {
                let (mut fast, mut portable) = (Vec::new(), Vec::new());
                let js = 0..set.len() as u32;
                scan(&set, i, &set, js.clone(), &threshold, |s, j| {
                    fast.push((s, j))
                });
                let push = |s, j| portable.push((s, j));
                scan_impl(&set, i, &set, js.clone(), &threshold, push, and_count);
                assert_eq!(fast, portable);
                #[cfg(target_arch = "x86_64")]
                if std::arch::is_x86_feature_detected!("popcnt") {
                    let mut popcnt = Vec::new();
                    // SAFETY: the feature was just detected.
                    unsafe {
                        scan_popcnt(&set, i, &set, js, &threshold, |s, j| popcnt.push((s, j)))
                    };
                    assert_eq!(fast, popcnt);
                }
                let mut pair = [Vec::new(), Vec::new()];
                let other = (i + 1) % set.len();
                let cols = 0..set.len() as u32;
                scan_pair(&set, [i, other], &set, cols, &threshold, |k, s, j| {
                    pair[k].push((s, j))
                });
                assert_eq!(pair[0], fast);
                let exact = clks.iter().map(|c| clks[i].dice(c));
                assert!(exact.filter(|&s| s >= 0.3).count() == fast.len());
            }
        }
    }
}
