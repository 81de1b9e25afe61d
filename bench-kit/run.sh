#!/usr/bin/env bash
# Stackwise bench kit: loads the same four endpoints in FastAPI (Uvicorn),
# Express and Fastify on this machine and writes a Stackwise measurements
# file. See README.md next to this script.
#
# Usage: bench-kit/run.sh [options]
#   --quick              CI-sized: 1 s warm-up + 2 s measured per endpoint
#   --duration S         measured seconds per endpoint (default 10)
#   --warmup S           warm-up seconds per endpoint (default 3; 1 with --quick)
#   --workers N[,N...]   server processes per stack, one run each (default 1)
#   --sweep              every worker count from 1 to this machine's CPUs
#   --tool T             wrk (default), autocannon or oha
#   --connections N      connections for every endpoint (default 64; /io 256)
#   --stacks LIST        comma-separated, default fastapi,express,fastify
#   --endpoints LIST     comma-separated, default json,io,cpu,post
#   --out PATH           default bench-kit/results/measurements.json
#   --no-install         use .venv and node_modules as they are
#   --install-only       install what is missing, then stop (set-up does this)
#   -h, --help           this text
#
# Only 127.0.0.1 is ever loaded; every load run is bounded in time and stops
# by itself; every server started here is stopped on exit, also on Ctrl-C.
# The servers and the load tool are pinned to different CPUs where the
# machine has enough of them; where it does not, a warning says so.
set -euo pipefail

KIT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HOST=127.0.0.1

quick=0
duration=10
warmup=3
warmup_set=0
workers_list=1
workers_set=0
sweep=0
tool=wrk
connections=""
stacks="fastapi,express,fastify"
endpoints="json,io,cpu,post"
out="$KIT_DIR/results/measurements.json"
install=1
install_only=0

usage() { sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
die() { echo "run.sh: $*" >&2; exit 2; }
positive_int() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || die "$1 needs a whole number >= 1, got '$2'"; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1; duration=2; shift ;;
    --duration) positive_int "$1" "${2:-}"; duration="$2"; shift 2 ;;
    --warmup) [[ "${2:-}" =~ ^[0-9]+$ ]] || die "--warmup needs a whole number of seconds"; warmup="$2"; warmup_set=1; shift 2 ;;
    --workers)
      [[ "${2:-}" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || die "--workers needs whole numbers >= 1, comma-separated, got '${2:-}'"
      workers_list="$2"; workers_set=1; shift 2 ;;
    --sweep) sweep=1; shift ;;
    --tool) tool="${2:-}"; shift 2 ;;
    --connections) positive_int "$1" "${2:-}"; connections="$2"; shift 2 ;;
    --stacks) stacks="${2:-}"; shift 2 ;;
    --endpoints) endpoints="${2:-}"; shift 2 ;;
    --out) out="${2:-}"; [[ -n "$out" ]] || die "--out needs a path"; shift 2 ;;
    --no-install) install=0; shift ;;
    --install-only) install_only=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
if [[ $quick -eq 1 && $warmup_set -eq 0 ]]; then warmup=1; fi
if [[ $sweep -eq 1 && $workers_set -eq 1 ]]; then die "--sweep and --workers: give one of them"; fi

case "$tool" in wrk|autocannon|oha) ;; *) die "--tool must be wrk, autocannon or oha" ;; esac
IFS=',' read -r -a stack_list <<< "$stacks"
IFS=',' read -r -a endpoint_list <<< "$endpoints"
for s in "${stack_list[@]}"; do
  case "$s" in fastapi|express|fastify) ;; *) die "unknown stack '$s'" ;; esac
done
for e in "${endpoint_list[@]}"; do
  case "$e" in json|io|cpu|post) ;; *) die "unknown endpoint '$e'" ;; esac
done

# ---------------------------------------------------------------- install --
need() { command -v "$1" > /dev/null 2>&1 || die "$1 is not installed ($2)"; }
need python3 "Python 3.10+ for FastAPI"
need node "Node.js 20+ for Express and Fastify"
need npm "comes with Node.js"

stamp_of() { cksum "$1" | cut -d' ' -f1; }

