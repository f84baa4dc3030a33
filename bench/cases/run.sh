#!/usr/bin/env bash
# Zakrila's case API and the pages a caseworker opens, under load, measured side by side with limit-bench (the bare
# axum + SQLite anchor in ../shared/bench/limit-bench) in the same sitting.
#
#  1. builds both release binaries;
#  2. generates CASES (1,000,000) cases into a fresh SQLite database, timed (once:
#     an existing database is reused; delete $DATA/zakrila-$CASES to regenerate);
#  3. starts `zakrila serve` and limit-bench's server, issues a bearer token for a
#     caseworker of $ORG, signs the same caseworker in as a browser (signin.py: password
#     and TOTP) for the HTML pages, and exports 10,000 random ids of that
#     organisation's cases;
#  4. for RUNS rounds, for every endpoint of both servers: a WARMUP wrk run, then a
#     measured DURATION run (-t2 -c16, loopback), recording req/s, p50/p95/p99,
#     server CPU per request, wrk's CPU share and steal; prints per-metric medians.
#     `page_flood` (not in the default list) is the case page measured while
#     FLOOD_CONNS clients post wrong passwords to /login (lua/login.lua).
#
# Every setting can be overridden from the environment. Raw output: $DATA/raw/.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LIMIT_BENCH=${LIMIT_BENCH:-$ROOT/../shared/bench/limit-bench}
DATA=${DATA:-$HOME/zakrila-bench-data}
LB_DATA=${LB_DATA:-$HOME/limit-bench-data}
CASES=${CASES:-1000000}
SEED=${SEED:-42}
ORG=${ORG:-iom}
PORT=${PORT:-8090}
LB_PORT=${LB_PORT:-8080}
RUNS=${RUNS:-3}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-5s}
CONNS=${CONNS:-16}
THREADS=${THREADS:-2}
ENDPOINTS=${ENDPOINTS:-"case identity list search page home inbox"}
LB_ENDPOINTS=${LB_ENDPOINTS:-"hello case_audited list"}
TAG=${TAG:-cases}
FLOOD_CONNS=${FLOOD_CONNS:-50}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/zakrila-bench-target}
LB_TARGET=${LB_TARGET:-$HOME/limit-bench-target}
BUILD=${BUILD:-1}

RAW=$DATA/raw
mkdir -p "$RAW"
if [ "$BUILD" = 1 ]; then
  (cd "$ROOT" && cargo build --release -p zakrila)
  (cd "$LIMIT_BENCH" && CARGO_TARGET_DIR=$LB_TARGET cargo build --release)
fi
ZK=$CARGO_TARGET_DIR/release/zakrila
LB=$LB_TARGET/release/limit-bench

# --- Zakrila's database: generated once, timed -------------------------------------
export ZAKRILA_DATA_DIR=$DATA/zakrila-$CASES
unset ZAKRILA_DATABASE_URL ZAKRILA_CONFIG
DB=$ZAKRILA_DATA_DIR/zakrila.sqlite
if [ ! -f "$DB" ]; then
  mkdir -p "$ZAKRILA_DATA_DIR"
  "$ZK" migrate > /dev/null
  TIMEFORMAT='GENERATE real=%R user=%U sys=%S'
  { time "$ZK" generate --cases "$CASES" --seed "$SEED" ; } 2>&1 | tee "$RAW/$TAG-generate.txt"
  ls -l "$DB" | tee -a "$RAW/$TAG-generate.txt"
fi
EMAIL=bench@bench.zakrila.local
if ! "$ZK" user list | grep -q "$EMAIL"; then
  printf 'bench-only-password-2025!\n' | "$ZK" user add --email "$EMAIL" --org "$ORG" --role caseworker --password-stdin > /dev/null
fi
TOKEN=$("$ZK" token issue --email "$EMAIL" --ttl 1d --label bench | tail -1)

