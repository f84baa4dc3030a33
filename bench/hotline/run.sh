#!/usr/bin/env bash
# The front door under load, in one sitting beside limit-bench's /hello (the bare
# axum + SQLite anchor in ../shared/bench/limit-bench):
#
#  1. the public help page (HELP_PATH, in Bulgarian and in English through the
#     language cookie) of a `zakrila serve --surface public` server, and
#     limit-bench's /hello: RUNS rounds of a WARMUP and a measured DURATION wrk run
#     each (-t$THREADS -c$CONNS), medians printed; the target is the help page at
#     ≥ 50 % of /hello's requests per second;
#  2. tip submission: TIP_DURATION of anonymous tips posted through
#     /api/v1/public/tips on TIP_CONNS connections, each from its own address
#     (lua/tips.lua; the server trusts one proxy so that X-Forwarded-For names the
#     sender): the rate (target ≥ 200/s sustained) and the tips written, counted in
#     the database afterwards, against the 201 answers (target: none lost);
#  3. the hotline report over SIGNALS generated signals (`zakrila generate
#     --signals`, once: an existing database is reused): REPORT_RUNS timed requests
#     of the report page for each year the signals fall in, by a signed-in
#     hotline operator; median and max (target < 200 ms).
#
# Every setting can be overridden from the environment; small sizes for a quick
# check, e.g.  SIGNALS=2000 RUNS=1 DURATION=3s WARMUP=1s TIP_DURATION=3s REPORT_RUNS=3 bench/hotline/run.sh
# Raw output: $DATA/raw/.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LIMIT_BENCH=${LIMIT_BENCH:-$ROOT/../shared/bench/limit-bench}
DATA=${DATA:-$HOME/zakrila-bench-data}
LB_DATA=${LB_DATA:-$HOME/limit-bench-data}
SIGNALS=${SIGNALS:-100000}
SEED=${SEED:-42}
PORT=${PORT:-8091}
PUBLIC_PORT=${PUBLIC_PORT:-8092}
LB_PORT=${LB_PORT:-8080}
RUNS=${RUNS:-3}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-5s}
CONNS=${CONNS:-16}
THREADS=${THREADS:-2}
HELP_PATH=${HELP_PATH:-/help/where?region=BG-22&need=shelter}
TIP_DURATION=${TIP_DURATION:-30s}
TIP_CONNS=${TIP_CONNS:-16}
REPORT_RUNS=${REPORT_RUNS:-20}
YEARS=${YEARS:-"2025 2026"}
TAG=${TAG:-hotline}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/zakrila-bench-target}
LB_TARGET=${LB_TARGET:-$HOME/limit-bench-target}
BUILD=${BUILD:-1}
# `debug` for a quick check of the script itself; measurements need `release`.
PROFILE=${PROFILE:-release}

RAW=$DATA/raw
mkdir -p "$RAW"
if [ "$BUILD" = 1 ]; then
  flag=$([ "$PROFILE" = release ] && echo --release || true)
  (cd "$ROOT" && cargo build $flag -p zakrila)
  (cd "$LIMIT_BENCH" && CARGO_TARGET_DIR=$LB_TARGET cargo build $flag)
fi
ZK=$CARGO_TARGET_DIR/$PROFILE/zakrila
LB=$LB_TARGET/$PROFILE/limit-bench

# --- Zakrila's database: SIGNALS generated once, timed ------------------------------
export ZAKRILA_DATA_DIR=$DATA/zakrila-signals-$SIGNALS
unset ZAKRILA_DATABASE_URL ZAKRILA_CONFIG
DB=$ZAKRILA_DATA_DIR/zakrila.sqlite
if [ ! -f "$DB" ]; then
  mkdir -p "$ZAKRILA_DATA_DIR"
  "$ZK" migrate > /dev/null
  TIMEFORMAT='GENERATE real=%R user=%U sys=%S'
  { time "$ZK" generate --signals "$SIGNALS" --seed "$SEED"; } 2>&1 | tee "$RAW/$TAG-generate.txt"