if [[ $install -eq 1 ]]; then
  if [[ ! -x "$KIT_DIR/.venv/bin/python" ]]; then
    echo "run.sh: creating $KIT_DIR/.venv" >&2
    python3 -m venv "$KIT_DIR/.venv"
  fi
  want="$(stamp_of "$KIT_DIR/requirements.txt")"
  if [[ "$(cat "$KIT_DIR/.venv/.stackwise-stamp" 2>/dev/null || true)" != "$want" ]]; then
    echo "run.sh: installing requirements.txt into .venv" >&2
    "$KIT_DIR/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$KIT_DIR/requirements.txt"
    echo "$want" > "$KIT_DIR/.venv/.stackwise-stamp"
  fi
  want="$(stamp_of "$KIT_DIR/package-lock.json")"
  if [[ "$(cat "$KIT_DIR/node_modules/.stackwise-stamp" 2>/dev/null || true)" != "$want" ]]; then
    echo "run.sh: installing package-lock.json into node_modules" >&2
    (cd "$KIT_DIR" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" > "$KIT_DIR/node_modules/.stackwise-stamp"
  fi
fi
if [[ $install_only -eq 1 ]]; then
  echo "run.sh: .venv and node_modules are in place" >&2
  exit 0
fi
PY="$KIT_DIR/.venv/bin/python"
[[ -x "$PY" ]] || die "no .venv: run without --no-install once"
[[ -d "$KIT_DIR/node_modules/fastify" ]] || die "no node_modules: run without --no-install once"

case "$tool" in
  wrk)
    need wrk "Debian/Ubuntu: apt-get install wrk; macOS: brew install wrk"
    # `wrk -v` prints its version, then exits 1.
    tool_version="$( (wrk -v 2>&1 || true) | head -n1 | sed -E 's/^wrk ([^ ]+).*/wrk \1/')" ;;
  autocannon)
    AUTOCANNON="$KIT_DIR/node_modules/.bin/autocannon"
    [[ -x "$AUTOCANNON" ]] || die "autocannon is missing from node_modules (npm ci)"
    tool_version="autocannon $(node -p "require('$KIT_DIR/node_modules/autocannon/package.json').version")" ;;
  oha)
    need oha "cargo install oha --locked"
    tool_version="$(oha --version | head -n1)" ;;
esac

# ------------------------------------------------------ processes, cleanup --
work_dir="$(mktemp -d)"
server_pid=""

stop_server() {
  if [[ -n "$server_pid" ]]; then
    # The server leads its own process group (start_server): end the group, so
    # Uvicorn's and Node cluster's worker processes go too.
    kill -TERM -- "-$server_pid" 2> /dev/null || true
    for _ in $(seq 1 50); do
      kill -0 -- "-$server_pid" 2> /dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$server_pid" 2> /dev/null || true
    wait "$server_pid" 2> /dev/null || true
    server_pid=""
  fi
}
cleanup() {
  stop_server
  rm -rf "$work_dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cpus="$(getconf _NPROCESSORS_ONLN 2> /dev/null || echo 1)"
if [[ $sweep -eq 1 ]]; then workers_list="$(seq -s, 1 "$cpus")"; fi
IFS=',' read -r -a worker_counts <<< "$workers_list"
[[ ${#worker_counts[@]} -le 64 ]] || die "--workers: at most 64 worker counts"
for n in "${worker_counts[@]}"; do
  [[ "$n" -le 4096 ]] || die "--workers: $n is more than 4096 workers"
done

# Pinning, per worker count N on a machine of C CPUs: with N < C and taskset,
# the servers get CPUs 0 to N-1 and the load tool the rest, so they do not
# compete for a core. Otherwise nothing is pinned and the load tool shares
# cores with the servers: the run is flagged and a warning printed.
server_cpus=""
load_cpus=""
cpu_layout=""
shared=0
shared_at=()
pin_for() {
  local n="$1"
  server_cpus=""
  load_cpus=""
  shared=1
  if [[ "$n" -lt "$cpus" ]] && command -v taskset > /dev/null 2>&1; then
    local last=$((cpus - 1)) servers="0" tool_cpus="$n"
    [[ "$n" -gt 1 ]] && servers="0-$((n - 1))"
    [[ "$n" -lt "$last" ]] && tool_cpus="$n-$last"
    server_cpus="taskset -c $servers"
    load_cpus="taskset -c $tool_cpus"
    cpu_layout="servers on CPU $servers, load tool on CPU $tool_cpus"
    shared=0
  elif [[ "$n" -lt "$cpus" ]]; then
    cpu_layout="not pinned (no taskset): the load tool may share CPUs with the servers"
  else
    cpu_layout="not pinned: $n worker(s) on $cpus CPU(s), the load tool shares them"
  fi
}

free_port() {
  "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_until_up() {
  local url="$1" deadline=$((SECONDS + 20))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$server_pid" 2> /dev/null; then
      echo "run.sh: the server exited while starting; its log:" >&2
      cat "$work_dir/server.log" >&2
      return 1
    fi
    if "$PY" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' "$url" 2> /dev/null; then
      return 0
    fi
    sleep 0.2
  done
  echo "run.sh: no answer from $url after 20 s; server log:" >&2
  cat "$work_dir/server.log" >&2
  return 1
}

# Starts STACK on PORT in the background, as the leader of its own process
# group (job control on for that one command), so stop_server can end the
# server and every worker process it forks.
start_server() {
  local stack="$1" port="$2" workers="$3"
  set -m
  case "$stack" in
    fastapi)
      server_desc="uvicorn --workers $workers --loop uvloop --http httptools --no-access-log"
      (cd "$KIT_DIR/servers" && exec $server_cpus "$KIT_DIR/.venv/bin/uvicorn" fastapi_app:app \
        --host "$HOST" --port "$port" --workers "$workers" --loop uvloop --http httptools \
        --no-access-log --log-level warning) > "$work_dir/server.log" 2>&1 &
      ;;
    express|fastify)
      if [[ "$workers" -gt 1 ]]; then server_desc="node cluster, $workers workers"; else server_desc="node, 1 process"; fi
      (cd "$KIT_DIR/servers" && PORT="$port" WORKERS="$workers" NODE_ENV=production \
        exec $server_cpus node "${stack}_app.js") > "$work_dir/server.log" 2>&1 &
      ;;
  esac
  server_pid=$!
  set +m
}

# ------------------------------------------------------------------- load --
post_body='{"name":"widget","quantity":3,"price":9.99,"tags":["a","b"]}'
cat > "$work_dir/post.lua" << EOF
wrk.method = "POST"
wrk.body = '$post_body'
wrk.headers["Content-Type"] = "application/json"
EOF

path_of() { case "$1" in json) echo /json ;; io) echo /io ;; cpu) echo /cpu ;; post) echo /validate ;; esac; }
connections_of() {
  if [[ -n "$connections" ]]; then echo "$connections"
  elif [[ "$1" == io ]]; then echo 256
  else echo 64
  fi
}

