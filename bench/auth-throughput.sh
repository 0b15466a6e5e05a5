#!/usr/bin/env bash
# Throughput and latency of an authenticated GET (/api/v1/me: Bearer key checked from the in-memory key
# cache, no database read once warm) beside a bare endpoint of the same server (/healthz, no auth), both
# measured in the same run with wrk (Debian package, installed when missing).
#
# Environment (all optional):
#   DURATION=10s     wrk duration of each measured run
#   WARMUP=5s        wrk duration of the warm-up run of each endpoint (both are warmed up before measuring)
#   CONNECTIONS=64   wrk -c
#   THREADS=2        wrk -t
#   ROUNDS=1         bare and authenticated runs alternate this many times (a row per run; on a shared machine
#                    several rounds show how much of a difference is noise)
#   GIT_REF=<ref>    benchmark a committed revision (exported with git archive) instead of the working tree
#   RATE_LIMITS=raised|off|default
#                    per-tenant plan limits (PenguinMails:RateLimits) while measuring. raised (default): every
#                    plan's PerMinute and Burst set to 60 000 000 (10^6 req/s), so the limiter runs on every
#                    request but refuses none; off: PenguinMails__RateLimits__Enabled=false; default: as
#                    configured (wrk then meets 429s and the script fails). Ignored by a server without them.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
duration=${DURATION:-10s}
warmup=${WARMUP:-5s}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
rounds=${ROUNDS:-1}
rate_limits=${RATE_LIMITS:-raised}

die() { echo "auth-throughput: $*" >&2; exit 1; }
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer"
case $rate_limits in raised | off | default) ;; *) die "RATE_LIMITS must be raised, off or default" ;; esac

work=$(mktemp -d "${TMPDIR:-/tmp}/penguinmails-bench.XXXXXX")
server=""
child=""
cleanup() {
  if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then kill "$child" 2>/dev/null || true; fi
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- wrk ---------------------------------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
  echo "installing wrk with apt-get…" >&2
  apt-get install -y -q wrk >"$work/apt.log" 2>&1 \
    || { apt-get update -q >>"$work/apt.log" 2>&1 && apt-get install -y -q wrk >>"$work/apt.log" 2>&1; } \
    || { cat "$work/apt.log" >&2; die "could not install wrk"; }
fi

# --- build -------------------------------------------------------------------------------------------
# Build outputs go to the temp directory (--artifacts-path), so the working tree's bin/ and obj/ are untouched.
src=$root
if [ -n "${GIT_REF:-}" ]; then
  src=$work/src
  mkdir -p "$src"
  git -C "$root" archive "$GIT_REF" | tar -x -C "$src" || die "cannot export $GIT_REF"
fi
echo "publishing the server in Release ($([ -n "${GIT_REF:-}" ] && echo "$GIT_REF" || echo "working tree"))…" >&2
if ! dotnet publish "$src/src/PenguinMails" -c Release -o "$work/app" --artifacts-path "$work/artifacts" -nologo -v q \
    >"$work/publish.log" 2>&1; then
  cat "$work/publish.log" >&2
  die "dotnet publish failed"
fi

# --- server ------------------------------------------------------------------------------------------
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=$((20000 + RANDOM % 30000))
while ! port_free "$port"; do port=$((port + 1)); done
base="http://127.0.0.1:$port"

export PenguinMails__DataDirectory="$work/data"
export ASPNETCORE_URLS="$base"
export Logging__LogLevel__Default=Warning
export DOTNET_CLI_TELEMETRY_OPTOUT=1
case $rate_limits in
  raised)
    for plan in Starter Professional Business; do
      export "PenguinMails__RateLimits__${plan}__PerMinute=60000000" "PenguinMails__RateLimits__${plan}__Burst=60000000"
    done ;;
  off) export PenguinMails__RateLimits__Enabled=false ;;
  default) ;;
esac
cd "$work"
dotnet "$work/app/penguinmails.dll" serve >"$work/server.log" 2>&1 &
server=$!

ready=""
for _ in $(seq 1 150); do # up to 30 s
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; die "the server exited during start-up"; }
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/healthz" || true)" = 200 ]; then ready=1; break; fi
  sleep 0.2
done
[ -n "$ready" ] || { cat "$work/server.log" >&2; die "GET /healthz did not answer 200 within 30 s"; }

