# Shared by the bench scripts that start a Release server: sourced after $work, $root and die() are set.
# start_server PROVIDER starts `penguinmails serve` (rate limits raised) and creates a full_access key in $key;
# hwm_mib / reset_hwm read and reset the server's peak memory; api calls the API with the key.

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
start_server() { # provider
  current_provider=$1
  local port=$((20000 + RANDOM % 30000))
  while ! port_free "$port"; do port=$((port + 1)); done
  base="http://127.0.0.1:$port"
  export PenguinMails__DataDirectory="$work/data-$1" ASPNETCORE_URLS="$base" Logging__LogLevel__Default=Warning
  for plan in Starter Professional Business; do
    export "PenguinMails__RateLimits__${plan}__PerMinute=60000000" "PenguinMails__RateLimits__${plan}__Burst=60000000"
  done
  if [ "$1" = postgres ]; then
    [ -n "${BENCH_POSTGRES:-}" ] || die "set BENCH_POSTGRES to run on PostgreSQL"
    pg_host=$(sed -nE 's/.*Host=([^;]+).*/\1/p' <<<"$BENCH_POSTGRES"); pg_port=$(sed -nE 's/.*Port=([^;]+).*/\1/p' <<<"$BENCH_POSTGRES")
    pg_user=$(sed -nE 's/.*Username=([^;]+).*/\1/p' <<<"$BENCH_POSTGRES"); pg_port=${pg_port:-5432}; pg_user=${pg_user:-postgres}
    pg_db="pm_bench_$RANDOM$RANDOM"
    psql_cmd "CREATE DATABASE \"$pg_db\"" || die "cannot create a database with psql"
    export PenguinMails__Database__Provider=postgres PenguinMails__Database__ConnectionString="Host=$pg_host;Port=$pg_port;Username=$pg_user;Database=$pg_db"
  else
    unset PenguinMails__Database__Provider PenguinMails__Database__ConnectionString
  fi
  (cd "$work" && exec dotnet "$work/app/penguinmails.dll" serve >"$work/server-$1.log" 2>&1) &
  server=$!
  for _ in $(seq 1 150); do
    kill -0 "$server" 2>/dev/null || { cat "$work/server-$1.log" >&2; die "the server exited during start-up"; }
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/healthz" || true)" = 200 ] && break
    sleep 0.2
  done
  key=$(cd "$work" && dotnet "$work/app/penguinmails.dll" keys create --tenant default --name bench --preset full_access 2>/dev/null \
    | grep -E '^pm_(live|test)_' || true)
  [ -n "$key" ] || die "keys create failed"
  # the sender rule: live keys send only from verified domains; the benches send from example.com
  (cd "$work" && dotnet "$work/app/penguinmails.dll" domains add --tenant default --name example.com --verified >/dev/null 2>&1 || true)
}

pid_of_server() { pgrep -P "$server" -f penguinmails.dll | head -n 1 || echo "$server"; }
hwm_mib() { awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$(pid_of_server)/status"; }
reset_hwm() { echo 5 >"/proc/$(pid_of_server)/clear_refs" 2>/dev/null || true; }

# limit_baseline MODE ROWS BATCH LABEL: bench/limit-baseline (built into $work/limit) writing ROWS rows of MODE (fanout,
# import) into the running server's own database, BATCH per transaction; prints "LABEL|ROWS|seconds|—" like a phase.
limit_baseline() {
  local connection
  if [ "$current_provider" = postgres ]; then connection=$PenguinMails__Database__ConnectionString
  else connection="Data Source=$PenguinMails__DataDirectory/penguinmails.db"; fi
  local out; out=$(dotnet "$work/limit/LimitBaseline.dll" "$1" "$current_provider" "$connection" "$2" "$3") || die "limit baseline failed"
  [ "${out%% *}" = "$2" ] || die "limit baseline: expected $2 rows, got '$out'"
  printf '%s|%s|%s|—\n' "$4" "$2" "${out##* }"
}

# fanout_contacts ROWS SMALL WARM: the fan-out benches' contacts as CSV on stdout: ROWS contacts tagged "big", the first
# WARM of them also "warm" (the untimed warm-up campaign's audience), the first SMALL also "small".
fanout_contacts() {
  awk -v n="$1" -v s="$2" -v w="$3" 'BEGIN {
    print "email,first_name,last_name,tags,city"
    for (i = 0; i < n; i++) printf "c%d@example.com,First%d,Last%d,%s,City %d\n", i, i, i, (i < s ? "big;small;warm" : i < w ? "big;warm" : "big"), i % 500
  }'
}