# load ENDPOINT URL SECONDS CONNECTIONS OUTPUT: one bounded run of the tool.
# Each tool stops itself after SECONDS; `timeout` (where there is one) is a
# second bound in case a tool hangs.
load() {
  local endpoint="$1" url="$2" seconds="$3" conns="$4" output="$5"
  local bound=()
  if command -v timeout > /dev/null 2>&1; then bound=(timeout --foreground $((seconds + 30))); fi
  case "$tool" in
    wrk)
      local script=()
      [[ "$endpoint" == post ]] && script=(-s "$work_dir/post.lua")
      ${bound[@]+"${bound[@]}"} $load_cpus wrk -t1 -c"$conns" -d"${seconds}s" --timeout 5s --latency \
        ${script[@]+"${script[@]}"} "$url" > "$output"
      ;;
    autocannon)
      local body=()
      [[ "$endpoint" == post ]] && body=(-m POST -H "content-type=application/json" -b "$post_body")
      ${bound[@]+"${bound[@]}"} $load_cpus "$AUTOCANNON" --json -c "$conns" -d "$seconds" \
        ${body[@]+"${body[@]}"} "$url" > "$output" 2> /dev/null
      ;;
    oha)
      local body=()
      [[ "$endpoint" == post ]] && body=(-m POST -T application/json -d "$post_body")
      ${bound[@]+"${bound[@]}"} $load_cpus oha --no-tui --output-format json -c "$conns" \
        -z "${seconds}s" ${body[@]+"${body[@]}"} "$url" > "$output"
      ;;
  esac
}

manifest="$work_dir/manifest.tsv"
: > "$manifest"
started=$SECONDS
echo "run.sh: $tool_version, ${#stack_list[@]} stacks x ${#endpoint_list[@]} endpoints x" \
  "${#worker_counts[@]} worker count(s) ($workers_list), ${warmup}s warm-up + ${duration}s each," \
  "$cpus CPU(s)" >&2

for stack in "${stack_list[@]}"; do
  for workers in "${worker_counts[@]}"; do
    pin_for "$workers"
    if [[ $shared -eq 1 ]]; then
      shared_at+=("$stack at $workers worker(s)")
      echo "run.sh: warning: $stack with $workers worker(s): $cpu_layout" >&2
    fi
    port="$(free_port)"
    start_server "$stack" "$port" "$workers"
    wait_until_up "http://$HOST:$port/json"
    for endpoint in "${endpoint_list[@]}"; do
      url="http://$HOST:$port$(path_of "$endpoint")"
      conns="$(connections_of "$endpoint")"
      if [[ "$warmup" -gt 0 ]]; then
        load "$endpoint" "$url" "$warmup" "$conns" "$work_dir/warmup.out"
      fi
      raw="$work_dir/$stack-$endpoint-$workers.out"
      load "$endpoint" "$url" "$duration" "$conns" "$raw"
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$stack" "$endpoint" "$workers" "$tool" \
        "$conns" "$url" "$server_desc" "$cpu_layout" "$shared" "$raw" >> "$manifest"
      rps="$(grep -m1 -E '^Requests/sec:' "$raw" 2> /dev/null | awk '{print $2}' || true)"
      echo "run.sh: $stack $endpoint, $workers worker(s) done${rps:+ ($rps req/s)}" >&2
    done
    stop_server
  done
done

mkdir -p "$(dirname "$out")"
"$PY" "$KIT_DIR/collect.py" --manifest "$manifest" --out "$out" --kit-dir "$KIT_DIR" \
  --tool-version "$tool_version"
echo "run.sh: wrote $out in $((SECONDS - started)) s" >&2
if [[ ${#shared_at[@]} -gt 0 ]]; then
  shared_list="$(printf '%s, ' "${shared_at[@]}")"
  echo "run.sh: warning: the load tool shared CPUs with the servers for ${shared_list%, }" \
    "(this machine has $cpus CPU(s)): those runs understate the servers' throughput, and a fit" \
    "through them overstates contention. Load from another machine, or read those points with care." >&2
fi
