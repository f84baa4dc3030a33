//! Greedy one-to-one matching: anonlink's `greedy_solve` for two datasets.
//!
//! anonlink walks the candidates in order (similarity descending) and merges
//! the records' groups when every pair across them is a candidate. Between two
//! deduplicated datasets no group can grow past a pair, so this reduces to:
//! take a candidate when neither of its records is taken yet.

use crate::candidates::Candidate;

/// The chosen candidates, in the order they were chosen: each record appears
/// at most once. `candidates` must be in [`crate::find_candidates`]' order for
/// the result to be anonlink's.
pub fn greedy_solve(candidates: &[Candidate]) -> Vec<Candidate> {
    let size =
        |f: fn(&Candidate) -> u32| candidates.iter().map(f).max().map_or(0, |m| m as usize + 1);
    let mut taken_a = vec![false; size(|c| c.a)];
    let mut taken_b = vec![false; size(|c| c.b)];
    let mut pairs = Vec::new();
    for c in candidates {
        let (a, b) = (c.a as usize, c.b as usize);
        if !taken_a[a] && !taken_b[b] {
            taken_a[a] = true;
            taken_b[b] = true;
            pairs.push(*c);
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_best_free_pairs() {
        let c = |similarity, a, b| Candidate { similarity, a, b };
        let pairs = greedy_solve(&[c(0.9, 0, 1), c(0.8, 0, 0), c(0.8, 1, 1), c(0.7, 1, 0)]);
        assert_eq!(pairs, [c(0.9, 0, 1), c(0.7, 1, 0)]);
        assert!(greedy_solve(&[]).is_empty());
    }
}
