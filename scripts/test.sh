#!/usr/bin/env bash
# Installs what is missing, then runs every check, fastest first:
#   formatting, clippy (native and wasm32), native tests and the API docs
#   (scripts/check.sh, also the quick loop on its own), the scripts' own
#   tests, a CI-sized fuzz pass, browser component tests (headless
#   Chromium), the release build, end-to-end tests against the built page,
#   and the size report.
# Stops at the first failing step; with KEEP_GOING=1 it runs every step and
# fails at the end if any failed. Prints how long each step took.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-auto}"
started="$(now)"
timings=()
failed=()
current=""

summary() {
  local line
  echo
  echo "Step timings:"
  for line in "${timings[@]}"; do
    echo "  $line"
  done
}

on_exit() {
  local status=$?
  if [[ $status -ne 0 ]]; then
    [[ -n "$current" ]] && timings+=("$(printf '%-34s FAILED' "$current")")
    summary
    echo
    echo "${_red}test.sh: FAILED at step \"${current:-setup}\" after $(($(now) - started))s${_reset}"
  fi
}
trap on_exit EXIT

# step NAME COMMAND...: runs one step, records its duration.
step() {
  local name="$1" begin
  shift
  current="$name"
  begin="$(now)"
  say "$name"
  if [[ -n "${KEEP_GOING:-}" ]]; then
    if ! "$@"; then
      timings+=("$(printf '%-34s %4ss FAILED' "$name" "$(($(now) - begin))")")
      failed+=("$name")
      current=""
      return 0
    fi
  else
    "$@"
  fi
  timings+=("$(printf '%-34s %4ss' "$name" "$(($(now) - begin))")")
  current=""
}

step "setup (install what is missing)" bash scripts/setup.sh
export STACKWISE_SETUP_DONE=1

# Formatting, clippy (native and wasm32), native tests and the API docs.
step "checks (scripts/check.sh)" bash scripts/check.sh
# The scripts' own tests (no page needed): the size report's wasm reader.
step "script tests (node --test)" node --test scripts/*.test.mjs
# Every surface that reads untrusted input, and the model at extreme
# scenarios, a few seconds each; fails on any panic or accepted non-finite
# value. The long pass is in the README.
step "fuzz pass (CI-sized)" cargo run -q --profile fuzz --example fuzz -- --inputs 5000 --model-inputs 150
step "browser tests (wasm, Chromium)" cargo test --target wasm32-unknown-unknown --test web
step "release build (trunk)" bash scripts/build.sh
# A test that hangs (a page promise that never settles) fails after three
# minutes instead of holding the run; the longest takes about 15 s.
step "end-to-end tests (node --test)" node --test --test-timeout=180000 e2e/*.test.mjs
step "size report" bash scripts/size-report.sh --no-build
# The bench kit, CI-sized (about 40 s of bounded load on 127.0.0.1): its
# output must be a file the page's importer accepts.
step "bench kit (quick run, importable)" bash -c \
  'bench-kit/run.sh --quick --no-install --out target/bench-kit/measurements.json && cargo run -q --example check_measurements -- target/bench-kit/measurements.json'

trap - EXIT
summary
echo
if ((${#failed[@]} > 0)); then
  echo "${_red}test.sh: FAILED steps: ${failed[*]} ($(($(now) - started))s)${_reset}"
  exit 1
fi
echo "${_green}test.sh: all checks passed in $(($(now) - started))s${_reset}"
