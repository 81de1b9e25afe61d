#!/usr/bin/env bash
# Installs whatever is missing to build, serve and test Stackwise on a
# Debian machine with rustup, as root or through sudo. Safe to run again: it
# checks first and is quick when everything is in place. It downloads only
# from the package registries (apt, crates.io through cargo/rustup, npm).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

# Runs a command as root: directly when root, else through sudo.
as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "installing system packages needs root, and sudo is not available" \
      "run this script as root, or install sudo"
  fi
}

# First line of `cmd --version`, or nothing when the command is missing.
version_of() { "$@" --version 2>/dev/null | head -n 1 || true; }

# Version of a package in Cargo.lock.
lock_version() {
  awk -v name="$1" '
    $0 == "name = \"" name "\"" { found = 1; next }
    found && /^version = / { gsub(/"/, "", $3); print $3; exit }
  ' Cargo.lock
}

# ---------------------------------------------------------------- Rust
command -v rustup >/dev/null 2>&1 ||
  die "rustup is not installed (Stackwise builds with Rust through rustup)" \
    "install rustup from https://rustup.rs, then open a new shell"
command -v cargo >/dev/null 2>&1 ||
  die "cargo is not on PATH" "source \"\$HOME/.cargo/env\""

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
installed_components="$(rustup component list --installed)"
# rust-src: the release build compiles the standard library for the page
# itself (scripts/build.sh).
for component in clippy rustfmt rust-src; do
  if ! grep -q "^$component" <<<"$installed_components"; then
    say "adding the $component component"
    rustup component add "$component"
  fi
done
# The release build asks this rustc for a panic strategy that is not stable
# yet (lib.sh, with_release_std): a rustc that does not know it stops here,
# not halfway through the build.
# shellcheck disable=SC2086 # the flags are words
if ! with_release_std rustc $RELEASE_WASM_RUSTFLAGS \
  --target wasm32-unknown-unknown --print cfg >/dev/null 2>&1; then
  die "rustc $(rustc --version | cut -d' ' -f2) does not know -C panic=immediate-abort" \
    "the release build needs it (scripts/build.sh); rustc 1.95 has it"
fi
ok "rust $(rustc --version | cut -d' ' -f2), wasm32 target, clippy, rustfmt, rust-src"

# ---------------------------------------------------------------- apt
missing=()
for package in chromium chromium-driver brotli wrk fonts-dejavu-core nginx-light libnginx-mod-http-brotli-static poppler-utils; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
command -v cc >/dev/null 2>&1 || missing+=(build-essential)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]} > 0)); then
  command -v apt-get >/dev/null 2>&1 ||
    die "missing system packages: ${missing[*]}, and apt-get is not available" \
      "install ${missing[*]} with this system's package manager"
  say "installing system packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

command -v chromium >/dev/null 2>&1 ||
  die "chromium is not installed" "apt-get install -y chromium chromium-driver"
command -v chromedriver >/dev/null 2>&1 ||
  die "chromedriver is not installed" "apt-get install -y chromium chromium-driver"
chromium_major="$(chromium --version 2>/dev/null | grep -oE '[0-9]+' | head -n 1 || true)"
driver_major="$(chromedriver --version 2>/dev/null | grep -oE '[0-9]+' | head -n 1 || true)"
[[ -n "$chromium_major" && "$chromium_major" == "$driver_major" ]] ||
  die "chromium ($chromium_major) and chromedriver ($driver_major) major versions differ" \
    "apt-get install -y chromium chromium-driver"
command -v brotli >/dev/null 2>&1 || die "brotli is not installed" "apt-get install -y brotli"
command -v wrk >/dev/null 2>&1 || die "wrk is not installed" "apt-get install -y wrk"
ok "chromium $chromium_major with chromedriver, brotli, wrk"

