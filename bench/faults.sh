#!/usr/bin/env bash
# Fault tests (issue 7; README "Fault tests"). Not part of the test command, which keeps one
# quick kill case (tests/it/faults.rs). See bench/faults.rs for what each scenario does:
#
#   import  SIGKILL at 20 points spread over a 100,000-row roster upload + commit
#   vote    SIGKILL during the secret ballot, at 8 points; every acknowledged ballot counted once
#   crowd   thirty-odd reviewers scoring, then the whole committee voting, all at once
#
#   bench/faults.sh [sqlite|postgres|all] [import|vote|crowd|all]
#     PG_ADMIN=postgres://postgres@127.0.0.1:5432/postgres (makes the PostgreSQL databases)
# Prints a markdown report (kept in target/bench/faults/report.md); exits non-zero when an
# invariant fails.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
OUT=target/bench/faults
mkdir -p "$OUT"
echo "== release build (ladder, the fault harness)" >&2
# The server and every example in one run, as bench/load.sh builds them.
cargo build --release --bin ladder --examples --no-default-features --features ssr >&2
set +e
"$TARGET/release/examples/faults" "$TARGET/release/ladder" "$OUT" "${1:-all}" "${2:-all}" |
  tee "$OUT/report.md"
status=${PIPESTATUS[0]}
pkill -f "$TARGET/release/ladder serve" 2>/dev/null
exit "$status"
