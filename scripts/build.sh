#!/usr/bin/env bash
# Release build of the page into dist/: trunk build --release, offline, with
# wasm-opt -Oz (asked for by `data-wasm-opt="z"` in index.html); then the
# hosted page is finished (inline scripts pinned in its Content-Security-Policy
# by hash, the service worker's file list) and the self-contained
# dist/stackwise.html is written for use from disk.
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
node "$ROOT/scripts/finish-hosted.mjs" dist
node "$ROOT/scripts/single-file.mjs" dist
ok "release build in dist/ (hosted page, and dist/stackwise.html for use from disk)"
