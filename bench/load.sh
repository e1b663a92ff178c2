#!/usr/bin/env bash
# Load test (issue 7; README "Benchmarks and fault tests"). Not part of the test command.
#
# On SQLite and on PostgreSQL: the demo data plus a cohort of 5,000 trainees with stored
# scores; a release build of `ladder serve`; oha (from crates.io) at a fixed offered rate on
# loopback, bounded in time and so in count. Pages: the sign-in page, the trainee's dashboard
# (/progress), the base overview (a page of 50 from the 5,000) and a reviewer's list
# (/expert). In the same run a bare axum handler serving a fixed page (bench/ceiling.rs) is
# the ceiling; each page's throughput and p99 are given as ratios to it. Then the dashboard
# again while a credential-stuffing flood of sign-ins hits the server.
#
#   bench/load.sh [sqlite|postgres|all]
#     RATE=400 (each page) OVERVIEW_RATE=40 (a base admin's overview) FLOOD=500 DURATION=10 (seconds per run)
#     TRAINEES=5000
# Prints a markdown table (and keeps oha's JSON in target/bench/load/).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
ENGINES=${1:-all}
RATE=${RATE:-400}
OVERVIEW_RATE=${OVERVIEW_RATE:-40}
FLOOD=${FLOOD:-500}
# Not SECONDS: bash keeps its own SECONDS (the time since the shell began).
SECONDS_EACH=${DURATION:-10}
[ "$SECONDS_EACH" -ge 1 ] || { echo "DURATION must be a whole number of seconds, at least 1" >&2; exit 2; }
TRAINEES=${TRAINEES:-5000}
OUT=target/bench/load
COHORT=2026-LOAD-01
ADDR=127.0.0.1:3981
CEILING_ADDR=127.0.0.1:3990
PG_ADMIN=${PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}
mkdir -p "$OUT"

say() { printf '== %s\n' "$*" >&2; }

command -v oha >/dev/null || { say "installing oha from crates.io"; cargo install oha --locked; }
say "release build (ladder, the ceiling)"
scripts/build.sh --no-server >&2
# The server and every example in one run (bench/faults.sh builds the same, so neither
# rebuilds the other's).
cargo build --release --bin ladder --examples --no-default-features --features ssr >&2
BIN=$TARGET/release/ladder
CEILING=$TARGET/release/examples/ceiling

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

wait_for() { # URL: until it answers (bounded)
  for _ in $(seq 1 300); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done
  echo "$1 never answered" >&2; return 1
}

prepare() { # ENGINE -> sets URL; a fresh database with the demo and the load cohort
  if [ "$1" = sqlite ]; then
    rm -f "$OUT"/load.db*
    URL=sqlite:$OUT/load.db
  else
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS ladder_load WITH (FORCE)" -qc "CREATE DATABASE ladder_load"
    URL=${PG_ADMIN%/*}/ladder_load
  fi
  export DATABASE_URL=$URL
  export LADDER_KEY_FILE=$OUT/ladder.key
  [ -f "$LADDER_KEY_FILE" ] || "$BIN" keys init >/dev/null
  "$BIN" demo >/dev/null
  python3 bench/gen_roster.py "$TRAINEES" "$COHORT" >"$OUT/roster.csv"
  "$BIN" cohort add --base SH-XH-01 --code "$COHORT" --name 负载测试班 --level junior \
    --starts 2026-03-01 --ends 2026-06-30 >/dev/null
  "$BIN" import roster "$OUT/roster.csv" --base SH-XH-01 --cohort "$COHORT" >/dev/null
  # Everyone's stored score: a next version of the ruleset, activated, rescores everyone.
  sed 's/^version = 2$/version = 3/' rulesets/shanghai-default.toml >"$OUT/ruleset-v3.toml"
  "$BIN" ruleset import "$OUT/ruleset-v3.toml" >/dev/null
  "$BIN" ruleset activate shanghai-default 3 >/dev/null
}

cookie_of() { # USER -> the session cookie
  curl -s -D - -o /dev/null -X POST "http://$ADDR/api/sign_in" -H "Origin: http://$ADDR" \
    -H "Content-Type: application/x-www-form-urlencoded" -H "Accept: application/json" \
    --data "login=$1&password=ladder-demo" | tr -d '\r' |
    sed -n 's/^[Ss]et-[Cc]ookie: \(ladder_session=[^;]*\).*/\1/p' | head -1
}

measure() { # NAME URL [COOKIE [RATE]]: oha at a fixed rate for SECONDS_EACH -> $OUT/NAME.json
  oha --no-tui --output-format json -q "${4:-$RATE}" -z "${SECONDS_EACH}s" --latency-correction \
    -H "Accept: text/html" ${3:+-H "Cookie: $3"} "$2" >"$OUT/$1.json"
  echo "${4:-$RATE}" >"$OUT/$1.rate"
}

for engine in sqlite postgres; do
  [ "$ENGINES" = all ] || [ "$ENGINES" = "$engine" ] || continue
  say "$engine: preparing the demo and $TRAINEES trainees with stored scores"
  prepare "$engine"
  LEPTOS_SITE_ADDR=$ADDR "$BIN" serve >"$OUT/server-$engine.log" 2>&1 &
  PIDS+=($!)
  "$CEILING" "$CEILING_ADDR" >/dev/null &
  PIDS+=($!)
  wait_for "http://$ADDR/readyz"
  wait_for "http://$CEILING_ADDR/"
  TRAINEE=$(cookie_of trainee)
  BASE=$(cookie_of baseadmin)
  REVIEWER=$(cookie_of reviewer)
  [ -n "$TRAINEE" ] && [ -n "$BASE" ] && [ -n "$REVIEWER" ] || { echo "sign-in failed" >&2; exit 1; }
  say "$engine: measuring at $RATE requests/s (the overview at $OVERVIEW_RATE), ${SECONDS_EACH}s each"
  measure "$engine-ceiling" "http://$CEILING_ADDR/"
  measure "$engine-login" "http://$ADDR/login"
  measure "$engine-dashboard" "http://$ADDR/progress" "$TRAINEE"
  measure "$engine-overview" "http://$ADDR/admin/overview?cohort=$COHORT&page=50" "$BASE" "$OVERVIEW_RATE"
  measure "$engine-reviewer" "http://$ADDR/expert" "$REVIEWER"
  say "$engine: the dashboard during a flood of $FLOOD sign-ins/s"
  oha --no-tui --output-format json -q "$FLOOD" -z "${SECONDS_EACH}s" -m POST \
    -H "Origin: http://$ADDR" -H "Content-Type: application/x-www-form-urlencoded" \
    -H "Accept: application/json" -d "login=nobody&password=wrong-password" \
    "http://$ADDR/api/sign_in" >"$OUT/$engine-flood.json" &
  echo "$FLOOD" >"$OUT/$engine-flood.rate"
  FLOODING=$!
  measure "$engine-dashboard-flooded" "http://$ADDR/progress" "$TRAINEE"
  wait $FLOODING
  cleanup
  PIDS=()
done

python3 bench/load_report.py "$OUT" "$RATE" "$FLOOD" "$ENGINES"
