#!/usr/bin/env bash
# The README's run command: install what is missing, build (release), create and migrate the
# SQLite database under data/, load the demo data on first start, serve on 127.0.0.1:3000.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh --release
source scripts/env.sh
export DATABASE_URL=${DATABASE_URL:-sqlite:data/ladder.db}
# The server's keys (ballot sealing, audit MAC and signatures) live in a file outside the
# database; the first run creates it (mode 0600). Back it up apart from the database.
export LADDER_KEY_FILE=${LADDER_KEY_FILE:-data/ladder.key}
[ -f "$LADDER_KEY_FILE" ] || "$TARGET/release/ladder" keys init
echo "== serving http://$LEPTOS_SITE_ADDR  (Ctrl-C to stop)"
exec "$TARGET/release/ladder" serve --demo
