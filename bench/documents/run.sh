#!/usr/bin/env bash
# A document of SIZE_MB (20) uploaded to a case and downloaded back through the
# HTTP API of the release binary, encryption included: MB/s each way (best of RUNS)
# and the server's peak resident set size (VmHWM) before and after, which shows
# whether memory stays flat while a file streams. The download is compared with
# the original byte for byte.
#
# Usage: bench/documents/run.sh            (release build, 20 MB, 3 runs)
#        PROFILE=debug SIZE_MB=2 RUNS=1 bench/documents/run.sh   (a quick check)
# STORE=dir|database chooses where the content goes (default: dir on SQLite).
# DATABASE_URL=postgres://… runs it on PostgreSQL.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
PROFILE=${PROFILE:-release}
SIZE_MB=${SIZE_MB:-20}
RUNS=${RUNS:-3}
PORT=${PORT:-18282}
STORE=${STORE:-}
BUILD=${BUILD:-1}
if [ "$BUILD" = 1 ]; then
  if [ "$PROFILE" = release ]; then cargo build --release -p zakrila >/dev/null; else cargo build -p zakrila >/dev/null; fi
fi
ZK=${CARGO_TARGET_DIR:-$ROOT/target}/$PROFILE/zakrila
WORK=$(mktemp -d)
trap 'kill $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
export ZAKRILA_DATA_DIR=$WORK/data
export ZAKRILA_DOCUMENT_MAX_MB=$((SIZE_MB + 1))
[ -n "$STORE" ] && export ZAKRILA_DOCUMENTS_STORE=$STORE
[ -n "${DATABASE_URL:-}" ] && export ZAKRILA_DATABASE_URL=$DATABASE_URL
mkdir -p "$ZAKRILA_DATA_DIR"
"$ZK" migrate >/dev/null
EMAIL=bench@bench.zakrila.local
printf 'bench-only-password-2025!\n' | "$ZK" user add --email "$EMAIL" --org iom --role caseworker --password-stdin >/dev/null
TOKEN=$("$ZK" token issue --email "$EMAIL" --ttl 1h --label bench | tail -1)
"$ZK" serve --listen 127.0.0.1:$PORT >"$WORK/serve.log" 2>&1 &
PID=$!
until curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; do sleep 0.05; done
API=http://127.0.0.1:$PORT/api/v1
auth=(-H "Authorization: Bearer $TOKEN")
CASE=$(curl -sf "${auth[@]}" -H 'content-type: application/json' \
  -d '{"person": {"given_name": "Мария", "family_name": "Бенчева", "birth_date": "1990-01-01", "sex": "female", "citizenship": "BGR"}}' \
  "$API/cases" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
# A PDF-headed file of random bytes (random: nothing compresses or repeats).
{ printf '%%PDF-1.7\n'; head -c $((SIZE_MB * 1024 * 1024 - 9)) /dev/urandom; } > "$WORK/doc.pdf"
hwm() { awk '/VmHWM/ {print $2}' /proc/$PID/status; }
echo "server peak RSS before: $(hwm) kB"
best_up=0; best_down=0
for i in $(seq "$RUNS"); do
  up=$(curl -sf -o "$WORK/up.json" -w '%{time_total}' "${auth[@]}" \
    -F kind=other -F caption=bench -F "file=@$WORK/doc.pdf" "$API/cases/$CASE/documents")
  DOC=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$WORK/up.json")
  down=$(curl -sf -o "$WORK/back.pdf" -w '%{time_total}' "${auth[@]}" "$API/cases/$CASE/documents/$DOC")
  cmp -s "$WORK/doc.pdf" "$WORK/back.pdf" || { echo "run $i: the download differs" >&2; exit 1; }
  up_mbs=$(python3 -c "print(f'{$SIZE_MB / $up:.1f}')")
  down_mbs=$(python3 -c "print(f'{$SIZE_MB / $down:.1f}')")
  echo "run $i: upload ${up}s (${up_mbs} MB/s), download ${down}s (${down_mbs} MB/s), peak RSS $(hwm) kB"
  best_up=$(python3 -c "print(max($best_up, $up_mbs))")
  best_down=$(python3 -c "print(max($best_down, $down_mbs))")
done
echo "best: upload ${best_up} MB/s, download ${best_down} MB/s (${SIZE_MB} MB, $PROFILE, store ${STORE:-default}); server peak RSS after: $(hwm) kB"
