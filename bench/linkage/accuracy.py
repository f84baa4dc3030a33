"""Accuracy of the built-in schema on a corpus with realistic errors, against a
Fellegi–Sunter baseline (recordlinkage's ECM classifier) on the plaintext.

Both sides see the same normalised, transliterated records (`zakrila_record`):
the baseline would be hopeless on raw Cyrillic against Latin, and the point is
what the encoding costs, not what normalisation brings. Run through run.sh.
"""

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import recordlinkage

sys.path.insert(0, str(Path(__file__).parent))
import corpus  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench/out/linkage"
BIN = os.environ["LINKAGE_BENCH_BIN"]
SCHEMA = ROOT / "crates/linkage/schemas/zakrila-person-v1.json"
COLUMNS = ["given_name", "family_name", "names_sorted", "birth_date", "sex", "birth_year",
           "citizenship"]
PAIR = np.dtype([("a", "<u4"), ("b", "<u4"), ("s", "<f8")])
N, OVERLAP = 1500, 750


def make_corpus(rng):
    people = [corpus.person(rng, i) for i in range(2 * N - OVERLAP)]
    a = [corpus.corrupt(p, rng) for p in people[:N]]
    b = [corpus.corrupt(p, rng) for p in people[N - OVERLAP:]]
    rng.shuffle(b)
    truth = {(i, j) for i, p in enumerate(a) for j, q in enumerate(b) if p["id"] == q["id"]}
    return a, b, truth


def scores(predicted, truth):
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(truth)
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "predicted": len(predicted)}


def greedy(ordered_pairs):
    taken_a, taken_b, out = set(), set(), set()
    for i, j in ordered_pairs:
        if i not in taken_a and j not in taken_b:
            taken_a.add(i)
            taken_b.add(j)
            out.add((i, j))
    return out


def zakrila(a, b, truth):
    for side, ds in (("a", a), ("b", b)):
        (OUT / f"acc_{side}.json").write_text(json.dumps([corpus.zakrila_record(p) for p in ds]))
        subprocess.run([BIN, "encode", SCHEMA, OUT / f"acc_{side}.json", "accuracy secret",
                        OUT / f"acc_{side}.txt"], check=True, capture_output=True)
    subprocess.run([BIN, "match", OUT / "acc_a.txt", OUT / "acc_b.txt", "0.5",
                    OUT / "acc_pairs.bin"], check=True, capture_output=True)
    pairs = np.fromfile(OUT / "acc_pairs.bin", PAIR)
    rows = []
    for t in (0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9):
        kept = pairs[pairs["s"] >= t]
        ordered = list(zip(kept["a"].tolist(), kept["b"].tolist()))
        rows.append({"method": "Zakrila CLK + Dice", "threshold": t,
                     "all pairs": scores(set(ordered), truth),
                     "greedy 1:1": scores(greedy(ordered), truth)})
    return rows


def fellegi_sunter(a, b, truth):
    frames = [pd.DataFrame([corpus.zakrila_record(p) for p in ds], columns=COLUMNS).replace("", np.nan)
              for ds in (a, b)]
    pairs = recordlinkage.Index().full().index(*frames)
    cmp = recordlinkage.Compare()
    for name in ("given_name", "family_name", "names_sorted"):
        cmp.string(name, name, method="jarowinkler", threshold=0.85, label=name)
    for name in ("birth_date", "sex", "birth_year", "citizenship"):
        cmp.exact(name, name, label=name)
    features = cmp.compute(pairs, *frames)
    ecm = recordlinkage.ECMClassifier()
    matches = ecm.fit_predict(features)
    probs = ecm.prob(features).sort_values(ascending=False, kind="stable")
    ordered = [pair for pair, p in probs.items() if p >= 0.5]
    return [{"method": "Fellegi–Sunter (recordlinkage ECM), plaintext", "threshold": None,
             "all pairs": scores(set(map(tuple, matches.tolist())), truth),
             "greedy 1:1": scores(greedy(ordered), truth)}]


def main():
    a, b, truth = make_corpus(random.Random(42))
    rows = zakrila(a, b, truth) + fellegi_sunter(a, b, truth)
    (OUT / "accuracy.json").write_text(json.dumps({"n_a": N, "n_b": N, "true_pairs": len(truth),
                                                    "rows": rows}, indent=1))
    print(f"\n{N} × {N} records, {len(truth)} true pairs\n")
    print("| method | threshold | precision | recall | F1 | precision 1:1 | recall 1:1 | F1 1:1 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        x, g = r["all pairs"], r["greedy 1:1"]
        print(f"| {r['method']} | {r['threshold'] or '—'} | {x['precision']:.3f} | {x['recall']:.3f} "
              f"| {x['f1']:.3f} | {g['precision']:.3f} | {g['recall']:.3f} | {g['f1']:.3f} |")


if __name__ == "__main__":
    main()
