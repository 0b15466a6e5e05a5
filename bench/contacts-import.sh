#!/usr/bin/env bash
# Contact import: a 100 000-row CSV streamed into POST /api/v1/contacts/import against a Release server, with the
# server's peak memory per phase (VmHWM of /proc/<pid>/status, reset between phases through clear_refs), beside
# baselines measured in the same run: the same number of new rows sent as 100 separate 1 000-row imports, and the
# limit baseline (bench/limit-baseline: the same rows written by plain prepared INSERTs / COPY into the server's database).
#
# Environment (all optional):
#   ROWS=100000          rows of the big file
#   PROVIDERS=sqlite     "sqlite", "postgres" or "sqlite postgres"
#   BENCH_POSTGRES=...   PostgreSQL server for the postgres run, e.g. Host=127.0.0.1;Port=5547;Username=postgres
#                        (a database is created for the run and dropped after it)
#   BATCH=1000           rows per transaction: the server's Contacts:ImportBatchSize and the limit baseline's
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
rows=${ROWS:-100000}
providers=${PROVIDERS:-sqlite}
die() { echo "contacts-import: $*" >&2; exit 1; }
[[ $rows =~ ^[1-9][0-9]*$ ]] || die "ROWS must be a positive integer"

work=$(mktemp -d "${TMPDIR:-/tmp}/penguinmails-bench.XXXXXX")
server=""
pg_db=""
stop_server() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  server=""
}
psql_cmd() { psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres -v ON_ERROR_STOP=1 -q -c "$1"; }
cleanup() {
  stop_server
  if [ -n "$pg_db" ]; then psql_cmd "DROP DATABASE IF EXISTS \"$pg_db\"" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "publishing the server in Release…" >&2
dotnet publish "$root/src/PenguinMails" -c Release -o "$work/app" --artifacts-path "$work/artifacts" -nologo -v q \
  >"$work/publish.log" 2>&1 || { cat "$work/publish.log" >&2; die "dotnet publish failed"; }
dotnet build "$root/bench/limit-baseline" -c Release -o "$work/limit" --artifacts-path "$work/artifacts" -nologo -v q \
  >"$work/limit-build.log" 2>&1 || { cat "$work/limit-build.log" >&2; die "building bench/limit-baseline failed"; }

# --- files: the big one, a 10% one, and the baseline's 100 chunks of other addresses ----------------------
gen() { # prefix count file
  awk -v p="$1" -v n="$2" 'BEGIN {
    print "email,first_name,last_name,tags,plan,city,signup_source"
    for (i = 0; i < n; i++) printf "%s%d@example.com,First%d,Last%d,%s;%s,%s,City %d,form\n", p, i, i, i,
      (i % 2 ? "odd" : "even"), "t" (i % 7), (i % 10 ? "free" : "pro"), i % 500
  }' >"$3"
}
gen big "$rows" "$work/big.csv"
gen small $((rows / 10)) "$work/small.csv"
gen chunk "$rows" "$work/chunks.csv"
mkdir -p "$work/chunks"
tail -n +2 "$work/chunks.csv" | split -l 1000 -d -a 4 - "$work/chunks/part."
header=$(head -n 1 "$work/chunks.csv")
for f in "$work"/chunks/part.*; do { echo "$header"; cat "$f"; } >"$f.csv"; rm "$f"; done
echo "big file: $rows rows, $(du -h "$work/big.csv" | cut -f1)" >&2
. "$root/bench/bench-server.sh"
import() { # file -> prints "created updated failed"
  curl -sf -H "Authorization: Bearer $key" -H 'Content-Type: text/csv' --data-binary "@$1" "$base/api/v1/contacts/import" \
    | python3 -c 'import json,sys; d=json.load(sys.stdin)["data"]; print(d["created"], d["updated"], d["failed"])'
}
phase() { # label expected-rows command...
  local label=$1 expect=$2; shift 2
  reset_hwm
  local t0 t1 counts
  t0=$(date +%s.%N)
  counts=$("$@")
  t1=$(date +%s.%N)
  local secs; secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  local done_rows; done_rows=$(awk '{ s += $1 + $2 } END { print s }' <<<"$counts")
  [ "$done_rows" = "$expect" ] || die "$label: expected $expect rows imported, got '$counts'"
  [ "$(awk '{ s += $3 } END { print s }' <<<"$counts")" = 0 ] || die "$label: some rows failed: $counts"
  printf '%s|%s|%s|%s\n' "$label" "$expect" "$secs" "$(hwm_mib)"
}
# One curl process for all the chunk requests (one connection, kept alive), so the baseline does not pay for
# starting a client per request.
chunks() {
  local cfg=$work/chunks.curl
  : >"$cfg"
  for f in "$work"/chunks/part.*.csv; do
    [ -s "$cfg" ] && echo next >>"$cfg"
    printf 'url = "%s/api/v1/contacts/import"\nheader = "Authorization: Bearer %s"\nheader = "Content-Type: text/csv"\ndata-binary = "@%s"\nwrite-out = "\\n"\n' \
      "$base" "$key" "$f" >>"$cfg"
  done
  curl -sf -K "$cfg" | python3 -c 'import json,sys
for line in sys.stdin:
    if line.strip():
        d = json.loads(line)["data"]; print(d["created"], d["updated"], d["failed"])'
}

echo
echo "$rows-row CSV ($(du -h "$work/big.csv" | cut -f1)); server in Release; client (curl) and server share $(nproc) cores; peak RSS = VmHWM during the phase"
batch=${BATCH:-1000} # Contacts:ImportBatchSize's default: the limit baseline writes as many per transaction
export PenguinMails__Contacts__ImportBatchSize=$batch
for provider in $providers; do
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  start_server "$provider"
  import "$work/small.csv" >/dev/null # warm-up: JIT, connection pool; also gives the table some rows
  idle=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$(pid_of_server)/status")
  results=$(
    phase "one import of $((rows / 10)) new rows (10% file, updates of the warm-up rows)" $((rows / 10)) import "$work/small.csv"
    phase "one import of $rows new rows" "$rows" import "$work/big.csv"
    phase "the same $rows rows again (all updates)" "$rows" import "$work/big.csv"
    phase "baseline: $rows other new rows as $((rows / 1000)) imports of 1 000" "$rows" chunks
    limit_baseline import "$rows" "$batch" "limit baseline: $rows new contacts with their attributes and tags by plain prepared INSERTs / COPY ($batch per transaction)"
  )
  base_secs=$(sed -n 4p <<<"$results" | cut -d'|' -f3)
  limit_rate=$(sed -n 5p <<<"$results" | awk -F'|' '{ print $3 / $2 }')
  echo
  echo "**$provider** (server RSS after warm-up: $idle MiB; load average before: $load_before)"
  echo
  echo "| phase | rows | seconds | rows/s | peak RSS MiB | time vs 1 000-row imports | limit baseline ÷ this (goal ≥ 0.5) |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  while IFS='|' read -r label n secs mib; do
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$n" "$secs" "$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')" \
      "$mib" "$(awk -v s="$secs" -v b="$base_secs" 'BEGIN { printf "%.2f", s / b }')" \
      "$(awk -v s="$secs" -v n="$n" -v l="$limit_rate" 'BEGIN { printf "%.2f", l / (s / n) }')"
  done <<<"$results"
  stop_server
done