# Request paths: random existing cases the caller may see (its organisation's own),
# the first ten pages of its caseload, and family names in both scripts.
sqlite3 "$DB" "SELECT '/api/v1/cases/' || id FROM cases WHERE org_id = (SELECT id FROM organisations WHERE slug = '$ORG') ORDER BY random() LIMIT 10000" > "$DATA/paths-case.txt"
sed 's|$|/identity|' "$DATA/paths-case.txt" > "$DATA/paths-identity.txt"
# The HTML pages a caseworker opens, with a browser's session: the case page with
# the identity shown (audited), the home dashboard, the referral inbox.
sed 's|^/api/v1/cases/|/cases/|; s|$|/identity|' "$DATA/paths-case.txt" > "$DATA/paths-page.txt"
echo / > "$DATA/paths-home.txt"
echo /referrals > "$DATA/paths-inbox.txt"
for p in 0 1 2 3 4 5 6 7 8 9; do echo "/api/v1/cases?page=$p"; done > "$DATA/paths-list.txt"
# Name searches are posted (names never go in a URL): one `POST<TAB>path<TAB>body`
# line each, which lua/paths.lua sends as such.
python3 - "$DATA/paths-search.txt" <<'PY'
import json, sys
# Family names the generator writes (crates/zakrila/src/generate/names.rs), each in
# Cyrillic and in Latin: a search by either finds both spellings.
names = """Иванова Иванов Георгиева Димитров Петрова Николов Христова Стоянов Тодорова Илиев
Ivanova Georgiev Dimitrova Petrov Nikolova Hristov Stoyanova Todorov Ilieva Kolev Marinova Popov
Шевченко Kovalenko Бондаренко Popescu Ionescu Попеску Ahmadi Rahimi Ал-Хасан Haddad Khalil Yılmaz""".split()
with open(sys.argv[1], "w") as f:
    for n in names:
        f.write("POST\t/api/v1/cases/search\t" + json.dumps({"q": n}, ensure_ascii=False) + "\n")
PY

# --- limit-bench's database (its own README's defaults) ----------------------------
LB_DB=$LB_DATA/cases-1000000.db
LB_IDS=$LB_DATA/ids-1000000.txt
mkdir -p "$LB_DATA"
[ -f "$LB_DB" ] || "$LB" prepare --db "$LB_DB" --rows 1000000
[ -f "$LB_IDS" ] || "$LB" export-ids --db "$LB_DB" --out "$LB_IDS" --sample 100000

# --- servers ----------------------------------------------------------------------
# The per-user limit on name searches would answer the benchmark's searches with 429:
# lift it for the measurement.
ZAKRILA_NAME_SEARCHES_PER_10_MINUTES=${ZAKRILA_NAME_SEARCHES_PER_10_MINUTES:-1000000000} \
  "$ZK" serve --listen "127.0.0.1:$PORT" > "$RAW/$TAG-zakrila-serve.log" 2>&1 &
ZPID=$!
"$LB" serve --db "$LB_DB" --listen "127.0.0.1:$LB_PORT" > "$RAW/$TAG-limit-serve.log" 2>&1 &
LPID=$!
stop() { kill "$ZPID" "$LPID" 2>/dev/null || true; wait "$ZPID" "$LPID" 2>/dev/null || true; }
trap stop EXIT
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$PORT/readyz" > /dev/null && curl -sf "http://127.0.0.1:$LB_PORT/hello" > /dev/null && break
  kill -0 "$ZPID" 2>/dev/null || { cat "$RAW/$TAG-zakrila-serve.log" >&2; exit 1; }
  sleep 0.1
done
SESSION=$(python3 "$HERE/signin.py" "http://127.0.0.1:$PORT" "$EMAIL" 'bench-only-password-2025!' "$ZAKRILA_DATA_DIR/bench-totp.secret")
for ep in page home inbox; do
  p=$(head -1 "$DATA/paths-$ep.txt")
  printf '%s %s: %s bytes\n' "$ep" "$p" "$(curl -sf -H "Cookie: zk_session=$SESSION" "http://127.0.0.1:$PORT$p" | wc -c)" | tee -a "$RAW/$TAG-sizes.txt"
done
one=$(head -1 "$DATA/paths-case.txt")
curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT$one" > /dev/null || { echo "zakrila does not answer $one" >&2; exit 1; }

