#!/usr/bin/env bash
# Starts the built server on a fresh SQLite database with the demo data, waits for the port,
# runs the Playwright suite against it, and stops the server whatever happens. Then the
# server must stop cleanly on SIGTERM, and its log of the whole journey must hold no ID or
# phone number of anyone in the database.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
BIN=${1:-$TARGET/debug/ladder}
export LEPTOS_SITE_ADDR=${E2E_ADDR:-127.0.0.1:3900}
DB=target/e2e/ladder.db
rm -rf target/e2e && mkdir -p target/e2e
export DATABASE_URL=sqlite:$DB
# The server's key file lives beside the database, never in it (docs/security.md).
export LADDER_KEY_FILE=target/e2e/ladder.key
"$BIN" keys init >/dev/null
"$BIN" serve --demo >target/e2e/server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  curl -sf -o /dev/null "http://$LEPTOS_SITE_ADDR/login" && break
  kill -0 $SERVER 2>/dev/null || { echo "server exited:"; cat target/e2e/server.log; exit 1; }
  sleep 0.2
done
(cd end2end && BASE_URL="http://$LEPTOS_SITE_ADDR" npx playwright test)
kill -TERM $SERVER
trap - EXIT
wait $SERVER || { echo "the server did not stop cleanly on SIGTERM:"; tail -20 target/e2e/server.log; exit 1; }
echo "the server's log of the journey holds no personal data:"
python3 scripts/log-has-no-personal-data.py target/e2e/server.log "$DB"
