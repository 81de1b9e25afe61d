#!/usr/bin/env bash
# Installs what is missing, then serves the page with live reload:
#   scripts/serve.sh               -> http://127.0.0.1:8080
#   PORT=9000 scripts/serve.sh     -> http://127.0.0.1:9000
# Extra arguments go to `trunk serve` (for example --release).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

bash "$ROOT/scripts/setup.sh"

address="${ADDRESS:-127.0.0.1}"
port="${PORT:-8080}"
say "serving Stackwise: open http://$address:$port/ (Ctrl-C stops)"
exec trunk serve --address "$address" --port "$port" "$@"
