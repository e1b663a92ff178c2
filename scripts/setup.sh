#!/usr/bin/env bash
# Installs what a fresh machine lacks; skips whatever is already there. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

step() { printf '\n== %s\n' "$*"; }

if ! command -v chromium >/dev/null || ! command -v brotli >/dev/null || [ ! -d /usr/share/fonts/opentype/noto ]; then
  # chromium for the browser tests, with CJK fonts so pages lay out as users see them
  # (the 375 px overflow check depends on real glyph widths); brotli for the bundle size.
  # Debian's binaryen is NOT installed: its wasm-opt silently breaks the release wasm.
  step "Debian packages: chromium, fonts-noto-cjk, brotli"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk brotli >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rustup target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  step "wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes, once)"
  # No --locked: the registry mirror lacks a version the CLI's lock file names (toolchain.md).
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [ ! -x end2end/node_modules/.bin/playwright ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  step "npm packages: playwright, sass, binaryen (wasm-opt)"
  (cd end2end && npm ci --no-audit --no-fund --loglevel=error)
fi