fi
EMAIL=operator@bench.zakrila.local
PASSWORD='bench-only-password-2025!'
if ! "$ZK" user list | grep -q "$EMAIL"; then
  printf '%s\n' "$PASSWORD" | "$ZK" user add --email "$EMAIL" --org a21 --role hotline --password-stdin > /dev/null
fi

# --- limit-bench (its own README's defaults) ---------------------------------------
LB_DB=$LB_DATA/cases-1000000.db
mkdir -p "$LB_DATA"
[ -f "$LB_DB" ] || "$LB" prepare --db "$LB_DB" --rows 1000000

# --- servers -------------------------------------------------------------------------
# One server at a time: two starting at once on one SQLite file contend for its
# first writes.
wait_ready() { # url pid log
  for _ in $(seq 1 300); do
    curl -sf "$1" > /dev/null && return 0
    kill -0 "$2" 2>/dev/null || { cat "$3" >&2; exit 1; }
    sleep 0.1
  done
  echo "no answer from $1" >&2; exit 1
}
ZPID= PPID_= LPID=
stop() { kill $ZPID $PPID_ $LPID 2>/dev/null || true; wait $ZPID $PPID_ $LPID 2>/dev/null || true; }
trap stop EXIT
ZAKRILA_TRUSTED_PROXIES=1 "$ZK" serve --listen "127.0.0.1:$PORT" > "$RAW/$TAG-serve.log" 2>&1 &
ZPID=$!
wait_ready "http://127.0.0.1:$PORT/readyz" "$ZPID" "$RAW/$TAG-serve.log"
"$ZK" serve --surface public --listen "127.0.0.1:$PUBLIC_PORT" > "$RAW/$TAG-public.log" 2>&1 &
PPID_=$!
wait_ready "http://127.0.0.1:$PUBLIC_PORT/readyz" "$PPID_" "$RAW/$TAG-public.log"
"$LB" serve --db "$LB_DB" --listen "127.0.0.1:$LB_PORT" > "$RAW/$TAG-limit.log" 2>&1 &
LPID=$!
wait_ready "http://127.0.0.1:$LB_PORT/hello" "$LPID" "$RAW/$TAG-limit.log"
HELP="http://127.0.0.1:$PUBLIC_PORT$HELP_PATH"
printf 'help page: %s bytes (bg), %s bytes (en)\n' \
  "$(curl -sf "$HELP" | wc -c)" "$(curl -sf -H 'Cookie: lang=en' "$HELP" | wc -c)" | tee "$RAW/$TAG-sizes.txt"

# --- 1. the help page beside /hello ------------------------------------------------------
bench() { # endpoint duration
  local w="wrk -t$THREADS -c$CONNS -d$2 --latency -s $LIMIT_BENCH/lua/stats.lua"
  case $1 in
    help_bg) $w "$HELP" ;;
    help_en) $w -H 'Cookie: lang=en' "$HELP" ;;
    hello) $w "http://127.0.0.1:$LB_PORT/hello" ;;
  esac
}
TSV=$RAW/$TAG-runs.tsv
printf 'endpoint\trun\trps\tp50_us\tp99_us\terrors\n' > "$TSV"
for run in $(seq 1 "$RUNS"); do
  for ep in help_bg help_en hello; do
    out=$RAW/$TAG-$ep-$run.txt
    bench "$ep" "$WARMUP" > "$out.warmup" 2>&1
    bench "$ep" "$DURATION" > "$out" 2>&1
    awk -v ep="$ep" -v run="$run" '/^RESULT/ {
        for (i = 2; i <= NF; i++) { split($i, kv, "="); r[kv[1]] = kv[2] }
        printf "%s\t%d\t%.0f\t%d\t%d\t%d\n", ep, run, r["rps"], r["p50_us"], r["p99_us"],
          r["err_connect"] + r["err_read"] + r["err_write"] + r["err_status"] + r["err_timeout"] }' "$out" | tee -a "$TSV"
  done
