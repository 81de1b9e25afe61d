#!/usr/bin/env bash
# Release build of the page into dist/: trunk build --release, offline, with
# wasm-opt -O2 for the page and -O3 for the worker (`data-wasm-opt` in
# index.html); then the hosted page is finished (inline scripts pinned in
# its Content-Security-Policy by hash, the same policy as a header in
# dist/csp.conf, the service worker's file list), the self-contained
# dist/stackwise.html is written for use from disk, and every text file and
# the wasm get .br and .gz beside them.
# Extra arguments go to `trunk build`.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

if [[ -z "${STACKWISE_SETUP_DONE:-}" ]]; then
  bash "$ROOT/scripts/setup.sh"
fi

# Both wasm files are built with the standard library compiled along with
# them and without the panic machinery (lib.sh, with_release_std): 18.6 KB
# brotli less in the page's wasm (388.4 -> 369.8 KB, both with wasm-opt
# -Oz), 7 KB in the worker's. A panic in the release page stops it without
# a message in the console; `scripts/serve.sh` builds keep the messages.
say "trunk build --release (offline; std built with the page, panics without messages)"
with_release_std trunk build --release "$@"
node "$ROOT/scripts/finish-hosted.mjs" dist
node "$ROOT/scripts/single-file.mjs" dist
# A static server sends these as they are (hosting/nginx.conf: brotli_static,
# gzip_static) rather than compressing on every request.
say "precompressing every text file and the wasm (.br, .gz)"
find dist -maxdepth 1 -type f \( -name '*.html' -o -name '*.js' -o -name '*.css' \
  -o -name '*.wasm' -o -name '*.svg' -o -name '*.webmanifest' \) -print0 |
  while IFS= read -r -d '' file; do
    brotli --quality=11 --force --keep "$file"
    gzip -9 --no-name --force --keep "$file"
  done
ok "release build in dist/ (hosted page, and dist/stackwise.html for use from disk)"
