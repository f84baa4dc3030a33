"""Generate the compatibility fixtures of crates/linkage/tests/ with the reference
implementations, clkhash 0.18.3 and anonlink 0.15.3.

    python -m venv .venv && .venv/bin/pip install clkhash==0.18.3 anonlink==0.15.3
    .venv/bin/python bench/linkage/make_fixtures.py

Writes crates/linkage/tests/fixtures/: for each schema `<name>.schema.json` and
`<name>.clks.json` (secret, records, clkhash's CLKs, and records clkhash
rejects); `persons.json` (raw persons and their normalised records);
`match_*.txt` (CLKs, anonlink's candidate pairs with and without blocking, and
its greedy solution). The Rust tests need no Python.
"""

import base64
import json
import random
import sys
from pathlib import Path

import anonlink
import anonlink.candidate_generation
import anonlink.similarities
import anonlink.solving
from clkhash import clk, schema as clk_schema
from clkhash.serialization import deserialize_bitarray, serialize_bitarray

sys.path.insert(0, str(Path(__file__).parent))
import corpus  # noqa: E402

OUT = Path(__file__).resolve().parents[2] / "crates/linkage/tests/fixtures"
SECRET = "correct horse battery staple"
B64 = lambda s: base64.b64encode(s.encode()).decode()  # noqa: E731


def feature(ident, fmt, comparison, strategy, hash_=None, missing=None):
    hashing = {"comparison": comparison, "strategy": strategy}
    if hash_ is not None:
        hashing["hash"] = hash_
    if missing is not None:
        hashing["missingValue"] = missing
    return {"identifier": ident, "format": fmt, "hashing": hashing}


def schema(l, features, kdf=None, folds=None):
    config = {"l": l, "kdf": kdf or {"type": "HKDF"}}
    if folds is not None:
        config["xor_folds"] = folds
    return {"version": 3, "clkConfig": config, "features": features}


STR = {"type": "string"}
DATE = {"type": "date", "format": "%Y-%m-%d"}
NG2, NG1P = {"type": "ngram", "n": 2}, {"type": "ngram", "n": 1, "positional": True}
EXACT = {"type": "exact"}
DOUBLE, BLAKE = {"type": "doubleHash"}, {"type": "blakeHash"}
EMPTY = {"sentinel": ""}

