#!/usr/bin/env bash
# Importing an organisation's existing records: ROWS (100,000) spreadsheet rows
# through `zakrila cases import`, on SQLite (and on PostgreSQL when DATABASE_URL is
# set), into a fresh database:
#
#  1. writes the file (gen.py; the same ROWS give the same file);
#  2. a dry run (every row checked, nothing stored), timed;
#  3. the import (one transaction), timed;
#  4. the same file again (every row skipped as already imported), timed;
#  5. counts the cases.
#
# BIN names a built `zakrila` (default: a release build, made here). Times are wall
# clock from `/usr/bin/time`; peak memory is its maximum resident set.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ROWS=${ROWS:-100000}
ORG=${ORG:-iom}
DATA=${DATA:-$(mktemp -d /tmp/zakrila-import-bench.XXXXXX)}
FILE=${FILE:-$DATA/records-$ROWS.csv}
if [ -z "${BIN:-}" ]; then
  cargo build --release --locked -p zakrila --manifest-path "$ROOT/Cargo.toml"
  BIN=$ROOT/target/release/zakrila
fi
export ZAKRILA_DATA_DIR=$DATA
if [ -n "${DATABASE_URL:-}" ]; then export ZAKRILA_DATABASE_URL=$DATABASE_URL; fi

python3 "$HERE/gen.py" "$ROWS" "$FILE"
echo "file: $FILE ($(du -h "$FILE" | cut -f1), $ROWS rows); backend: ${DATABASE_URL:-sqlite in $DATA}"
"$BIN" migrate >/dev/null

step() {
  local name=$1; shift
  /usr/bin/time -f "$name: %e s wall, %M KiB peak" "$@" 2>&1 >"$DATA/$name.out" | grep -v '^\s*$' | tail -n 1
  tail -n 1 "$DATA/$name.out"
}
step dry-run "$BIN" cases import "$FILE" --org "$ORG" --dry-run
step import "$BIN" cases import "$FILE" --org "$ORG"
step re-import "$BIN" cases import "$FILE" --org "$ORG"
