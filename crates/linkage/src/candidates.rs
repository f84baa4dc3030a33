//! Candidate pairs: every pair of records, one from each dataset, whose Dice
//! similarity reaches a threshold — anonlink's `find_candidate_pairs` with
//! `dice_coefficient_accelerated`, multi-threaded.

use std::cmp::Reverse;
use std::collections::HashMap;

use rayon::prelude::*;

use crate::dice::{ClkSet, Threshold, scan, scan_pair};
use crate::error::{Error, Result};

/// A pair of records, `a` from the first dataset and `b` from the second, by
/// index, with their similarity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    pub similarity: f64,
    pub a: u32,
    pub b: u32,
}

/// Rows of the first dataset handed to one rayon task: enough to amortise the
/// task, few enough to balance two to dozens of threads.
const ROWS_PER_TASK: usize = 64;

/// All pairs with similarity `>= threshold`, in anonlink's order: similarity
/// descending, then `a`, then `b` ascending. `threshold` must be in (0, 1].
pub fn find_candidates(a: &ClkSet, b: &ClkSet, threshold: f64) -> Result<Vec<Candidate>> {
    check(a, b, threshold)?;
    let threshold = &Threshold::new(threshold, a.words_per_clk());
    let n_b = u32::try_from(b.len()).map_err(|_| Error::Matching("too many records".into()))?;
    let pairs: Vec<Candidate> = (0..a.len().div_ceil(ROWS_PER_TASK))
        .into_par_iter()
        .flat_map_iter(|task| scan_rows(a, task, b, n_b, threshold))
        .collect();
    Ok(sort_rows_like_anonlink(pairs))
}

/// Like [`find_candidates`], comparing only records that share a block key
/// (anonlink's `blocking_f`): `a_keys[i]` are the keys of `a`'s record `i`.
/// A pair sharing several blocks is reported once.
pub fn find_candidates_blocked<K: AsRef<[u64]> + Sync>(
    a: &ClkSet,
    a_keys: &[K],
    b: &ClkSet,
    b_keys: &[K],
    threshold: f64,
) -> Result<Vec<Candidate>> {
    check(a, b, threshold)?;
    let threshold = &Threshold::new(threshold, a.words_per_clk());
    if a_keys.len() != a.len() || b_keys.len() != b.len() {
        return Err(Error::Matching("one list of block keys per record".into()));
    }
    let mut blocks: HashMap<u64, (Vec<u32>, Vec<u32>)> = HashMap::new();
    for (i, keys) in a_keys.iter().enumerate() {
        for &k in keys.as_ref() {
            blocks.entry(k).or_default().0.push(i as u32);
        }
    }
    for (j, keys) in b_keys.iter().enumerate() {
        for &k in keys.as_ref() {
            blocks.entry(k).or_default().1.push(j as u32);
        }
    }
    let blocks: Vec<_> = blocks
        .into_values()
        .filter(|(x, y)| !x.is_empty() && !y.is_empty())
        .collect();
    let mut pairs: Vec<Candidate> = blocks
        .par_iter()
        .flat_map_iter(|(rows, cols)| {
            let mut acc = Vec::new();
            for &i in rows {
                push_row(a, i as usize, b, cols.iter().copied(), threshold, &mut acc);
            }
            acc
        })
        .collect();
    sort_like_anonlink(&mut pairs);
    pairs.dedup_by(|x, y| x.a == y.a && x.b == y.b);
    Ok(pairs)
}

/// Streams all pairs with similarity `>= threshold` to `sink`, in bounded
/// memory: rows of `a` are processed a batch at a time on all threads, and each
/// batch is handed over before the next starts. Order: `a`, then `b`
/// ascending — sorting by similarity would need all pairs at once.
/// Returns the number of pairs.
pub fn stream_candidates<E>(
    a: &ClkSet,
    b: &ClkSet,
    threshold: f64,
    mut sink: impl FnMut(&[Candidate]) -> Result<(), E>,
) -> Result<u64>
where
    Error: From<E>,
{
    check(a, b, threshold)?;
    let threshold = &Threshold::new(threshold, a.words_per_clk());
    let n_b = u32::try_from(b.len()).map_err(|_| Error::Matching("too many records".into()))?;
    // A multiple of ROWS_PER_TASK, so that tasks never straddle batches.
    let batch = ROWS_PER_TASK * 4 * rayon::current_num_threads();
    let mut total = 0u64;
    for start in (0..a.len()).step_by(batch.max(1)) {
        let end = (start + batch).min(a.len());
        let chunks: Vec<Vec<Candidate>> = (start / ROWS_PER_TASK..end.div_ceil(ROWS_PER_TASK))
            .into_par_iter()
            .map(|task| scan_rows(a, task, b, n_b, threshold))
            .collect();
        for chunk in chunks {
            total += chunk.len() as u64;
            sink(&chunk)?;
        }
    }
    Ok(total)
}