# Columns of every fixture record: given, family, raw given (not normalised),
# birth date, sex, birth year, citizenship, a free-text note (ignored or hashed).
SCHEMAS = {
    "double_bpt_1024": schema(1024, [
        feature("given", STR, NG2, {"bitsPerToken": 20}, DOUBLE, EMPTY),
        feature("family", STR, NG2, {"bitsPerToken": 20}, DOUBLE, EMPTY),
        feature("raw_given", STR, {"type": "ngram", "n": 3}, {"bitsPerToken": 10}, DOUBLE, EMPTY),
        feature("dob", DATE, NG1P, {"bitsPerToken": 8}, DOUBLE, EMPTY),
        feature("sex", {"type": "enum", "values": ["F", "M"]}, EXACT, {"bitsPerToken": 12},
                DOUBLE, {"sentinel": "", "replaceWith": "?"}),
        feature("year", {"type": "integer", "minimum": 1900}, {"type": "numeric",
                "thresholdDistance": 2, "resolution": 2}, {"bitsPerToken": 5}, DOUBLE, EMPTY),
        feature("citizenship", STR, EXACT, {"bitsPerToken": 15}, DOUBLE, EMPTY),
        {"identifier": "note", "ignored": True},
    ]),
    "blake_bpf_512_sha512": schema(512, [
        feature("given", STR, NG2, {"bitsPerFeature": 90}, BLAKE, EMPTY),
        feature("family", STR, NG2, {"bitsPerFeature": 100}, None, EMPTY),
        feature("raw_given", STR, NG1P, {"bitsPerFeature": 70}, BLAKE, EMPTY),
        feature("dob", {"type": "date", "format": "%Y-%m-%d"}, NG2, {"bitsPerFeature": 64}, BLAKE, EMPTY),
        feature("sex", STR, EXACT, {"bitsPerFeature": 40}, BLAKE, EMPTY),
        feature("year", {"type": "integer"}, {"type": "numeric", "thresholdDistance": 2.5,
                "resolution": 3, "fractional_precision": 1}, {"bitsPerFeature": 33}, BLAKE, EMPTY),
        feature("citizenship", {"type": "string", "encoding": "ascii", "case": "upper",
                "maxLength": 3}, EXACT, {"bitsPerFeature": 20}, BLAKE, EMPTY),
        feature("note", {"type": "string", "encoding": "utf-16"}, NG2, {"bitsPerToken": 3}, BLAKE, EMPTY),
    ], kdf={"type": "HKDF", "hash": "SHA512", "salt": B64("zakrila salt"),
            "info": B64("fixture"), "keySize": 32}),
    "double_nonsingular_fold1_512": schema(512, [
        feature("given", STR, {"type": "ngram", "n": 2, "positional": True}, {"bitsPerToken": 30},
                {"type": "doubleHash", "prevent_singularity": True}, EMPTY),
        feature("family", STR, NG2, {"bitsPerFeature": 300}, DOUBLE, EMPTY),
        feature("raw_given", {"type": "string", "encoding": "utf-32"}, NG2, {"bitsPerToken": 5},
                DOUBLE, EMPTY),
        feature("dob", DATE, NG1P, {"bitsPerToken": 8},
                {"type": "doubleHash", "prevent_singularity": True},
                {"sentinel": "", "replaceWith": "unknown"}),
        feature("sex", STR, EXACT, {"bitsPerToken": 12}, DOUBLE, EMPTY),
        {"identifier": "year", "ignored": True},
        feature("citizenship", STR, {"type": "ngram", "n": 1}, {"bitsPerToken": 7}, DOUBLE, EMPTY),
        feature("note", STR, {"type": "ngram", "n": 4}, {"bitsPerFeature": 50}, DOUBLE, EMPTY),
    ], folds=1),
    "blake_fold2_2048": schema(2048, [
        feature("given", STR, NG2, {"bitsPerToken": 40}, BLAKE, EMPTY),
        feature("family", STR, NG2, {"bitsPerToken": 45}, BLAKE, EMPTY),
        feature("raw_given", STR, NG2, {"bitsPerToken": 33}, BLAKE, EMPTY),
        feature("dob", {"type": "date", "format": "%Y-%m-%d"}, EXACT, {"bitsPerFeature": 100}, BLAKE, EMPTY),
        feature("sex", STR, EXACT, {"bitsPerToken": 64}, BLAKE, EMPTY),
        feature("year", STR, {"type": "numeric", "thresholdDistance": 5, "resolution": 1},
                {"bitsPerToken": 20}, BLAKE, EMPTY),
        feature("citizenship", STR, EXACT, {"bitsPerToken": 20}, BLAKE, EMPTY),
        {"identifier": "note", "ignored": True},
    ], folds=2),
    "double_odd_100_fold1": schema(100, [
        feature("given", STR, NG2, {"bitsPerToken": 4}, DOUBLE, EMPTY),
        feature("family", STR, NG2, {"bitsPerToken": 4}, DOUBLE, EMPTY),
        feature("raw_given", STR, NG2, {"bitsPerToken": 2}, DOUBLE, EMPTY),
        {"identifier": "dob", "ignored": True},
        {"identifier": "sex", "ignored": True},
        feature("year", {"type": "integer"}, EXACT, {"bitsPerToken": 6}, DOUBLE, EMPTY),
        {"identifier": "citizenship", "ignored": True},
        {"identifier": "note", "ignored": True},
    ], folds=1),
}

NOTES = ["", "Хотлайн 0800 20 100", "ref. IOM/2025/17", "Çağrı — Şükrü", "emoji 🙂 ok", "  spaced  "]


def fixture_records(rng):
    records = []
    for i in range(200):
        p = corpus.person(rng, i)
        if rng.random() < 0.4:
            p = corpus.corrupt(p, rng)
        zr = corpus.zakrila_record(p)
        records.append([zr[0], zr[1], p["given_name"], p["birth_date"], p["sex"], zr[5],
                        zr[6], rng.choice(NOTES)])
    return records


def encode(schema_dict, records):
    sch = clk_schema.from_json_dict(json.loads(json.dumps(schema_dict)))
    return [serialize_bitarray(b) for b in clk.generate_clks(records, sch, SECRET, max_workers=1)]


