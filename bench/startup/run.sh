#!/usr/bin/env bash
# Cold start to /readyz on an empty SQLite database, and idle memory (RSS), of the
# release binary. Usage: bench/startup/run.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-10}
cargo build --release -p zakrila >/dev/null 2>&1
bin=target/release/zakrila
port=18181
total=0
for i in $(seq "$runs"); do
  dir=$(mktemp -d)
  start=$(date +%s%N)
  "$bin" serve --data-dir "$dir" --listen 127.0.0.1:$port >/dev/null 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do sleep 0.002; done
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  total=$((total + ms))
  echo "run $i: ${ms} ms to /readyz (empty database: migrations, reference data, admin account)"
  if [ "$i" = "$runs" ]; then
    sleep 2
    # Warm the pages once, then read the resident set size while idle.
    curl -sf "http://127.0.0.1:$port/login" >/dev/null
    sleep 1
    echo "idle RSS: $(awk '/VmRSS/ {print $2 " " $3}' /proc/$pid/status)"
  fi
  kill $pid; wait $pid 2>/dev/null || true
  rm -rf "$dir"
done
echo "mean: $((total / runs)) ms over $runs runs"
