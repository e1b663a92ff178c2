#!/usr/bin/env bash
# Starts the built server on a fresh SQLite database with the demo data, waits for the port,
# runs the Playwright suite against it, and stops the server whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
BIN=${1:-$TARGET/debug/ladder}
export LEPTOS_SITE_ADDR=${E2E_ADDR:-127.0.0.1:3900}
DB=target/e2e/ladder.db
rm -rf target/e2e && mkdir -p target/e2e
export DATABASE_URL=sqlite:$DB
"$BIN" serve --demo >target/e2e/server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  curl -sf -o /dev/null "http://$LEPTOS_SITE_ADDR/login" && break
  kill -0 $SERVER 2>/dev/null || { echo "server exited:"; cat target/e2e/server.log; exit 1; }
  sleep 0.2
done
cd end2end
BASE_URL="http://$LEPTOS_SITE_ADDR" npx playwright test
