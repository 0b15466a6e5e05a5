#!/usr/bin/env bash
# Per-tenant rate limits, in one run:
#  1. accuracy: each plan paced at twice its rate (bench/rate-limiter) for ACCURACY_SECONDS, against one node,
#     two nodes sharing Redis, and — for contrast — two nodes without Redis; allowed requests beside what one
#     exact GCRA limiter would allow for the same send times;
#  2. cost: req/s of GET /api/v1/me (wrk) with the limiter off, in-process, and in Redis, on a business tenant
#     whose limit is raised so that no request is refused: every request pays for a decision.
# Environment: ACCURACY_SECONDS (default 120), DURATION (wrk, default 10s), CONNECTIONS (default 64), ROUNDS (3).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${ACCURACY_SECONDS:-120}
duration=${DURATION:-10s}
connections=${CONNECTIONS:-64}
rounds=${ROUNDS:-3}

need() { # command package
  command -v "$1" >/dev/null && return
  apt-get install -y -q "$2" >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q "$2" >/dev/null; }
}
need wrk wrk
need redis-server redis-server

work=$(mktemp -d /tmp/penguinmails-ratebench.XXXXXX)
pids=()
stop_nodes() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait "${pids[@]}" 2>/dev/null || true; pids=(); }
cleanup() {
  stop_nodes
  [ -f "$work/redis.pid" ] && kill "$(cat "$work/redis.pid")" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { local p=$1; while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done; echo "$p"; }

echo "building…" >&2
dotnet publish src/PenguinMails -c Release -o "$work/app" -v q >/dev/null
dotnet publish bench/rate-limiter -c Release -o "$work/load" -v q >/dev/null

redis_port=$(free_port 6400)
redis-server --daemonize yes --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
  --pidfile "$work/redis.pid" --logfile "$work/redis-server.log" --dir "$work"
redis="127.0.0.1:$redis_port"

# Every node and CLI call shares one SQLite database (and so one key-hash secret) in the data directory.
export PenguinMails__DataDirectory="$work/data" Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production
cli() { dotnet "$work/app/penguinmails.dll" "$@" 2>>"$work/cli.log"; }

node_url=""
start_node() { # name [NAME=value ...]: sets node_url
  local name=$1 port
  shift
  port=$(free_port 5100)
  env ASPNETCORE_URLS="http://127.0.0.1:$port" "$@" dotnet "$work/app/penguinmails.dll" serve >"$work/node-$name.log" 2>&1 &
  pids+=($!)
  node_url="http://127.0.0.1:$port"
  for _ in $(seq 1 150); do curl -sf "$node_url/healthz" >/dev/null && return; sleep 0.2; done
  echo "node $name did not start:" >&2; cat "$work/node-$name.log" >&2; exit 1
}
rate_limiter() { curl -s "$1/readyz" | sed -E 's/.*"rate_limiter":"([^"]*)".*/\1/'; }

# --- 1. accuracy ---------------------------------------------------------------------------------
start_node a PenguinMails__Redis__ConnectionString="$redis"; a=$node_url
start_node b PenguinMails__Redis__ConnectionString="$redis"; b=$node_url
start_node c; c=$node_url
start_node d; d=$node_url
for url in "$a" "$b"; do
  for _ in $(seq 1 50); do [ "$(rate_limiter "$url")" = redis ] && break; sleep 0.2; done
done

declare -A per_minute=([starter]=60 [professional]=300 [business]=1000) burst=([starter]=100 [professional]=500 [business]=2000)
declare -A nodes_of=([one]="$a" [two]="$a,$b" [local]="$c,$d")
declare -A label=([one]="1 node (Redis)" [two]="2 nodes sharing Redis" [local]="2 nodes, no Redis (each limits alone)")
echo "creating tenants and keys…" >&2
for plan in starter professional business; do
  for scenario in one two local; do
    slug=$(cli tenants create --name "$plan $scenario" --plan "$plan")
    cli keys create --tenant "$slug" --name bench --preset read_only >"$work/key-$plan-$scenario"
  done
done

echo "pacing each plan at twice its rate for ${seconds} s…" >&2
for plan in starter professional business; do
  for scenario in one two local; do
    echo "$plan-$scenario $(cat "$work/key-$plan-$scenario") $(awk -v m="${per_minute[$plan]}" 'BEGIN {print 2 * m / 60}') $seconds" \
      "${per_minute[$plan]} ${burst[$plan]} ${nodes_of[$scenario]}"
  done
done | dotnet "$work/load/RateLimiterBench.dll" >"$work/accuracy"
outages() { cat "$@" | grep -c "Redis is unreachable" || true; }
accuracy_outages=$(outages "$work/node-a.log" "$work/node-b.log")

echo
echo "### Accuracy: allowed vs one exact limiter, each plan paced at twice its rate for ${seconds} s"
echo
echo "| plan | nodes | sent | allowed | ideal (exact GCRA, same send times) | allowed / ideal | refused | other |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
for plan in starter professional business; do
  for scenario in one two local; do
    read -r _ sent allowed refused other ideal _ < <(grep "^$plan-$scenario " "$work/accuracy")
    printf '| %s (%s/min, burst %s) | %s | %s | %s | %s | %.4f | %s | %s |\n' "$plan" "${per_minute[$plan]}" "${burst[$plan]}" \
      "${label[$scenario]}" "$sent" "$allowed" "$ideal" "$(awk -v a="$allowed" -v i="$ideal" 'BEGIN {print a / i}')" "$refused" "$other"
  done
done
echo
echo "Redis nodes fell back to local limits $accuracy_outages times during the run."
stop_nodes

# --- 2. cost -------------------------------------------------------------------------------------
# One request per microsecond and a burst of a billion: the limiter decides every request and refuses none.
# The three nodes run side by side and are measured in turn, ROUNDS times, so that whatever else the machine
# does falls on all three alike; the table shows each one's median round.
raise=(PenguinMails__RateLimits__Business__PerMinute=60000000 PenguinMails__RateLimits__Business__Burst=1000000000)
slug=$(cli tenants create --name "throughput" --plan business)
key=$(cli keys create --tenant "$slug" --name wrk --preset read_only)
declare -A url_of
start_node off PenguinMails__RateLimits__Enabled=false; url_of[off]=$node_url
start_node local "${raise[@]}"; url_of[local]=$node_url
start_node redis "${raise[@]}" PenguinMails__Redis__ConnectionString="$redis"; url_of[redis]=$node_url
for _ in $(seq 1 50); do [ "$(rate_limiter "${url_of[redis]}")" = redis ] && break; sleep 0.2; done
echo "measuring throughput, $rounds rounds…" >&2
for mode in off local redis; do
  wrk -t2 "-c$connections" -d3s -H "Authorization: Bearer $key" "${url_of[$mode]}/api/v1/me" >/dev/null # warm-up
done
for round in $(seq 1 "$rounds"); do
  for mode in off local redis; do
    out="$work/wrk-$mode-$round.txt"
    wrk -t2 "-c$connections" "-d$duration" --latency -H "Authorization: Bearer $key" "${url_of[$mode]}/api/v1/me" >"$out"
    if grep -q "Non-2xx" "$out"; then echo "$mode: non-2xx responses" >&2; cat "$out" >&2; exit 1; fi
    echo "$(awk '/Requests\/sec/ {print $2}' "$out") $out" >>"$work/rps-$mode"
  done
done
redis_state=$(rate_limiter "${url_of[redis]}")
stop_nodes
cost_outages=$(outages "$work/node-redis.log")

median() { sort -n "$work/rps-$1" | awk '{line[NR] = $0} END {print line[int((NR + 1) / 2)]}'; }
pct() { awk -v p="$2" '$1 == p {print $2}' "$1"; }
read -r off_rps _ < <(median off)
echo
echo "### Cost: GET /api/v1/me, wrk -t2 -c$connections -d$duration, median of $rounds interleaved rounds, client and server on the same $(nproc) cores"
echo
echo "| limiter | req/s (median) | all rounds | p50 | p99 | req/s vs off |"
echo "|---|---:|---|---:|---:|---:|"
declare -A names=([off]="off (PenguinMails:RateLimits:Enabled=false)" [local]="in-process store" [redis]="Redis store (one Lua script per request)")
for mode in off local redis; do
  read -r rps file < <(median "$mode")
  printf '| %s | %s | %s | %s | %s | %.2f |\n' "${names[$mode]}" "$rps" "$(awk '{printf "%s%s", sep, $1; sep=" / "}' "$work/rps-$mode")" \
    "$(pct "$file" 50%)" "$(pct "$file" 99%)" "$(awk -v a="$rps" -v b="$off_rps" 'BEGIN {print a / b}')"
done
echo
echo "Redis node after the run: rate_limiter=$redis_state; fallbacks to local limits during the run: $cost_outages."