node_major="$(node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/' || true)"
[[ "$node_major" =~ ^[0-9]+$ && "$node_major" -ge 18 ]] ||
  die "Node.js 18 or newer is needed, found '$(node --version 2>/dev/null || echo none)'" \
    "apt-get install -y nodejs npm"
ok "node $(node --version)"

# ---------------------------------------------------------------- cargo tools
trunk_found="$(version_of trunk)"
if [[ "$trunk_found" != "trunk $TRUNK_VERSION" ]]; then
  say "installing trunk $TRUNK_VERSION (found: ${trunk_found:-none}); this takes several minutes"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi
ok "trunk $TRUNK_VERSION"

crate_bindgen="$(lock_version wasm-bindgen)"
[[ -n "$crate_bindgen" ]] ||
  die "could not read the wasm-bindgen version from Cargo.lock" "cargo generate-lockfile"
[[ "$crate_bindgen" == "$WASM_BINDGEN_VERSION" ]] ||
  die "Cargo.lock uses wasm-bindgen $crate_bindgen but scripts/lib.sh and Trunk.toml pin $WASM_BINDGEN_VERSION" \
    "set WASM_BINDGEN_VERSION in scripts/lib.sh and [tools] wasm_bindgen in Trunk.toml to \"$crate_bindgen\""
grep -q "^wasm_bindgen = \"$crate_bindgen\"" Trunk.toml ||
  die "Trunk.toml [tools] wasm_bindgen does not name $crate_bindgen (the version in Cargo.lock)" \
    "set wasm_bindgen = \"$crate_bindgen\" under [tools] in Trunk.toml"
bindgen_found="$(version_of wasm-bindgen | cut -d' ' -f2)"
if [[ -z "$bindgen_found" ]]; then
  say "installing wasm-bindgen-cli $crate_bindgen; this takes several minutes"
  cargo install wasm-bindgen-cli --version "$crate_bindgen"
  bindgen_found="$(version_of wasm-bindgen | cut -d' ' -f2)"
fi
[[ "$bindgen_found" == "$crate_bindgen" ]] ||
  die "wasm-bindgen CLI is $bindgen_found but the wasm-bindgen crate in Cargo.lock is $crate_bindgen; they must be equal" \
    "cargo install wasm-bindgen-cli --version $crate_bindgen --force"
command -v wasm-bindgen-test-runner >/dev/null 2>&1 ||
  die "wasm-bindgen-test-runner is missing (it comes with wasm-bindgen-cli)" \
    "cargo install wasm-bindgen-cli --version $crate_bindgen --force"
ok "wasm-bindgen $crate_bindgen (CLI matches Cargo.lock)"

# ---------------------------------------------------------------- npm
# npm ci when node_modules is missing or older than package-lock.json.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
fi
wasm_opt_found="$(version_of wasm-opt)"
[[ "$wasm_opt_found" == "wasm-opt version $WASM_OPT_VERSION"* ]] ||
  die "wasm-opt should be version $WASM_OPT_VERSION from node_modules (npm binaryen), found '${wasm_opt_found:-none}'" \
    "npm ci"
[[ -d node_modules/playwright-core && -f node_modules/axe-core/axe.min.js ]] ||
  die "playwright-core or axe-core is missing from node_modules" "npm ci"
ok "npm packages: playwright-core, axe-core, binaryen (wasm-opt $WASM_OPT_VERSION)"

# ---------------------------------------------------------------- crates
cargo fetch --quiet
# The standard library's own crates, for the release build (lib.sh,
# with_release_std), which runs offline like every other.
with_release_std cargo fetch --quiet --target wasm32-unknown-unknown
ok "crates fetched, the standard library's too (builds run offline)"

# ---------------------------------------------------------------- bench kit
# The reference servers' packages (PyPI and npm), so the test run installs
# nothing.
bash bench-kit/run.sh --install-only
ok "bench kit: FastAPI in bench-kit/.venv, Express and Fastify in bench-kit/node_modules"
