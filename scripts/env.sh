# Sourced by every script: one set of build variables, so cargo never rebuilds the world
# because two commands saw different LEPTOS_* values (leptos reads them with option_env!).
export LEPTOS_OUTPUT_NAME=ladder
export LEPTOS_SITE_ROOT=${LEPTOS_SITE_ROOT:-target/site}
export LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR=${LEPTOS_SITE_ADDR:-127.0.0.1:3000}
export LEPTOS_RELOAD_PORT=3001
export LEPTOS_ENV=${LEPTOS_ENV:-PROD}
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
# sass and a working wasm-opt come from npm (end2end/node_modules), never from Debian (see README).
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# The version the wasm-bindgen crate is pinned to in Cargo.toml; the CLI must match exactly.
WASM_BINDGEN_VERSION=0.2.130
# Cargo's output folder (CI keeps it outside the clone so dependencies stay compiled).
TARGET=${CARGO_TARGET_DIR:-target}
