#!/usr/bin/env bash
# The bundle budget: what a browser downloads to hydrate the app (the wasm and its JS glue,
# brotli -q 11, as a server or CDN would send them), against the size recorded in
# bench/bundle-budget.txt. Fails when the bundle grows more than 5% past it.
#   scripts/bundle-size.sh           measure and compare (the test command runs this)
#   scripts/bundle-size.sh --record  measure and record the result as the new budget
# Run scripts/build.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
PKG=$LEPTOS_SITE_ROOT/$LEPTOS_SITE_PKG_DIR
BUDGET_FILE=bench/bundle-budget.txt
total=0
for f in "$PKG/$LEPTOS_OUTPUT_NAME.wasm" "$PKG/$LEPTOS_OUTPUT_NAME.js" "$PKG/$LEPTOS_OUTPUT_NAME.css"; do
  [ -f "$f" ] || { echo "no $f: run scripts/build.sh first" >&2; exit 1; }
  raw=$(stat -c %s "$f"); gz=$(gzip -9c "$f" | wc -c); br=$(brotli -c -q 11 "$f" | wc -c)
  printf '  %-24s %9d B raw  %8d B gzip  %8d B brotli\n' "$(basename "$f")" "$raw" "$gz" "$br"
  case "$f" in *.css) ;; *) total=$((total + br)) ;; esac
done
printf '  hydrate bundle (wasm + js, brotli): %d B = %d KiB\n' "$total" $((total / 1024))
# The ballot's encryption is loaded by the vote page only, never by the bundle above.
for f in "$PKG/ballot/ladder_ballot_bg.wasm" "$PKG/ballot/ladder_ballot.js"; do
  [ -f "$f" ] && printf '  vote page only: %-22s %8d B brotli\n' "$(basename "$f")" "$(brotli -c -q 11 "$f" | wc -c)"
done
if [ "${1:-}" = "--record" ]; then
  echo "$total" > "$BUDGET_FILE"
  echo "  recorded as the budget in $BUDGET_FILE"
  exit 0
fi
budget=$(tr -dc 0-9 < "$BUDGET_FILE")
limit=$((budget * 105 / 100))
printf '  budget %d B (+5%%: %d B); this build is %d.%d%% of it\n' "$budget" "$limit" \
  $((total * 100 / budget)) $((total * 1000 / budget % 10))
if [ "$total" -gt "$limit" ]; then
  echo "the hydrate bundle grew more than 5% past its budget ($total B > $limit B)." >&2
  echo "Find what grew, or, if the growth is worth it, record it: scripts/bundle-size.sh --record" >&2
  exit 1
fi