# The CLI of the same binary, with the same environment, writes to the same database. Its stdout is the key only.
if ! dotnet "$work/app/penguinmails.dll" keys create --tenant default --name bench --preset read_only \
    >"$work/key.out" 2>"$work/key.err"; then
  cat "$work/key.err" >&2
  die "keys create failed"
fi
key=$(grep -E '^pm_(live|test)_[0-9A-Za-z]{64}$' "$work/key.out" || true)
[ -n "$key" ] && [ "$(grep -c . "$work/key.out")" = 1 ] \
  || { cat "$work/key.out" "$work/key.err" >&2; die "keys create did not print exactly one key on stdout"; }

status=$(curl -s -o "$work/me.json" -w '%{http_code}' -H "Authorization: Bearer $key" "$base/api/v1/me" || true)
[ "$status" = 200 ] || { cat "$work/me.json" >&2; echo >&2; die "GET /api/v1/me with the new key answered $status, not 200"; }

# --- load --------------------------------------------------------------------------------------------
check() { # file path [header]
  if grep -q "Non-2xx or 3xx responses" "$work/$1.txt"; then
    cat "$work/$1.txt" >&2
    echo "one more request now answers: $(curl -s -i ${3:+-H "$3"} "$base$2" | head -c 600)" >&2
    die "GET $2: some responses were not 2xx/3xx (see above)"
  fi
  if grep -q "Socket errors" "$work/$1.txt"; then
    echo "warning: GET $2: $(grep 'Socket errors' "$work/$1.txt" | sed 's/^ *//')" >&2
  fi
}
run() { # file duration path [header]
  local args=("-t$threads" "-c$connections" --latency "-d$2")
  [ -n "${4:-}" ] && args+=(-H "$4")
  # In the background and waited for, so that a TERM to this script stops wrk and the server at once.
  wrk "${args[@]}" "$base$3" >"$work/$1.txt" & child=$!
  wait "$child" || die "wrk failed"
  child=""
  check "$1" "$3" "${4:-}"
}
load_before=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo n/a)
echo "load: wrk -t$threads -c$connections -d$duration --latency on each endpoint after a $warmup warm-up of each, $rounds round(s)…" >&2
# Both endpoints are warmed up before either is measured: the first seconds under load also bring the whole
# pipeline (Kestrel, middleware, JIT tiering) to its steady state, which would otherwise favour whichever runs second.
run bare.warmup "$warmup" /healthz
run auth.warmup "$warmup" /api/v1/me "Authorization: Bearer $key"
for r in $(seq 1 "$rounds"); do
  run "bare.$r" "$duration" /healthz
  run "auth.$r" "$duration" /api/v1/me "Authorization: Bearer $key"
done

# --- report ------------------------------------------------------------------------------------------
rps() { awk '/^Requests\/sec:/ {print $2}' "$work/$1.txt"; }
requests() { awk '/requests in/ {print $1}' "$work/$1.txt"; }
# wrk prints latencies as 850.00us, 1.12ms or 1.02s; report them in ms.
pct() {
  awk -v p="$2" '$1 == p {
    v = $2
    if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v) }
    else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }
    printf "%.2f", v
  }' "$work/$1.txt"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo
echo "wrk -t$threads -c$connections -d$duration --latency, after a $warmup warm-up of each endpoint; client and server share the same $(nproc) cores; 1-min load average before the runs: $load_before; rate limits: $rate_limits"
echo
echo "| endpoint | requests | req/s | p50 ms | p99 ms | req/s vs bare | p99 vs bare |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for r in $(seq 1 "$rounds"); do
  bare_rps=$(rps "bare.$r")
  bare_p99=$(pct "bare.$r" 99%)
  suffix=$([ "$rounds" -gt 1 ] && echo ", round $r" || true)
  for name in bare auth; do
    if [ "$name" = bare ]; then label="\`GET /healthz\` (bare, no auth — baseline$suffix)"; else label="\`GET /api/v1/me\` (\`Authorization: Bearer\` key$suffix)"; fi
    f=$name.$r
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$(requests "$f")" "$(rps "$f")" \
      "$(pct "$f" 50%)" "$(pct "$f" 99%)" "$(ratio "$(rps "$f")" "$bare_rps")" "$(ratio "$(pct "$f" 99%)" "$bare_p99")"
  done
done
echo
echo "Every response of every run was 2xx (wrk reported no \"Non-2xx or 3xx responses\")."
