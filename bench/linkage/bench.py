"""Zakrila linkage vs clkhash 0.18.3 / anonlink 0.15.3, side by side in one run.

Run through run.sh, which builds the Rust side and sets THREADS. Writes
bench/out/linkage/results.json and prints a Markdown table.
"""

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import anonlink.candidate_generation
import anonlink.similarities
import anonlink.solving
from clkhash import clk, schema as clk_schema
from clkhash.serialization import deserialize_bitarray, serialize_bitarray

sys.path.insert(0, str(Path(__file__).parent))
import corpus  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench/out/linkage"
BIN = os.environ["LINKAGE_BENCH_BIN"]
THREADS = int(os.environ.get("THREADS", "1"))
SCHEMA = ROOT / "crates/linkage/schemas/zakrila-person-v1.json"
SECRET = "benchmark secret"
N = int(os.environ.get("N_LARGE", "50000"))
PAIR = np.dtype([("a", "<u4"), ("b", "<u4"), ("s", "<f8")])


def rust(*args, threads=THREADS):
    env = dict(os.environ, RAYON_NUM_THREADS=str(threads))
    out = subprocess.run([BIN, *map(str, args)], env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def datasets(rng):
    """A: N persons; B: half of them again with errors, half new, shuffled."""
    people = [corpus.person(rng, i) for i in range(N + N // 2)]
    a = [corpus.zakrila_record(p) for p in people[:N]]
    b = [corpus.zakrila_record(corpus.corrupt(p, rng)) for p in people[N // 2:]]
    rng.shuffle(b)
    return a, b


def bench_encoding(records, results):
    n = min(len(records), 20000)
    sample = records[:n]
    sch = clk_schema.from_json_dict(json.loads(SCHEMA.read_text()))
    # Best of three on both sides: the machine is shared.
    clkhash_s = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        ref = [serialize_bitarray(b) for b in clk.generate_clks(sample, sch, SECRET, max_workers=THREADS)]
        clkhash_s = min(clkhash_s, time.perf_counter() - t)
    (OUT / "enc_sample.json").write_text(json.dumps(sample))
    ours = max((rust("encode", SCHEMA, OUT / "enc_sample.json", SECRET, OUT / "enc_sample.txt")
                for _ in range(3)), key=lambda r: r["records_per_s"])
    identical = (OUT / "enc_sample.txt").read_text().split() == ref
    results["encoding"] = {"records": n, "clkhash_records_per_s": n / clkhash_s,
                           "zakrila_records_per_s": ours["records_per_s"],
                           "speedup": ours["records_per_s"] * clkhash_s / n,
                           "identical": identical}


def load_bits(path, n):
    return [deserialize_bitarray(line) for line in path.read_text().split()[:n]]


def bench_matching(n, threshold, results, greedy):
    a_txt, b_txt = OUT / f"a_{n}.txt", OUT / f"b_{n}.txt"
    bits = [load_bits(OUT / "a_all.txt", n), load_bits(OUT / "b_all.txt", n)]
    t = time.perf_counter()
    sims, dsets, (r0, r1) = anonlink.candidate_generation.find_candidate_pairs(
        bits, anonlink.similarities.dice_coefficient_accelerated, threshold)
    anon_s = time.perf_counter() - t
    row = {"n": n, "threshold": threshold, "anonlink_s": anon_s, "pairs": len(sims),
           "anonlink_cmp_per_s": n * n / anon_s}
    if greedy:
        t = time.perf_counter()
        anonlink.solving.greedy_solve((sims, dsets, (r0, r1)))
        row["anonlink_greedy_s"] = time.perf_counter() - t
    ref = np.empty(len(sims), PAIR)
    ref["a"], ref["b"], ref["s"] = r0, r1, sims
    del sims, dsets, r0, r1, bits
    for threads in sorted({1, THREADS}):
        pairs_bin = OUT / "pairs.bin"
        ours = rust("match", a_txt, b_txt, threshold, pairs_bin, threads=threads)
        got = np.fromfile(pairs_bin, PAIR)
        row[f"zakrila_s_t{threads}"] = ours["seconds"]
        row[f"zakrila_cmp_per_s_t{threads}"] = ours["comparisons_per_s"]
        row[f"zakrila_greedy_s_t{threads}"] = ours["solve_seconds"]
        row[f"identical_t{threads}"] = bool(len(got) == len(ref) and (got == ref).all())
        pairs_bin.unlink()
    row["speedup_t1"] = anon_s / row["zakrila_s_t1"]
    results["matching"].append(row)
    print(json.dumps(row), flush=True)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    results = {"threads": THREADS, "cpu": cpu_name(), "matching": [], "streaming": []}
    a, b = datasets(random.Random(2025))
    bench_encoding(a, results)
    print(json.dumps(results["encoding"]), flush=True)
    for side, recs in (("a", a), ("b", b)):
        (OUT / f"{side}_all.json").write_text(json.dumps(recs))
        rust("encode", SCHEMA, OUT / f"{side}_all.json", SECRET, OUT / f"{side}_all.txt")
        lines = (OUT / f"{side}_all.txt").read_text().split()
        for n in (10000, N):
            (OUT / f"{side}_{n}.txt").write_text("\n".join(lines[:n]) + "\n")
    bench_matching(10000, 0.7, results, greedy=True)
    bench_matching(10000, 0.5, results, greedy=True)
    bench_matching(N, 0.7, results, greedy=False)
    for threads in sorted({1, THREADS}):
        row = rust("stream", OUT / f"a_{N}.txt", OUT / f"b_{N}.txt", 0.5, threads=threads)
        row["threads"] = threads
        results["streaming"].append(row)
        print(json.dumps(row), flush=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=1))
    print(table(results))


def cpu_name():
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def table(r):
    e = r["encoding"]
    lines = [f"CPU: {r['cpu']}; threads: {r['threads']}", "",
             "| encoding | clkhash rec/s | Zakrila rec/s | speed-up | identical |",
             "|---|---:|---:|---:|---|",
             f"| {e['records']} records, built-in schema | {e['clkhash_records_per_s']:,.0f} | "
             f"{e['zakrila_records_per_s']:,.0f} | {e['speedup']:.1f}× | {e['identical']} |", "",
             "| matching | pairs | anonlink s (cmp/s) | Zakrila 1 thread s (cmp/s) | "
             f"Zakrila {r['threads']} threads s | speed-up (1 thread) | same pairs |",
             "|---|---:|---:|---:|---:|---:|---|"]
    t = r["threads"]
    for m in r["matching"]:
        lines.append(
            f"| {m['n']:,} × {m['n']:,} at {m['threshold']} | {m['pairs']:,} | "
            f"{m['anonlink_s']:.2f} ({m['anonlink_cmp_per_s'] / 1e6:.0f} M) | "
            f"{m['zakrila_s_t1']:.2f} ({m['zakrila_cmp_per_s_t1'] / 1e6:.0f} M) | "
            f"{m[f'zakrila_s_t{t}']:.2f} | {m['speedup_t1']:.1f}× | "
            f"{all(m[k] for k in m if k.startswith('identical'))} |")
    lines += ["", "| greedy solving | anonlink s | Zakrila s | speed-up |", "|---|---:|---:|---:|"]
    for m in r["matching"]:
        if "anonlink_greedy_s" in m:
            lines.append(f"| {m['pairs']:,} candidates ({m['n']:,}², {m['threshold']}) | "
                         f"{m['anonlink_greedy_s']:.2f} | {m['zakrila_greedy_s_t1']:.3f} | "
                         f"{m['anonlink_greedy_s'] / m['zakrila_greedy_s_t1']:.0f}× |")
    lines += ["", "| streaming (Zakrila only) | threads | pairs | s | cmp/s | peak RSS |",
              "|---|---:|---:|---:|---:|---:|"]
    for s in r["streaming"]:
        lines.append(f"| {s['n_a']:,} × {s['n_b']:,} at 0.5 | {s['threads']} | {s['pairs']:,} | "
                     f"{s['seconds']:.1f} | {s['comparisons_per_s'] / 1e6:.0f} M | "
                     f"{s['peak_rss_mib']:.0f} MiB |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
