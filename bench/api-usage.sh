#!/usr/bin/env bash
# Usage analytics (issue 11), two measurements against Release servers:
#  1. the request log's cost: req/s and latency of an authenticated GET (/api/v1/me) on two servers started side
#     by side, PenguinMails__ApiUsage__RequestLog=true and =false (each its own SQLite database), in alternating
#     wrk runs of the same script run;
#  2. the usage API over 30 days of a tenant that made REQUESTS (1 000 000) requests, cold cache, on each provider:
#     the roll-ups are seeded straight into the database (day and hour rows for 30 days, minute rows for the last day),
#     with the rate limiter's per-minute rows for 30 days and the raw log for the last RAW_DAYS days; then a fresh
#     server answers each query once per distinct query string, so every timed answer is computed, never cached.
#
# Environment (all optional):
#   DURATION=10s  WARMUP=30s  CONNECTIONS=64  THREADS=2  ROUNDS=2   wrk settings for part 1 (as auth-throughput.sh)
#   REQUESTS=1000000   requests the seeded tenant made over 30 days
#   RAW_DAYS=3         days of raw request rows seeded (the usage API reads them only for its 10 recent errors)
#   CALLS=5            cold usage-API calls timed per query
#   PROVIDERS=sqlite   "sqlite", "postgres" or "sqlite postgres"
#   BENCH_POSTGRES=... PostgreSQL server for the postgres run, e.g. Host=127.0.0.1;Port=5445;Username=postgres
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
duration=${DURATION:-10s}
warmup=${WARMUP:-30s}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
rounds=${ROUNDS:-2}
requests=${REQUESTS:-1000000}
raw_days=${RAW_DAYS:-3}
calls=${CALLS:-5}
providers=${PROVIDERS:-sqlite}
die() { echo "api-usage: $*" >&2; exit 1; }
for n in "$rounds" "$requests" "$raw_days" "$calls"; do [[ $n =~ ^[1-9][0-9]*$ ]] || die "ROUNDS, REQUESTS, RAW_DAYS and CALLS must be positive integers"; done

