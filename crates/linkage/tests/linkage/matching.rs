use zakrila_linkage::{
    Candidate, Clk, ClkSet, find_candidates, find_candidates_blocked, greedy_solve,
    stream_candidates,
};

use crate::encoding::fixture;

const THRESHOLD: f64 = 0.6;

fn clks(name: &str) -> ClkSet {
    let clks: Vec<Clk> = fixture(name)
        .lines()
        .map(|l| Clk::from_base64(l).unwrap())
        .collect();
    ClkSet::new(&clks).unwrap()
}

fn expected(name: &str) -> Vec<Candidate> {
    fixture(name)
        .lines()
        .map(|l| {
            let mut f = l.split(' ');
            let mut next = || f.next().unwrap();
            Candidate {
                similarity: next().parse().unwrap(),
                a: next().parse().unwrap(),
                b: next().parse().unwrap(),
            }
        })
        .collect()
}

fn assert_same(got: &[Candidate], want: &[Candidate]) {
    assert_eq!(got.len(), want.len());
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        // Bit-exact similarities, not approximately equal ones.
        assert_eq!(
            (g.similarity.to_bits(), g.a, g.b),
            (w.similarity.to_bits(), w.a, w.b),
            "pair {i}"
        );
    }
}

#[test]
fn same_candidates_as_anonlink() {
    let got = find_candidates(&clks("match_a.txt"), &clks("match_b.txt"), THRESHOLD).unwrap();
    assert_same(&got, &expected("match_candidates_all.txt"));
}

#[test]
fn same_blocked_candidates_as_anonlink() {
    // The fixture's blocking function: a year bucket, and the sex when known.
    let keys = |name: &str| -> Vec<Vec<u64>> {
        fixture(name)
            .lines()
            .map(|l| {
                let (year, sex) = l.split_once(' ').unwrap();
                let mut keys = vec![year.parse::<u64>().unwrap()];
                if sex != "-" {
                    keys.push(1000 + u64::from(sex.as_bytes()[0]));
                }
                keys
            })
            .collect()
    };
    let (a, b) = (clks("match_a.txt"), clks("match_b.txt"));
    let got = find_candidates_blocked(
        &a,
        &keys("match_blocks_a.txt"),
        &b,
        &keys("match_blocks_b.txt"),
        THRESHOLD,
    )
    .unwrap();
    assert_same(&got, &expected("match_candidates_blocked.txt"));
}

#[test]
fn streamed_candidates_are_the_same_set() {
    let mut streamed = Vec::new();
    let count = stream_candidates(&clks("match_a.txt"), &clks("match_b.txt"), THRESHOLD, |c| {
        streamed.extend_from_slice(c);
        Ok::<(), std::io::Error>(())
    })
    .unwrap();
    assert_eq!(count as usize, streamed.len());
    let mut want = expected("match_candidates_all.txt");
    want.sort_by_key(|c| (c.a, c.b));
    assert_same(&streamed, &want);
}

#[test]
fn same_greedy_solution_as_anonlink() {
    let candidates = expected("match_candidates_all.txt");
    let mut got: Vec<(u32, u32)> = greedy_solve(&candidates)
        .iter()
        .map(|c| (c.a, c.b))
        .collect();
    got.sort_unstable();
    let want: Vec<(u32, u32)> = fixture("match_greedy.txt")
        .lines()
        .map(|l| {
            let (a, b) = l.split_once(' ').unwrap();
            (a.parse().unwrap(), b.parse().unwrap())
        })
        .collect();
    assert_eq!(got, want);
}

#[test]
fn bad_requests_are_refused() {
    let a = clks("match_a.txt");
    assert!(find_candidates(&a, &a, 0.0).is_err());
    assert!(find_candidates(&a, &a, 1.5).is_err());
    let short = ClkSet::new(&[Clk::from_bytes(&[0xff; 64])]).unwrap();
    assert!(find_candidates(&a, &short, 0.5).is_err());
    assert!(ClkSet::new(&[Clk::from_bytes(&[1; 64]), Clk::from_bytes(&[1; 128])]).is_err());
}