bench() { # server endpoint duration
  local srv=$1 ep=$2 dur=$3
  local w="wrk -t$THREADS -c$CONNS -d$dur --latency"
  if [ "$srv" = zakrila ]; then
    local cred=$TOKEN
    case $ep in page | home | inbox | page_flood) cred="cookie:$SESSION" ;; esac
    if [ "$ep" = page_flood ]; then
      # The flood runs a little longer than the measurement so it covers all of it.
      wrk -t1 -c"$FLOOD_CONNS" -d"$(( ${dur%s} + 2 ))s" -s "$HERE/lua/login.lua" "http://127.0.0.1:$PORT" > "$RAW/$TAG-flood-last.txt" 2>&1 &
      local fpid=$!
      sleep 1
      $w -s "$HERE/lua/paths.lua" "http://127.0.0.1:$PORT" -- "$DATA/paths-page.txt" "$cred"
      wait "$fpid" || true
      grep -h '^FLOOD' "$RAW/$TAG-flood-last.txt" || true
    else
      $w -s "$HERE/lua/paths.lua" "http://127.0.0.1:$PORT" -- "$DATA/paths-$ep.txt" "$cred"
    fi
  else
    case $ep in
      hello) $w -s "$LIMIT_BENCH/lua/stats.lua" "http://127.0.0.1:$LB_PORT/hello" ;;
      case | case_audited) $w -s "$LIMIT_BENCH/lua/random.lua" "http://127.0.0.1:$LB_PORT" -- "$ep" "$LB_IDS" ;;
      list) $w -s "$LIMIT_BENCH/lua/random.lua" "http://127.0.0.1:$LB_PORT" -- list 100 10 ;;
    esac
  fi
}
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TCK=$(getconf CLK_TCK)
TSV=$RAW/$TAG-runs.tsv
printf 'server\tendpoint\trun\trps\tp50_us\tp95_us\tp99_us\tmax_us\terrors\tserver_cpu_pct\tserver_cpu_us_per_req\twrk_cpu_pct\tsteal_pct\n' > "$TSV"
# Rounds outside, endpoints inside: the VM's speed drifts over minutes, so each
# endpoint of both servers gets one run per round.
for run in $(seq 1 "$RUNS"); do
  for item in $(for e in $ENDPOINTS; do echo "zakrila:$e"; done; for e in $LB_ENDPOINTS; do echo "limit:$e"; done); do
    srv=${item%%:*} ep=${item#*:}
    pid=$([ "$srv" = zakrila ] && echo "$ZPID" || echo "$LPID")
    out=$RAW/$TAG-$srv-$ep-$run.txt
    bench "$srv" "$ep" "$WARMUP" > "$out.warmup" 2>&1
    t0=$(ticks "$pid"); s0=$(grep '^cpu ' /proc/stat)
    TIMEFORMAT='WRKTIME real=%R user=%U sys=%S'
    { time bench "$srv" "$ep" "$DURATION" > "$out" 2>&1; } 2>> "$out"
    t1=$(ticks "$pid"); s1=$(grep '^cpu ' /proc/stat)
    awk -v srv="$srv" -v ep="$ep" -v run="$run" -v dt="$((t1 - t0))" -v tck="$TCK" -v s0="$s0" -v s1="$s1" '
      /^RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); r[kv[1]] = kv[2] } }
      /^WRKTIME/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); w[kv[1]] = kv[2] } }
      END {
        err = r["err_connect"] + r["err_read"] + r["err_write"] + r["err_status"] + r["err_timeout"]
        cpu = dt / tck
        split(s0, a, " "); split(s1, b, " "); tot = 0
        for (i = 2; i <= 9; i++) tot += b[i] - a[i]
        printf "%s\t%s\t%d\t%.0f\t%d\t%d\t%d\t%d\t%d\t%.0f\t%.1f\t%.0f\t%.1f\n", srv, ep, run, r["rps"], r["p50_us"],
          r["p95_us"], r["p99_us"], r["max_us"], err, 100 * cpu / w["real"],
          1e6 * cpu / r["requests"], 100 * (w["user"] + w["sys"]) / w["real"], 100 * (b[9] - a[9]) / tot
      }' "$out" | tee -a "$TSV"
  done
done

echo
echo "| server | endpoint | req/s | p50 | p95 | p99 | server CPU | server CPU/req | wrk CPU | steal | errors |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
awk -F'\t' '
  NR > 1 { k = $1 "\t" $2; if (!(k in seen)) { seen[k] = 1; order[++nk] = k }
           n[k]++; for (c = 4; c <= 13; c++) v[k, c, n[k]] = $c + 0; errs[k] += $9 }
  function med(k, c,   m, i, j, t, x) {
    m = n[k]; for (i = 1; i <= m; i++) x[i] = v[k, c, i]
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (x[j] < x[i]) { t = x[i]; x[i] = x[j]; x[j] = t }
    return (m % 2) ? x[(m + 1) / 2] : (x[m / 2] + x[m / 2 + 1]) / 2
  }
  END {
    for (i = 1; i <= nk; i++) { k = order[i]; split(k, p, "\t")
      printf "| %s | %s | %.0f | %.2f ms | %.2f ms | %.2f ms | %.0f%% | %.1f µs | %.0f%% | %.1f%% | %d |\n", p[1], p[2],
        med(k, 4), med(k, 5) / 1000, med(k, 6) / 1000, med(k, 7) / 1000, med(k, 10), med(k, 11), med(k, 12), med(k, 13), errs[k] }
  }' "$TSV"
