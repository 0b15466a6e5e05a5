#!/usr/bin/env bash
# Campaign fan-out: a campaign to 100 000 contacts queued by the fan-out worker against a Release server, with
# seconds until the fan-out is complete and the server's peak memory during it (VmHWM of /proc/<pid>/status, reset
# through clear_refs), beside baselines measured in the same run: the same number of messages enqueued through
# POST /api/v1/emails/batch (500 per request), a 1 000-contact campaign (compared per message), and the limit baseline
# (bench/limit-baseline: the same rows written by plain prepared INSERTs / COPY into the server's own database).
# Delivery is switched off (PenguinMails__Delivery__Enabled=false): this measures the fan-out into the queue, not SMTP.
#
# Environment (all optional):
#   CONTACTS=100000      contacts of the big campaign
#   PROVIDERS=sqlite     "sqlite", "postgres" or "sqlite postgres"
#   BENCH_POSTGRES=...   PostgreSQL server for the postgres run, e.g. Host=127.0.0.1;Port=5547;Username=postgres
#   BATCH=1000           rows per transaction: the server's Campaigns:BatchSize and the limit baseline's
#   WARM_CONTACTS=30000  audience of the untimed warm-up campaign run first (at most CONTACTS)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
rows=${CONTACTS:-100000}
providers=${PROVIDERS:-sqlite}
die() { echo "campaign-fanout: $*" >&2; exit 1; }
[[ $rows =~ ^[1-9][0-9]*$ ]] || die "CONTACTS must be a positive integer"
small=1000
warm=${WARM_CONTACTS:-30000} # the untimed warm-up campaign's audience: enough batches for the fan-out's code to reach tier 1

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

. "$root/bench/bench-server.sh"
fanout_contacts "$rows" "$small" "$warm" >"$work/contacts.csv"
mkdir -p "$work/batches"
python3 - "$work/batches" "$rows" <<'PY'
import json, sys
out, n = sys.argv[1], int(sys.argv[2])
for start in range(0, n, 500):
    emails = [{"from": "news@example.com", "to": f"b{i}@example.com", "subject": f"Hi First{i}",
               "html_body": f"<p>Hello First{i} Last{i} from City {i % 500}</p>", "text_body": f"Hello First{i}"}
              for i in range(start, min(n, start + 500))]
    open(f"{out}/{start:07d}.json", "w").write(json.dumps({"emails": emails}))
PY
api() { curl -sf -H "Authorization: Bearer $key" -H 'Content-Type: application/json' "$@"; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin)['data']; print($1)"; }
campaign() { # tag -> prints the number of messages queued
  local id
  id=$(api -X POST "$base/api/v1/campaigns" -d "{\"name\":\"bench $1\",\"from\":\"news@example.com\",\"subject\":\"Hi {{first_name}}\",
    \"html_body\":\"<p>Hello {{first_name}} {{last_name}} from {{city}}</p>\",\"text_body\":\"Hello {{first_name}}\",
    \"audience\":{\"tags\":[\"$1\"]}}" | field "d['id']")
  api -X POST "$base/api/v1/campaigns/$id/send" >/dev/null
  while :; do
    # Parsed with grep, not Python: a Python start ten times a second would take CPU from the server being measured.
    local progress; progress=$(api "$base/api/v1/campaigns/$id" | grep -o '"progress":{[^}]*}')
    grep -q '"fan_out_complete":true' <<<"$progress" && { grep -o '"recipients":[0-9]*' <<<"$progress" | cut -d: -f2; return; }
    sleep 0.1
  done
}
batches() { local n=0; for f in "$work"/batches/*.json; do n=$((n + $(api -X POST "$base/api/v1/emails/batch" --data-binary "@$f" | field "d['accepted']"))); done; echo "$n"; }
phase() { # label expected command...
  local label=$1 expect=$2; shift 2
  reset_hwm
  local t0 t1 got
  t0=$(date +%s.%N); got=$("$@"); t1=$(date +%s.%N)
  [ "$got" = "$expect" ] || die "$label: expected $expect messages, got '$got'"
  printf '%s|%s|%s|%s\n' "$label" "$expect" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')" "$(hwm_mib)"
}

echo
echo "$rows contacts; server in Release, delivery off; client and server share $(nproc) cores; peak RSS = VmHWM during the phase"
batch=${BATCH:-1000} # CampaignOptions.BatchSize's default: the limit baseline writes as many per transaction
export PenguinMails__Campaigns__BatchSize=$batch
for provider in $providers; do
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  export PenguinMails__Delivery__Enabled=false
  start_server "$provider"
  curl -sf -H "Authorization: Bearer $key" -H 'Content-Type: text/csv' --data-binary "@$work/contacts.csv" "$base/api/v1/contacts/import" >/dev/null \
    || die "contact import failed"
  campaign warm >/dev/null # warm-up, untimed: JIT (a 1,000-contact campaign left a fifth of the timed run to the JIT), caches, pool
  idle=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$(pid_of_server)/status")
  results=$(
    phase "campaign to $rows contacts (fan-out until complete)" "$rows" campaign big
    phase "baseline: $rows messages through POST /emails/batch (500 each)" "$rows" batches
    phase "one campaign to $small contacts (the same fan-out, 1/$((rows / small)) of the audience)" "$small" campaign small
    limit_baseline fanout "$rows" "$batch" "limit baseline: $rows messages, recipients and events by plain prepared INSERTs / COPY ($batch per transaction)"
  )
  base_rate=$(sed -n 2p <<<"$results" | awk -F'|' '{ print $3 / $2 }')
  limit_rate=$(sed -n 4p <<<"$results" | awk -F'|' '{ print $3 / $2 }')
  echo
  echo "**$provider** (server RSS after warm-up: $idle MiB; load average before: $load_before)"
  echo
  echo "| phase | messages | seconds | messages/s | peak RSS MiB | time per message vs batch baseline | limit baseline ÷ this (goal ≥ 0.5) |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  while IFS='|' read -r label n secs mib; do
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$n" "$secs" "$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')" \
      "$mib" "$(awk -v s="$secs" -v n="$n" -v b="$base_rate" 'BEGIN { printf "%.2f", s / n / b }')" \
      "$(awk -v s="$secs" -v n="$n" -v l="$limit_rate" 'BEGIN { printf "%.2f", l / (s / n) }')"
  done <<<"$results"
  stop_server
done