def rejected(schema_dict, candidates):
    """Records that clkhash refuses, each checked alone."""
    out = []
    for rec in candidates:
        try:
            encode(schema_dict, [rec])
        except Exception:  # noqa: BLE001 - any refusal counts
            out.append(rec)
    return out


def write_clk_fixtures(records):
    bad = [["a", "b", "c", "1990-02-30", "F", "1990", "BGR", ""],
           ["a", "b", "c", "1990-02-01", "X", "1990", "BGR", ""],
           ["a", "b", "c", "1990-02-01", "F", "19x0", "BGR", ""],
           ["a", "b", "c", "1990-02-01", "F", "1890", "BGR", ""],
           ["a", "b", "c", "1990-02-01", "F", "1990", "bgr", ""],
           ["a", "b", "c", "1990-02-01", "F", "1990", "BGRX", ""],
           ["a", "b", "c", "1990-02-01", "F", "1990", "БГР", ""],
           ["a", "b", "c", "1990-2-1", "F", "1990", "BGR", ""],
           ["a", "b", "c", "01/02/1990", "F", "1990", "BGR", ""]]
    for name, sch in SCHEMAS.items():
        (OUT / f"{name}.schema.json").write_text(json.dumps(sch, indent=1, ensure_ascii=False))
        payload = {"secret": SECRET, "records": records, "clks": encode(sch, records),
                   "rejected": rejected(sch, bad)}
        (OUT / f"{name}.clks.json").write_text(json.dumps(payload, ensure_ascii=False))
    person_schema = json.loads((OUT.parents[1] / "schemas/zakrila-person-v1.json").read_text())
    rng = random.Random(7)
    persons = [corpus.corrupt(corpus.person(rng, i), rng) for i in range(200)]
    zrecords = [corpus.zakrila_record(p) for p in persons]
    (OUT / "persons.json").write_text(json.dumps(
        {"secret": SECRET, "persons": persons, "records": zrecords,
         "clks": encode(person_schema, zrecords)}, ensure_ascii=False))


def write_match_fixtures():
    """Two overlapping datasets encoded with the built-in schema, their
    candidate pairs at 0.6 with and without blocking, and the greedy solution."""
    person_schema = json.loads((OUT.parents[1] / "schemas/zakrila-person-v1.json").read_text())
    rng = random.Random(11)
    people = [corpus.person(rng, i) for i in range(1500)]
    a = [corpus.corrupt(p, rng) for p in people[:1200]]
    b = [corpus.corrupt(p, rng) for p in people[300:]]
    rng.shuffle(b)
    clks = [encode(person_schema, [corpus.zakrila_record(p) for p in ds]) for ds in (a, b)]
    for side, ds in zip("ab", clks):
        (OUT / f"match_{side}.txt").write_text("\n".join(ds) + "\n")
    bits = [[deserialize_bitarray(c) for c in ds] for ds in clks]
    threshold = 0.6
    blocks = [[(int(p["birth_year"] or 0) % 7, p["sex"]) for p in ds] for ds in (a, b)]
    for side, ds in zip("ab", blocks):
        (OUT / f"match_blocks_{side}.txt").write_text(
            "\n".join(f"{y} {s or '-'}" for y, s in ds) + "\n")

    def blocking_f(dataset_index, record_index, _hash):
        year, sex = blocks[dataset_index][record_index]
        return (f"y{year}", f"s{sex}") if sex else (f"y{year}",)

    for name, kwargs in (("all", {}), ("blocked", {"blocking_f": blocking_f})):
        sims, _, (rec0, rec1) = anonlink.candidate_generation.find_candidate_pairs(
            bits, anonlink.similarities.dice_coefficient_accelerated, threshold, **kwargs)
        (OUT / f"match_candidates_{name}.txt").write_text(
            "".join(f"{s!r} {i} {j}\n" for s, i, j in zip(sims, rec0, rec1)))
        if name == "all":
            groups = anonlink.solving.greedy_solve((sims, _, (rec0, rec1)))
            pairs = sorted(anonlink.solving.pairs_from_groups(groups))
            (OUT / "match_greedy.txt").write_text("".join(f"{i} {j}\n" for i, j in pairs))


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    write_clk_fixtures(fixture_records(random.Random(5)))
    write_match_fixtures()
    print("fixtures written to", OUT)
