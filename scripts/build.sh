#!/usr/bin/env bash
# Builds the site without cargo-leptos: wasm (size-optimised) -> wasm-bindgen -> wasm-opt ->
# sass -> public assets -> the server binary. `--release` builds an optimised server too.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

SERVER_PROFILE=dev
SERVER=yes
for arg in "$@"; do
  case "$arg" in
    --release) SERVER_PROFILE=release ;;
    # The benchmark scripts build the server themselves, with their examples in one cargo
    # run (an example brings the dev-dependencies' features; building the server alone in
    # between would rebuild it each time).
    --no-server) SERVER=no ;;
    *) echo "usage: scripts/build.sh [--release] [--no-server]" >&2; exit 2 ;;
  esac
done
NAME=$LEPTOS_OUTPUT_NAME
PKG=$LEPTOS_SITE_ROOT/$LEPTOS_SITE_PKG_DIR
mkdir -p "$PKG"

echo "== wasm (profile wasm-release)"
cargo build --lib --target wasm32-unknown-unknown --no-default-features --features hydrate --profile wasm-release
WASM=$TARGET/wasm32-unknown-unknown/wasm-release/$NAME.wasm
STAMP=$PKG/.built-from
# wasm-bindgen + wasm-opt take ~15 s; skip them when the wasm has not changed.
if [ ! -f "$STAMP" ] || [ "$WASM" -nt "$STAMP" ]; then
  wasm-bindgen --target web --no-typescript --out-dir "$PKG" --out-name "$NAME" "$WASM"
  mv "$PKG/${NAME}_bg.wasm" "$PKG/$NAME.wasm"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$PKG/$NAME.wasm" -o "$PKG/$NAME.wasm"
  touch "$STAMP"
fi

echo "== ballot wasm (the vote page's encryption; loaded by that page only)"
cargo build -p ladder-ballot --lib --target wasm32-unknown-unknown --features wasm --profile wasm-release
BWASM=$TARGET/wasm32-unknown-unknown/wasm-release/ladder_ballot.wasm
BPKG=$PKG/ballot
BSTAMP=$BPKG/.built-from
if [ ! -f "$BSTAMP" ] || [ "$BWASM" -nt "$BSTAMP" ]; then
  mkdir -p "$BPKG"
  wasm-bindgen --target web --no-typescript --out-dir "$BPKG" --out-name ladder_ballot "$BWASM"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$BPKG/ladder_ballot_bg.wasm" -o "$BPKG/ladder_ballot_bg.wasm"
  touch "$BSTAMP"
fi

echo "== styles"
sass --no-source-map --style=compressed style/main.scss "$PKG/$NAME.css"
cp -r public/. "$LEPTOS_SITE_ROOT/"

if [ "$SERVER" = yes ]; then
  echo "== server (profile $SERVER_PROFILE)"
  cargo build --bin ladder --no-default-features --features ssr --profile "$SERVER_PROFILE"
fi
