//! The Rust side of `bench/linkage/run.sh`: one subcommand per measurement,
//! each printing one JSON line that the Python driver collects. Threads come
//! from RAYON_NUM_THREADS, so both sides run on the same number.
//!
//!   linkage_bench encode SCHEMA RECORDS.json SECRET OUT.txt
//!   linkage_bench match A.txt B.txt THRESHOLD [PAIRS.bin]
//!   linkage_bench stream A.txt B.txt THRESHOLD
//!
//! RECORDS.json is a JSON array of string arrays; CLK files hold one base64 CLK
//! per line; PAIRS.bin receives (a u32, b u32, similarity f64) little-endian.

use std::io::{BufWriter, Write};
use std::time::Instant;

use zakrila_linkage::{
    Candidate, Clk, ClkSet, Encoder, Schema, Secret, find_candidates, greedy_solve,
    stream_candidates,
};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| -> Res<&str> {
        args.get(i)
            .map(String::as_str)
            .ok_or_else(|| format!("missing argument {i}; see the module doc").into())
    };
    match arg(0)? {
        "encode" => encode(arg(1)?, arg(2)?, arg(3)?, arg(4)?),
        "match" => run_match(arg(1)?, arg(2)?, arg(3)?.parse()?, args.get(4)),
        "stream" => stream(arg(1)?, arg(2)?, arg(3)?.parse()?),
        other => Err(format!("unknown command {other}").into()),
    }
}

fn encode(schema: &str, records: &str, secret: &str, out: &str) -> Res<()> {
    let schema = Schema::from_json(&std::fs::read_to_string(schema)?)?;
    let records: Vec<Vec<String>> = serde_json::from_str(&std::fs::read_to_string(records)?)?;
    let secret = Secret::from(secret);
    let start = Instant::now();
    let encoder = Encoder::new(&schema, &secret);
    let clks = encoder.encode_all(&records)?;
    let secs = start.elapsed().as_secs_f64();
    let mut w = BufWriter::new(std::fs::File::create(out)?);
    for clk in &clks {
        writeln!(w, "{}", clk.to_base64())?;
    }
    w.flush()?;
    println!(
        r#"{{"op":"encode","records":{},"seconds":{secs},"records_per_s":{}}}"#,
        clks.len(),
        clks.len() as f64 / secs
    );
    Ok(())
}

fn load(path: &str) -> Res<ClkSet> {
    let clks = std::fs::read_to_string(path)?
        .lines()
        .map(Clk::from_base64)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ClkSet::new(&clks)?)
}

fn run_match(a: &str, b: &str, threshold: f64, pairs_out: Option<&String>) -> Res<()> {
    let (a, b) = (load(a)?, load(b)?);
    let start = Instant::now();
    let candidates = find_candidates(&a, &b, threshold)?;
    let secs = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let matches = greedy_solve(&candidates);
    let solve_secs = start.elapsed().as_secs_f64();
    if let Some(path) = pairs_out {
        write_pairs(path, &candidates)?;
    }
    let comparisons = a.len() as f64 * b.len() as f64;
    println!(
        r#"{{"op":"match","threshold":{threshold},"n_a":{},"n_b":{},"pairs":{},"seconds":{secs},"comparisons_per_s":{},"solve_seconds":{solve_secs},"matches":{},"peak_rss_mib":{}}}"#,
        a.len(),
        b.len(),
        candidates.len(),
        comparisons / secs,
        matches.len(),
        peak_rss_mib()
    );
    Ok(())
}

fn stream(a: &str, b: &str, threshold: f64) -> Res<()> {
    let (a, b) = (load(a)?, load(b)?);
    let start = Instant::now();
    // A checksum keeps the pairs from being optimised away without storing them.
    let mut checksum = 0u64;
    let pairs = stream_candidates(&a, &b, threshold, |chunk| {
        for c in chunk {
            checksum = checksum.wrapping_add(u64::from(c.a) << 32 | u64::from(c.b));
        }
        Ok::<(), std::io::Error>(())
    })?;
    let secs = start.elapsed().as_secs_f64();
    println!(
        r#"{{"op":"stream","threshold":{threshold},"n_a":{},"n_b":{},"pairs":{pairs},"checksum":{checksum},"seconds":{secs},"comparisons_per_s":{},"peak_rss_mib":{}}}"#,
        a.len(),
        b.len(),
        a.len() as f64 * b.len() as f64 / secs,
        peak_rss_mib()
    );
    Ok(())
}

fn write_pairs(path: &str, candidates: &[Candidate]) -> Res<()> {
    let mut w = BufWriter::new(std::fs::File::create(path)?);
    for c in candidates {
        w.write_all(&c.a.to_le_bytes())?;
        w.write_all(&c.b.to_le_bytes())?;
        w.write_all(&c.similarity.to_le_bytes())?;
    }
    w.flush()?;
    Ok(())
}

/// Peak resident set size of this process, from /proc (Linux only; 0 elsewhere).
fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
            line.split_whitespace().nth(1)?.parse::<f64>().ok()
        })
        .map_or(0.0, |kib| kib / 1024.0)
}