fn check(a: &ClkSet, b: &ClkSet, threshold: f64) -> Result<()> {
    if !(threshold > 0.0 && threshold <= 1.0) {
        return Err(Error::Matching(format!(
            "threshold must be in (0, 1], got {threshold}"
        )));
    }
    if !a.is_empty() && !b.is_empty() && a.words_per_clk() != b.words_per_clk() {
        return Err(Error::Matching(
            "the two datasets' CLKs differ in length".into(),
        ));
    }
    Ok(())
}

/// Bytes of `b` scanned by all rows of a task before moving on: small enough to
/// stay in L2, where a whole dataset would stream from L3 for every row.
const TILE_BYTES: usize = 256 * 1024;

/// The candidates of task `task`'s rows of `a` against all of `b`, in `(a, b)`
/// order, scanning `b` one cache-sized tile at a time.
fn scan_rows(
    a: &ClkSet,
    task: usize,
    b: &ClkSet,
    n_b: u32,
    threshold: &Threshold,
) -> Vec<Candidate> {
    let rows = task * ROWS_PER_TASK..((task + 1) * ROWS_PER_TASK).min(a.len());
    let tile = (TILE_BYTES / (8 * a.words_per_clk().max(1))).max(1) as u32;
    let mut per_row = vec![Vec::new(); rows.len()];
    for start in (0..n_b).step_by(tile as usize) {
        let cols = start..(start + tile).min(n_b);
        for (k, accs) in per_row.chunks_mut(2).enumerate() {
            let i = rows.start + 2 * k;
            if let [acc0, acc1] = accs {
                scan_pair(
                    a,
                    [i, i + 1],
                    b,
                    cols.clone(),
                    threshold,
                    |row, similarity, j| {
                        let acc = if row == 0 { &mut *acc0 } else { &mut *acc1 };
                        acc.push(Candidate {
                            similarity,
                            a: (i + row) as u32,
                            b: j,
                        });
                    },
                );
            } else {
                push_row(a, i, b, cols.clone(), threshold, &mut accs[0]);
            }
        }
    }
    per_row.concat()
}

fn push_row(
    a: &ClkSet,
    i: usize,
    b: &ClkSet,
    js: impl Iterator<Item = u32>,
    threshold: &Threshold,
    acc: &mut Vec<Candidate>,
) {
    scan(a, i, b, js, threshold, |similarity, j| {
        acc.push(Candidate {
            similarity,
            a: i as u32,
            b: j,
        });
    });
}

/// Similarities are non-negative, so their bit patterns sort like the values.
fn sort_like_anonlink(pairs: &mut [Candidate]) {
    pairs.par_sort_unstable_by_key(|c| (Reverse(c.similarity.to_bits()), c.a, c.b));
}

/// Coarse similarity buckets for [`sort_rows_like_anonlink`].
const BUCKETS: usize = 1 << 16;

/// Sorts pairs that are in `(a, b)` order into anonlink's order. A comparison
/// sort of tens of millions of pairs would cost more than finding them, so:
/// a stable counting sort into fine similarity buckets (descending), then a
/// stable sort of each bucket by exact similarity, buckets in parallel. Both
/// steps are stable, so equal similarities stay in `(a, b)` order.
fn sort_rows_like_anonlink(pairs: Vec<Candidate>) -> Vec<Candidate> {
    let bucket =
        |c: &Candidate| (((1.0 - c.similarity) * BUCKETS as f64) as usize).min(BUCKETS - 1);
    let mut starts = vec![0usize; BUCKETS + 1];
    for c in &pairs {
        starts[bucket(c) + 1] += 1;
    }
    for k in 0..BUCKETS {
        starts[k + 1] += starts[k];
    }
    let mut sorted = vec![
        Candidate {
            similarity: 0.0,
            a: 0,
            b: 0
        };
        pairs.len()
    ];
    for c in pairs {
        let slot = &mut starts[bucket(&c)];
        sorted[*slot] = c;
        *slot += 1;
    }
    sorted
        .par_chunk_by_mut(|x, y| bucket(x) == bucket(y))
        .for_each(|chunk| chunk.sort_by_key(|c| Reverse(c.similarity.to_bits())));
    sorted
}
