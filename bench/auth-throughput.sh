#!/usr/bin/env bash
# req/s and latency of an authenticated GET (/api/v1/me: key check, no database once warm) beside a bare
# endpoint of the same server (/healthz), in the same run, with wrk from Debian's packages.
# DURATION (default 10s), CONNECTIONS (default 64).
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-10s}
connections=${CONNECTIONS:-64}

command -v wrk >/dev/null || { apt-get install -y -q wrk >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }; }

work=$(mktemp -d /tmp/penguinmails-bench.XXXXXX)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

dotnet publish src/PenguinMails -c Release -o "$work/app" -v q >/dev/null
port=5090; while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
export PenguinMails__DataDirectory="$work/data" ASPNETCORE_URLS="http://127.0.0.1:$port" Logging__LogLevel__Default=Warning
dotnet "$work/app/penguinmails.dll" serve >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
key=$(dotnet "$work/app/penguinmails.dll" keys create --tenant default --name bench --preset read_only 2>/dev/null)

run() { # name url [header]
  local args=(-t2 "-c$connections" --latency)
  [ -n "${3:-}" ] && args+=(-H "$3")
  wrk "${args[@]}" -d3s "$2" >/dev/null # warm-up
  wrk "${args[@]}" "-d$duration" "$2" >"$work/$1.txt"
  if grep -q "Non-2xx" "$work/$1.txt"; then echo "$1: non-2xx responses" >&2; cat "$work/$1.txt" >&2; exit 1; fi
}
run bare "http://127.0.0.1:$port/healthz"
run auth "http://127.0.0.1:$port/api/v1/me" "Authorization: Bearer $key"

rps() { awk '/Requests\/sec/ {print $2}' "$work/$1.txt"; }
pct() { awk -v p="$2" '$1 == p {print $2}' "$work/$1.txt"; }
bare=$(rps bare)
echo "wrk -t2 -c$connections -d$duration, client and server on the same $(nproc) cores"
echo
echo "| endpoint | req/s | p50 | p99 | req/s vs bare |"
echo "|---|---:|---:|---:|---:|"
for name in bare auth; do
  label=$([ "$name" = bare ] && echo "GET /healthz (bare, baseline)" || echo "GET /api/v1/me (Bearer key)")
  printf '| %s | %s | %s | %s | %.2f |\n' "$label" "$(rps $name)" "$(pct $name 50%)" "$(pct $name 99%)" "$(awk -v a="$(rps $name)" -v b="$bare" 'BEGIN {print a / b}')"
done
