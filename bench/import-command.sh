#!/usr/bin/env bash
# The roster import as a user runs it (issue 21, item 18): `ladder import roster FILE --base …
# --cohort …` on a 100,000-row .xlsx as bases send them (bench/gen_roster_xlsx.py: phones as
# numbers, ID numbers as text with spaces, e-mails), a new process each time — process start,
# migrations check, reading, validating, writing, the audit row. The first commit into a fresh
# database, then the unchanged file again; on SQLite and on PostgreSQL; beside pandas
# (read_excel with calamine, then to_sql into SQLite) on the same file. Wall time and peak
# resident memory from GNU time, the median of RUNS fresh databases. Not part of the test
# command; after a release build.
#
#   bench/import-command.sh            RUNS=3 ROWS=100000 PG_ADMIN=postgres://postgres@127.0.0.1:5432/postgres
#
# Prints a markdown table for bench/RESULTS.md; keeps every measurement in target/bench/import-command/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
RUNS=${RUNS:-3}
ROWS=${ROWS:-100000}
PG_ADMIN=${PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}
OUT=target/bench/import-command
COHORT=2026-CMD-01
mkdir -p "$OUT"
say() { printf '== %s\n' "$*" >&2; }

python3 -c "import xlsxwriter, pandas, python_calamine" 2>/dev/null ||
  python3 -m pip install -q XlsxWriter pandas python-calamine >&2
FILE=$OUT/roster-$ROWS.xlsx
[ -f "$FILE" ] || { say "generating $FILE"; python3 bench/gen_roster_xlsx.py "$ROWS" "$COHORT" "$FILE"; }
say "release build"
cargo build --release --no-default-features --features ssr --bin ladder >&2
BIN=$TARGET/release/ladder
export LADDER_KEY_FILE=$OUT/ladder.key

# "seconds peak_MiB" of one command (its output kept in $OUT/last.log).
measure() {
  /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" >"$OUT/last.log" 2>&1 ||
    { cat "$OUT/last.log" >&2; exit 1; }
  awk '{ printf "%s %.0f\n", $1, $2 / 1024 }' "$OUT/time.txt"
}

fresh() { # ENGINE -> exports DATABASE_URL for a new, migrated database with the base and cohort
  case $1 in
    sqlite)
      rm -f "$OUT"/bench.db*
      export DATABASE_URL=sqlite:$OUT/bench.db ;;
    postgres)
      psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS ladder_bench_cmd WITH (FORCE)" >/dev/null
      psql "$PG_ADMIN" -qc "CREATE DATABASE ladder_bench_cmd" >/dev/null
      export DATABASE_URL=${PG_ADMIN%/*}/ladder_bench_cmd ;;
  esac
  rm -f "$LADDER_KEY_FILE" "$OUT"/audit-checkpoints.jsonl
  "$BIN" keys init >/dev/null
  "$BIN" migrate >/dev/null
  "$BIN" base add --code CMD --name 基准基地 >/dev/null
  "$BIN" cohort add --base CMD --code "$COHORT" --name 基准班 --level junior \
    --starts 2026-03-01 --ends 2026-06-30 >/dev/null
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

: >"$OUT/runs.txt"
for engine in sqlite postgres; do
  for run in $(seq "$RUNS"); do
    say "$engine, run $run"
    fresh "$engine"
    first=$(measure "$BIN" import roster "$FILE" --base CMD --cohort "$COHORT")
    again=$(measure "$BIN" import roster "$FILE" --base CMD --cohort "$COHORT")
    echo "$engine first $first" >>"$OUT/runs.txt"
    echo "$engine again $again" >>"$OUT/runs.txt"
  done
done
PY=$OUT/pandas_peer.py  # not pandas.py: that name would shadow the module
cat >"$PY" <<'PYEOF'
import sqlite3, sys
import pandas as pd
df = pd.read_excel(sys.argv[1], engine="calamine", header=1, dtype=str)
with sqlite3.connect(sys.argv[2]) as c:
    df.to_sql("people", c, index=False, if_exists="replace")
print(len(df))
PYEOF
for run in $(seq "$RUNS"); do
  say "pandas, run $run"
  rm -f "$OUT/pandas.db"
  echo "pandas first $(measure python3 "$PY" "$FILE" "$OUT/pandas.db")" >>"$OUT/runs.txt"
done

row() { # ENGINE STEP -> "median_s median_MiB"
  local s m
  s=$(awk -v e="$1" -v k="$2" '$1 == e && $2 == k { print $3 }' "$OUT/runs.txt" | median)
  m=$(awk -v e="$1" -v k="$2" '$1 == e && $2 == k { print $4 }' "$OUT/runs.txt" | median)
  echo "$s $m"
}
read -r sq1 sqm1 <<<"$(row sqlite first)"
read -r sq2 sqm2 <<<"$(row sqlite again)"
read -r pg1 pgm1 <<<"$(row postgres first)"
read -r pg2 pgm2 <<<"$(row postgres again)"
read -r pd1 pdm1 <<<"$(row pandas first)"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
yes_no() { awk -v c="$1" 'BEGIN { print (c ? "yes" : "**no**") }'; }
echo "$ROWS rows, 14 columns; median of $RUNS; \`ladder import roster\` in a new process each time."
echo
echo "| step | seconds | peak MiB | ratio | goal | met |"
echo "|---|---:|---:|---|---|---|"
echo "| SQLite: first commit | $sq1 | $sqm1 | $(ratio "$sq1" "$pd1") × pandas | < 3 s, < 256 MiB | $(yes_no "$(awk -v s="$sq1" -v m="$sqm1" 'BEGIN { print (s < 3 && m < 256) }')") |"
echo "| SQLite: the unchanged file again | $sq2 | $sqm2 | $(ratio "$sq2" "$sq1") × first | ≤ 0.5 × first | $(yes_no "$(awk -v a="$sq2" -v b="$sq1" 'BEGIN { print (a <= b / 2) }')") |"
echo "| PostgreSQL: first commit | $pg1 | $pgm1 | $(ratio "$pg1" "$sq1") × SQLite | ≤ 1.5 × SQLite | $(yes_no "$(awk -v a="$pg1" -v b="$sq1" 'BEGIN { print (a <= 1.5 * b) }')") |"
echo "| PostgreSQL: the unchanged file again | $pg2 | $pgm2 | $(ratio "$pg2" "$pg1") × first | ≤ 0.5 × first | $(yes_no "$(awk -v a="$pg2" -v b="$pg1" 'BEGIN { print (a <= b / 2) }')") |"
echo "| pandas: read_excel (calamine) + to_sql (SQLite), no validation | $pd1 | $pdm1 | | | |"