work=$(mktemp -d "${TMPDIR:-/tmp}/penguinmails-bench.XXXXXX")
servers=()
pg_dbs=()
child=""
psql_cmd() { psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -d "${2:-postgres}" -v ON_ERROR_STOP=1 -q -c "$1"; }
stop_servers() {
  for s in "${servers[@]}"; do if kill -0 "$s" 2>/dev/null; then kill "$s" 2>/dev/null || true; wait "$s" 2>/dev/null || true; fi; done
  servers=()
}
cleanup() {
  if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then kill "$child" 2>/dev/null || true; fi
  stop_servers
  for db in "${pg_dbs[@]}"; do psql_cmd "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v wrk >/dev/null || { apt-get install -y -q wrk >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q wrk >/dev/null 2>&1; }; } \
  || die "could not install wrk"
command -v sqlite3 >/dev/null || apt-get install -y -q sqlite3 >/dev/null 2>&1 || die "could not install sqlite3"

echo "publishing the server in Release…" >&2
dotnet publish "$root/src/PenguinMails" -c Release -o "$work/app" --artifacts-path "$work/artifacts" -nologo -v q \
  >"$work/publish.log" 2>&1 || { cat "$work/publish.log" >&2; die "dotnet publish failed"; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# start NAME PROVIDER REQUEST_LOG: a server with its own data directory (and database); sets base_NAME, key_NAME.
start() {
  local name=$1 provider=$2 log=$3 port=$((20000 + RANDOM % 30000)) pid k
  while ! port_free "$port"; do port=$((port + 1)); done
  local env=(PenguinMails__DataDirectory="$work/data-$name" ASPNETCORE_URLS="http://127.0.0.1:$port" Logging__LogLevel__Default=Warning
    PenguinMails__ApiUsage__RequestLog="$log" DOTNET_CLI_TELEMETRY_OPTOUT=1)
  for plan in Starter Professional Business; do
    env+=("PenguinMails__RateLimits__${plan}__PerMinute=60000000" "PenguinMails__RateLimits__${plan}__Burst=60000000")
  done
  if [ "$provider" = postgres ]; then
    env+=(PenguinMails__Database__Provider=postgres "PenguinMails__Database__ConnectionString=Host=$pg_host;Port=$pg_port;Username=$pg_user;Database=$(db_of "$name")")
  fi
  (cd "$work" && exec env "${env[@]}" dotnet "$work/app/penguinmails.dll" serve >"$work/server-$name.log" 2>&1) &
  pid=$!
  servers+=("$pid")
  for _ in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || { cat "$work/server-$name.log" >&2; die "server $name exited during start-up"; }
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz" || true)" = 200 ] && break
    sleep 0.2
  done
  eval "base_$name=http://127.0.0.1:$port"
  if [ -z "$(eval echo "\${key_$name:-}")" ]; then
    for kname in bench mobile; do
      k=$(cd "$work" && env "${env[@]}" dotnet "$work/app/penguinmails.dll" keys create --tenant default --name "$kname" --preset full_access 2>/dev/null \
        | grep -E '^pm_(live|test)_' || true)
      [ -n "$k" ] || die "keys create failed"
      [ "$kname" = bench ] && eval "key_$name=$k"
    done
    (cd "$work" && env "${env[@]}" dotnet "$work/app/penguinmails.dll" keys create --tenant default --name staging --preset read_only \
      --environment test >/dev/null 2>&1) || die "keys create failed"
  fi
}
db_of() { echo "pm_bench_${1}_$$"; }

if [[ " $providers " == *" postgres "* ]]; then
  [ -n "${BENCH_POSTGRES:-}" ] || die "set BENCH_POSTGRES to run on PostgreSQL"
  pg_host=$(sed -nE 's/.*Host=([^;]+).*/\1/p' <<<"$BENCH_POSTGRES"); pg_port=$(sed -nE 's/.*Port=([^;]+).*/\1/p' <<<"$BENCH_POSTGRES")
  pg_user=$(sed -nE 's/.*Username=([^;]+).*/\1/p' <<<"$BENCH_POSTGRES"); pg_port=${pg_port:-5432}; pg_user=${pg_user:-postgres}
fi

# --- 1. request log on and off -----------------------------------------------------------------------
start on sqlite true
start off sqlite false
run() { # file url key duration
  wrk "-t$threads" "-c$connections" --latency "-d$4" -H "Authorization: Bearer $3" "$2/api/v1/me" >"$work/$1.txt" & child=$!
  wait "$child" || die "wrk failed"
  child=""
  ! grep -q "Non-2xx or 3xx responses" "$work/$1.txt" || { cat "$work/$1.txt" >&2; die "$2: some answers were not 2xx"; }
}
echo "part 1: wrk -t$threads -c$connections -d$duration on GET /api/v1/me, request log on and off, $rounds round(s)…" >&2
load_before=$(cut -d' ' -f1 /proc/loadavg)
run on.warmup "$base_on" "$key_on" "$warmup"
run off.warmup "$base_off" "$key_off" "$warmup"
for r in $(seq 1 "$rounds"); do
  run "off.$r" "$base_off" "$key_off" "$duration"
  run "on.$r" "$base_on" "$key_on" "$duration"
done
sleep 3 # the last second's batch
logged=$(sqlite3 "$work/data-on/penguinmails.db" "select count(*) from api_requests")
dropped=$(curl -s -H "Authorization: Bearer $key_on" "$base_on/api/v1/tenant/analytics/api-usage?range=1h" | sed -nE 's/.*"dropped_requests":([0-9]+).*/\1/p')
stop_servers

rps() { awk '/^Requests\/sec:/ {print $2}' "$work/$1.txt"; }
total() { awk '/requests in/ {print $1}' "$work/$1.txt"; }
pct() { awk -v p="$2" '$1 == p { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }; printf "%.2f", v }' "$work/$1.txt"; }
echo
echo "### Request log on and off"
echo
echo "wrk -t$threads -c$connections -d$duration --latency on \`GET /api/v1/me\` after a $warmup warm-up of each server; $(nproc) cores shared by client and servers; load average before: $load_before. The logging server recorded $logged requests and dropped $dropped (buffer full: the writer could not keep up), of $(( ${logged:-0} + ${dropped:-0} )) served."
echo
echo "| round | request log | requests | req/s | p50 ms | p99 ms | req/s on ÷ off |"
echo "|---:|---|---:|---:|---:|---:|---:|"
for r in $(seq 1 "$rounds"); do
  for m in off on; do
    ratio=$([ $m = on ] && awk -v a="$(rps "on.$r")" -v b="$(rps "off.$r")" 'BEGIN { printf "%.3f", a / b }' || echo "")
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$r" "$m" "$(total "$m.$r")" "$(rps "$m.$r")" "$(pct "$m.$r" 50%)" "$(pct "$m.$r" 99%)" "$ratio"
  done
done
tot_on=$(for r in $(seq 1 "$rounds"); do total "on.$r"; done | awk '{s += $1} END {print s}')
tot_off=$(for r in $(seq 1 "$rounds"); do total "off.$r"; done | awk '{s += $1} END {print s}')
echo
echo "All rounds: request log on served $(awk -v a="$tot_on" -v b="$tot_off" 'BEGIN { printf "%.1f", (a / b - 1) * 100 }') % requests relative to off (goal: within 5 %)."

# --- 2. the usage API over 30 days of 1 000 000 requests -----------------------------------------------
# seed FILE_PREFIX TENANT KEY1 KEY2 KEY3 NOW_EPOCH BOOL_TRUE BOOL_FALSE TIME_SUFFIX: CSV files with a header row.
seed() {
  awk -v out="$1" -v tenant="$2" -v k1="$3" -v k2="$4" -v k3="$5" -v now="$6" -v T="$7" -v F="$8" -v tz="$9" \
      -v n="$requests" -v rawdays="$raw_days" 'function ts(e) { return strftime("%Y-%m-%d %H:%M:%S", e, 1) tz }
  BEGIN {
    split(k1 " " k2 " " k3, key, " "); split("0.6 0.3 0.1", kw, " "); split("live live test", env, " ")
    split("POST /api/v1/emails/send|GET /api/v1/contacts|POST /api/v1/contacts|GET /api/v1/contacts/{id}|GET /api/v1/campaigns|POST /api/v1/campaigns|GET /api/v1/analytics/campaigns/{id}|GET /api/v1/me", ep, "|")
    split("0.45 0.15 0.1 0.08 0.07 0.05 0.05 0.05", ew, " ")
    split("200 400 404 429 500", st, " "); split("0.94 0.03 0.015 0.01 0.005", sw, " ")
    split("|VALIDATION_ERROR|RESOURCE_NOT_FOUND|RATE_LIMIT_EXCEEDED|INTERNAL_SERVER_ERROR", code, "|")
    split("0.1 0.3 0.4 0.15 0.05", bw, " ")  # latency buckets b3..b7 (4-128 ms)
    hdr = "tenant_id,grain,bucket_start,api_key_id,authenticated,environment,endpoint,status,error_code,requests,duration_ms_sum"
    for (b = 0; b < 16; b++) hdr = hdr ",b" b
    print hdr > (out "rollups.csv")
    print "tenant_id,minute_start,allowed,refused,peak_used,limit_per_minute,burst" > (out "ratelimit.csv")
    print "id,tenant_id,api_key_id,authenticated,environment,endpoint,status,error_code,error_message,duration_ms,occurred_at,client_ip,user_agent,request_id" > (out "raw.csv")
    hours = 720; perhour = n / hours; end = now - now % 3600; start = end - hours * 3600 + 3600; seeded = 0; rawid = 0
    for (h = 0; h < hours; h++) {
      hs = start + h * 3600
      for (k = 1; k <= 3; k++) for (e = 1; e <= 8; e++) for (s = 1; s <= 5; s++) {
        c = int(perhour * kw[k] * ew[e] * sw[s] + 0.5); if (c == 0) continue
        seeded += c; print row(60, hs, k, e, s, c) > (out "rollups.csv")
        day[int(hs / 86400) SUBSEP k SUBSEP e SUBSEP s] += c
        if (hs >= end - 23 * 3600) for (m = 0; m < 60; m++) { mc = int(c / 60) + (m < c % 60 ? 1 : 0); if (mc > 0) print row(1, hs + m * 60, k, e, s, mc) > (out "rollups.csv") }
        if (hs >= end - rawdays * 86400 + 3600) for (i = 0; i < c; i++) {
          rawid++; at = hs + int(i * 3600 / c)
          printf "%08X-0000-7000-8000-%012X,%s,%s,%s,%s,%s,%d,%s,%s,%d,%s,127.0.0.1,bench,req_%024d\n", rawid, rawid, tenant, key[k], T, env[k], ep[e], st[s], code[s], (code[s] == "" ? "" : "seeded " code[s]), 8 + i % 60, ts(at), rawid > (out "raw.csv")
        }
      }
      for (m = 0; m < 60; m++) { used = int(perhour / 60) + (m == 17 ? 40 : 0); printf "%s,%s,%d,%d,%d,60000000,60000000\n", tenant, ts(hs + m * 60), used, (m == 17 ? 3 : 0), used > (out "ratelimit.csv") }
    }
    for (d in day) { split(d, p, SUBSEP); print row(1440, p[1] * 86400, p[2], p[3], p[4], day[d]) > (out "rollups.csv") }
    print seeded > (out "count")
  }
  function row(grain, at, k, e, s, c,   r, b, left, x) {
    r = tenant "," grain "," ts(at) "," key[k] "," T "," env[k] ",\"" ep[e] "\"," st[s] ",\"" code[s] "\"," c "," (c * 30.5) ",0,0,0"
    left = c
    for (b = 1; b <= 5; b++) { x = (b == 5 ? left : int(c * bw[b])); left -= x; r = r "," x }
    return r ",0,0,0,0,0,0,0,0"
  }'
}
cols() { head -n 1 "$1"; }
results=()
firsts=()
for provider in $providers; do
  name="u_$provider"
  [ "$provider" = postgres ] && { psql_cmd "CREATE DATABASE \"$(db_of "$name")\"" || die "cannot create a database"; pg_dbs+=("$(db_of "$name")"); }
  start "$name" "$provider" true
  stop_servers # seed into a quiet database, then start afresh: an empty cache in a new process
  now=$(date +%s)
  if [ "$provider" = sqlite ]; then
    db="$work/data-$name/penguinmails.db"
    tenant=$(sqlite3 "$db" "select id from tenants where slug = 'default'")
    mapfile -t keys < <(sqlite3 "$db" "select id from api_keys order by created_at")
    echo "part 2 ($provider): seeding $requests requests over 30 days…" >&2
    seed "$work/seed-" "$tenant" "${keys[0]}" "${keys[1]}" "${keys[2]}" "$now" 1 0 ""
    for t in rollups:api_usage_rollups ratelimit:rate_limit_usage raw:api_requests; do
      f="$work/seed-${t%%:*}.csv"
      sqlite3 "$db" ".import --csv $f seed_tmp" "insert into ${t#*:} ($(cols "$f")) select $(cols "$f") from seed_tmp" "drop table seed_tmp" \
        || die "seeding ${t#*:} failed"
    done
    sqlite3 "$db" "analyze"
  else
    pdb=$(db_of "$name")
    tenant=$(psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -d "$pdb" -Atc "select id from tenants where slug = 'default'")
    mapfile -t keys < <(psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -d "$pdb" -Atc "select id from api_keys order by created_at")
    echo "part 2 ($provider): seeding $requests requests over 30 days…" >&2
    seed "$work/seed-" "$tenant" "${keys[0]}" "${keys[1]}" "${keys[2]}" "$now" t f "+00"
    for t in rollups:api_usage_rollups ratelimit:rate_limit_usage raw:api_requests; do
      f="$work/seed-${t%%:*}.csv"
      psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -d "$pdb" -v ON_ERROR_STOP=1 -q -c "\\copy ${t#*:} ($(cols "$f")) from '$f' csv header" \
        || die "seeding ${t#*:} failed"
    done
    psql_cmd "analyze" "$pdb"
  fi
  seeded=$(cat "$work/seed-count")
  rollup_rows=$(($(wc -l <"$work/seed-rollups.csv") - 1)); raw_rows=$(($(wc -l <"$work/seed-raw.csv") - 1))
  start "$name" "$provider" true
  base=$(eval echo "\$base_$name"); key=$(eval echo "\$key_$name")
  # The process's first authenticated request pays for key verification's own first use (EF, JIT) whatever it asks:
  # made here once, timed apart, so that what follows times the usage API with a cold cache, not a cold process.
  first_request=$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $key" "$base/api/v1/me" | awk '{printf "%.0f", $1 * 1000}')
  firsts+=("$provider: ${first_request} ms")
  time_query() { # label query: CALLS cold calls, each with a query string the cache has not seen
    local times=() i t
    for i in $(seq 1 "$calls"); do
      t=$(curl -s -o "$work/usage.json" -w '%{time_total}' -H "Authorization: Bearer $key" "$base/api/v1/tenant/analytics/api-usage?$(cold "$2" "$i")")
      grep -q '"cached":false' "$work/usage.json" || { head -c 600 "$work/usage.json" >&2; die "$1: the answer was not freshly computed"; }
      times+=("$t")
    done
    local sorted; sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    total_requests=$(sed -nE 's/.*"total_requests":([0-9]+).*/\1/p' "$work/usage.json")
    results+=("| $provider | $1 | $total_requests | $(awk '{printf "%.0f", $1 * 1000}' <<<"$(head -n 1 <<<"$sorted")") | $(awk '{printf "%.0f", $1 * 1000}' <<<"$(sed -n "$(((calls + 1) / 2))p" <<<"$sorted")") | $(awk '{printf "%.0f", $1 * 1000}' <<<"$(tail -n 1 <<<"$sorted")") |")
  }
  # A distinct but equivalent query string each call (from= moves by i seconds inside the same step): never a cache hit.
  cold() { sed -E "s/from=([^&]*):00Z/from=\1:$(printf %02d "$2")Z/" <<<"$1"; }
  end_day=$(date -u -d "@$(( (now / 86400 + 1) * 86400 ))" +%Y-%m-%dT%H:%M:00Z)
  from_30=$(date -u -d "@$(( (now / 86400 + 1) * 86400 - 30 * 86400 ))" +%Y-%m-%dT%H:%M:00Z)
  end_hour=$(date -u -d "@$(( (now / 3600 + 1) * 3600 ))" +%Y-%m-%dT%H:%M:00Z)
  from_24=$(date -u -d "@$(( (now / 3600 + 1) * 3600 - 86400 ))" +%Y-%m-%dT%H:%M:00Z)
  from_1=$(date -u -d "@$(( (now / 3600 + 1) * 3600 - 3600 ))" +%Y-%m-%dT%H:%M:00Z)
  time_query "30 days (by day)" "from=$from_30&to=$end_day"
  time_query "30 days, one key (by day)" "from=$from_30&to=$end_day&key_id=${keys[0]}"
  time_query "24 hours (by hour)" "from=$from_24&to=$end_hour"
  time_query "1 hour (by minute)" "from=$from_1&to=$end_hour"
  stop_servers
done

echo
echo "### Usage API, cold cache"
echo
echo "A tenant with $seeded requests over 30 days, seeded straight into the database: $rollup_rows roll-up rows (day and hour rows for 30 days, minute rows for the last day), 43 200 rate-limiter minutes, $raw_rows raw request rows (the last $raw_days days). Each call has a query string the server has not cached (\`from\` moved by seconds inside the same step), timed with curl (\`time_total\`) on loopback; $calls calls per query."
echo
echo "The first request of each fresh process (\`GET /api/v1/me\`, before any usage query): $(IFS=,; echo "${firsts[*]}")."
echo
echo "| database | range | total_requests | fastest ms | median ms | slowest ms |"
echo "|---|---|---:|---:|---:|---:|"
printf '%s\n' "${results[@]}"
