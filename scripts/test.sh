#!/usr/bin/env bash
# The README's test command: install what is missing, then format, lint (both feature sets),
# build, hold the bundle to its budget, run the unit and database tests (SQLite always, PostgreSQL
# when reachable) and the browser tests. Exits non-zero when anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh

step() { printf '\n== %s\n' "$*"; }

step "format"
cargo fmt --check

step "clippy (ssr, all targets)"
cargo clippy --no-default-features --features ssr --all-targets -- -D warnings
step "clippy (hydrate, wasm32)"
cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --features hydrate -- -D warnings
step "clippy (ladder-ballot: native, and the vote page's wasm)"
cargo clippy -p ladder-ballot --all-targets -- -D warnings
cargo clippy -p ladder-ballot --lib --target wasm32-unknown-unknown --features wasm -- -D warnings

step "build"
scripts/build.sh

step "bundle budget (what a browser downloads to hydrate; fails past +5%)"
scripts/bundle-size.sh

# PostgreSQL: use TEST_PG_URL if given, else the local server if it answers.
if [ -z "${TEST_PG_URL:-}" ] && pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname='ladder_test'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -qc "CREATE ROLE ladder_test LOGIN CREATEDB"
  psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='ladder_test'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE ladder_test OWNER ladder_test"
  export TEST_PG_URL=postgres://ladder_test@127.0.0.1:5432/ladder_test
fi
if [ -n "${TEST_PG_URL:-}" ]; then
  step "unit and database tests (SQLite and PostgreSQL)"
else
  if [ "${LADDER_REQUIRE_PG:-0}" = 1 ]; then
    echo "PostgreSQL is required (LADDER_REQUIRE_PG=1) but no server answers and TEST_PG_URL is unset" >&2
    exit 1
  fi
  step "unit and database tests (SQLite only: PostgreSQL half SKIPPED — no server answers on 127.0.0.1:5432 and TEST_PG_URL is unset)"
fi
# A stalled test fails the run here instead of using up CI's time limit.
timeout 20m cargo test --no-default-features --features ssr
step "ballot cryptography (ladder-ballot)"
timeout 10m cargo test -p ladder-ballot

step "browser tests (Playwright + Debian chromium)"
scripts/e2e.sh "$TARGET/debug/ladder"

step "all checks passed"
