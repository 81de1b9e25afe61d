#!/usr/bin/env bash
# Where the page's wasm bytes are: builds the page's wasm as the release
# build does (scripts/build.sh: the standard library built with it, the
# wasm-release profile, wasm-bindgen, wasm-opt -O2 with the page's
# features) but keeping its function names, into target/size-where/, then
# prints its bytes by crate, by module of this crate, by function and by
# data segment (scripts/size-where.mjs). Names change no code: the file is
# the page's wasm plus a name section, which the report leaves out.
#
#   scripts/size-where.sh [top-functions=25]
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

if [[ -z "${STACKWISE_SETUP_DONE:-}" ]]; then
  bash "$ROOT/scripts/setup.sh"
fi

out="$ROOT/target/size-where"
# A target folder of its own: the names change the profile, and sharing
# target/ would make the next release build start over.
export CARGO_TARGET_DIR="$out/cargo"
mkdir -p "$out"
say "building the page's wasm with its names kept (as scripts/build.sh builds it)"
CARGO_PROFILE_WASM_RELEASE_STRIP=false with_release_std \
  cargo build --quiet --profile wasm-release --target wasm32-unknown-unknown --bin stackwise
wasm-bindgen --target web --no-typescript --out-dir "$out" \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/stackwise.wasm"
# The page's wasm-opt level and features, from index.html; --debuginfo
# keeps the names.
params="$(sed -n '/data-bin="stackwise"/,/>/p' index.html | sed -n 's/.*data-wasm-opt-params="\([^"]*\)".*/\1/p')"
level="$(sed -n '/data-bin="stackwise"/,/>/p' index.html | sed -n 's/.*data-wasm-opt="\([^"]*\)".*/\1/p')"
[[ -n "$level" ]] || die "index.html names no data-wasm-opt level for the page's wasm"
# shellcheck disable=SC2086 # the features are separate arguments
wasm-opt "-O$level" --debuginfo $params "$out/stackwise_bg.wasm" -o "$out/stackwise_names.wasm"
node "$ROOT/scripts/size-where.mjs" "$out/stackwise_names.wasm" "${1:-25}"
