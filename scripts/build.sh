#!/usr/bin/env bash
# Release build of the page into dist/: trunk build --release, offline, with
# wasm-opt -Oz (asked for by `data-wasm-opt="z"` in index.html).
# Extra arguments go to `trunk build`.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

if [[ -z "${STACKWISE_SETUP_DONE:-}" ]]; then
  bash "$ROOT/scripts/setup.sh"
fi

say "trunk build --release (offline)"
trunk build --release "$@"
ok "release build in dist/"
