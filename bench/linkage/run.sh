#!/usr/bin/env bash
# Zakrila linkage benchmarks against clkhash 0.18.3 and anonlink 0.15.3, in one
# run on this machine. Usage: bench/linkage/run.sh [threads] (default: all cores).
# Results: bench/out/linkage/{results.json,accuracy.json}; summarised by hand in
# bench/linkage/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
export THREADS="${1:-$(nproc)}"
VENV=.venv
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install -q clkhash==0.18.3 anonlink==0.15.3 recordlinkage==0.16
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo build -q --release -p zakrila-linkage --example linkage_bench
export LINKAGE_BENCH_BIN="$CARGO_TARGET_DIR/release/examples/linkage_bench"
"$VENV/bin/python" bench/linkage/bench.py
"$VENV/bin/python" bench/linkage/accuracy.py
