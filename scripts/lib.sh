# Shared helpers for the scripts in this directory. Source it; do not run it.
#
# Sets ROOT (the repository), puts cargo's and npm's tool directories on
# PATH, and pins the tool versions every script agrees on.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT

# Tool versions. wasm-bindgen must also equal the `wasm-bindgen` crate in
# Cargo.lock (setup.sh checks); Trunk.toml names the same versions.
TRUNK_VERSION="0.21.14"
WASM_BINDGEN_VERSION="0.2.130"
WASM_OPT_VERSION="132"

export PATH="$ROOT/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# Trunk never downloads tools or checks for updates: everything is pinned
# and installed by setup.sh.
export TRUNK_OFFLINE=true
export TRUNK_SKIP_VERSION_CHECK=true
# with_release_std COMMAND...: runs COMMAND as the release build's cargo
# runs (scripts/build.sh): the standard library compiled along with the wasm
# (-Z build-std, from the rust-src component) and a panic that stops at once
# (-C panic=immediate-abort), which leaves out the code that formats and
# reports a panic's message (README, Size). Both are unstable in rustc 1.95,
# hence RUSTC_BOOTSTRAP for this command alone; the rustflags add to those in
# .cargo/config.toml.
RELEASE_WASM_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort"
with_release_std() {
  RUSTC_BOOTSTRAP=1 \
    CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$RELEASE_WASM_RUSTFLAGS" \
    "$@"
}

# wasm-bindgen-test-runner finds chromedriver through this.
if [[ -z "${CHROMEDRIVER:-}" && -x /usr/bin/chromedriver ]]; then
  export CHROMEDRIVER=/usr/bin/chromedriver
fi

if [[ -t 1 ]]; then
  _bold=$'\e[1m' _red=$'\e[31m' _green=$'\e[32m' _yellow=$'\e[33m' _reset=$'\e[0m'
else
  _bold="" _red="" _green="" _yellow="" _reset=""
fi

say() { printf '%s==>%s %s\n' "$_bold" "$_reset" "$*"; }
ok() { printf '%s ok%s  %s\n' "$_green" "$_reset" "$*"; }
warn() { printf '%swarn%s %s\n' "$_yellow" "$_reset" "$*" >&2; }
# die MESSAGE [FIX-COMMAND]: print what is wrong and how to fix it, exit 1.
die() {
  printf '%serror:%s %s\n' "$_red" "$_reset" "$1" >&2
  if [[ $# -gt 1 ]]; then
    printf '       fix: %s\n' "$2" >&2
  fi
  exit 1
}

# Seconds since the epoch, for step timings.
now() { date +%s; }