done
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo
echo "| endpoint | req/s (median) | p50 | p99 | errors |"
echo "|---|---:|---:|---:|---:|"
for ep in help_bg help_en hello; do
  rps=$(awk -F'\t' -v ep="$ep" '$1 == ep { print $3 }' "$TSV" | median)
  p50=$(awk -F'\t' -v ep="$ep" '$1 == ep { print $4 }' "$TSV" | median)
  p99=$(awk -F'\t' -v ep="$ep" '$1 == ep { print $5 }' "$TSV" | median)
  err=$(awk -F'\t' -v ep="$ep" '$1 == ep { s += $6 } END { print s + 0 }' "$TSV")
  printf '| %s | %.0f | %.2f ms | %.2f ms | %d |\n' "$ep" "$rps" "$(echo "$p50 / 1000" | bc -l)" "$(echo "$p99 / 1000" | bc -l)" "$err"
  eval "RPS_$ep=$rps"
done
printf 'help page vs /hello: bg %.0f %%, en %.0f %% (target ≥ 50 %%)\n' \
  "$(echo "100 * $RPS_help_bg / $RPS_hello" | bc -l)" "$(echo "100 * $RPS_help_en / $RPS_hello" | bc -l)"

# --- 2. tips -----------------------------------------------------------------------------
tips_in_db() { sqlite3 "$DB" "SELECT count(*) FROM signals WHERE receipt_hash IS NOT NULL"; }
before=$(tips_in_db)
wrk -t"$THREADS" -c"$TIP_CONNS" -d"$TIP_DURATION" --latency -s "$HERE/lua/tips.lua" \
  "http://127.0.0.1:$PORT" > "$RAW/$TAG-tips.txt" 2>&1
sleep 1
after=$(tips_in_db)
awk -v written="$((after - before))" '/^RESULT/ {
    for (i = 2; i <= NF; i++) { split($i, kv, "="); r[kv[1]] = kv[2] }
    printf "tips: %.0f/s over %s s (p50 %.1f ms, p99 %.1f ms); 201 answers %d, refused %d, rows written %d, lost %d\n",
      r["rps"], r["duration_s"], r["p50_us"] / 1000, r["p99_us"] / 1000, r["created"], r["refused"], written,
      (r["created"] > written) ? r["created"] - written : 0 }' "$RAW/$TAG-tips.txt" | tee -a "$RAW/$TAG-summary.txt"

# --- 3. the hotline report ----------------------------------------------------------------
SESSION=$(python3 "$ROOT/bench/cases/signin.py" "http://127.0.0.1:$PORT" "$EMAIL" "$PASSWORD" "$ZAKRILA_DATA_DIR/bench-totp.secret")
for year in $YEARS; do
  from=$(date -u -d "$year-01-01" +%s)000
  to=$(date -u -d "$((year + 1))-01-01" +%s)000
  n=$(sqlite3 "$DB" "SELECT count(*) FROM signals WHERE received_at >= $from AND received_at < $to")
  url="http://127.0.0.1:$PORT/signals/report?year=$year"
  curl -sf -o /dev/null -H "Cookie: zk_session=$SESSION" "$url" # warm
  for _ in $(seq 1 "$REPORT_RUNS"); do
    curl -sf -o /dev/null -w '%{time_total}\n' -H "Cookie: zk_session=$SESSION" "$url"
  done > "$RAW/$TAG-report-$year.txt"
  med=$(median < "$RAW/$TAG-report-$year.txt")
  max=$(sort -n "$RAW/$TAG-report-$year.txt" | tail -1)
  printf 'report %s: %d signals, median %.0f ms, max %.0f ms over %d requests (target < 200 ms)\n' \
    "$year" "$n" "$(echo "$med * 1000" | bc -l)" "$(echo "$max * 1000" | bc -l)" "$REPORT_RUNS" | tee -a "$RAW/$TAG-summary.txt"
done
