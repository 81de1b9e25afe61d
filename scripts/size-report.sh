#!/usr/bin/env bash
# Prints the size of every file the page loads (dist/), raw and brotli, and
# the total against the 200 KB brotli budget. Builds the release page first
# when dist/ is missing, is a development build (trunk serve), or is older
# than the sources. `--no-build` measures dist/ as it is.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

needs_build() {
  [[ -f dist/index.html ]] || return 0
  # trunk serve injects its live-reload client into development builds.
  grep -q "__trunk_address__\|/.well-known/trunk/ws" dist/index.html && return 0
  [[ -n "$(find src style public index.html Trunk.toml Cargo.toml Cargo.lock \
    -newer dist/index.html -print -quit 2>/dev/null)" ]]
}

if [[ "${1:-}" != "--no-build" ]] && needs_build; then
  bash "$ROOT/scripts/build.sh"
fi
node "$ROOT/scripts/size-report.mjs" dist
