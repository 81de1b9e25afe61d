#!/usr/bin/env bash
# The fast check loop, fastest first, the same checks CI starts with:
# formatting, clippy for the native and the wasm32 target (the wasm one
# bans what panics there: scripts/clippy-wasm/clippy.toml), native tests,
# and the API docs with warnings as errors. Installs nothing: run
# scripts/setup.sh (or scripts/test.sh) once on a new machine.
# Under two minutes on a warm build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

run() {
  echo "==> $*"
  "$@"
}

run cargo fmt --all -- --check
run cargo clippy --all-targets -- -D warnings
# On wasm32 too: native-only tests and benches (proptest, criterion) are
# gated with cfg(not(target_arch = "wasm32")) and compile to nothing there.
CLIPPY_CONF_DIR="$PWD/scripts/clippy-wasm" run cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings
# The uncertainty worker is built without the page (no Leptos): check that
# build as index.html asks for it.
CLIPPY_CONF_DIR="$PWD/scripts/clippy-wasm" run cargo clippy --target wasm32-unknown-unknown --no-default-features --lib --bin worker -- -D warnings
run cargo test
RUSTDOCFLAGS="-D warnings" run cargo doc --no-deps
echo "check.sh: all checks passed"
