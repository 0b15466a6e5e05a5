#!/usr/bin/env bash
# Email throughput, each figure beside its baseline measured in the same run:
#  (1) accepted durable sends per second — POST /api/v1/emails/send (validated, stored with its queued event in
#      one committed transaction before the answer) against GET /healthz of the same server (wrk);
#  (2) messages delivered per second to a loopback SMTP server (tests/smtp/recording_smtp.py, aiosmtpd) by the
#      server's dispatcher — claim under a lease, MIME with tracking, SMTP, outcome recorded — against a raw
#      MailKit loop (bench/mailkit-loop) with the same number of connections to the same SMTP server.
#
# Environment (all optional):
#   DURATION=10s  WARMUP=20s CONNECTIONS=64  THREADS=2   wrk settings for (1)
#   MESSAGES=10000  messages timed in (2), by the server and by the raw loop
#   WARM_MESSAGES=20000  messages each of them delivers first, untimed (start-up and the JIT's warm-up)
#   SMTP_CONNECTIONS=4   PenguinMails__Delivery__Concurrency and the raw loop's connections
#   PROVIDER=sqlite|postgres   storage (postgres needs PENGUINMAILS_BENCH_POSTGRES, a connection string)
#   ATTACHMENT_BYTES=0   when above 0, every message of (1) and (2) carries one attachment of this many random bytes
#   BASELINE_DKIM=dkim   the raw loop DKIM-signs each message as the server does (rsa-sha256, 2048 bits, the server's own
#                        signer Delivery/Dkim/RsaDkimSigner); "bouncycastle": with MimeKit's stock signer (BouncyCastle's
#                        RSA, as the server signed before 1 Dec); "none": it does not sign
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
duration=${DURATION:-10s}
warmup=${WARMUP:-20s}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
messages=${MESSAGES:-10000}
warm_messages=${WARM_MESSAGES:-20000}
smtp_connections=${SMTP_CONNECTIONS:-4}
provider=${PROVIDER:-sqlite}
attachment_bytes=${ATTACHMENT_BYTES:-0}
dkim=${BASELINE_DKIM:-dkim} # "none": the raw loop does not sign (the figures before issue 16)

die() { echo "email-throughput: $*" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/penguinmails-email-bench.XXXXXX")
pids=()
pg_dbs=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for db in "${pg_dbs[@]}"; do psql_cmd "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v wrk >/dev/null || { apt-get install -y -q wrk >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }; }
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || apt-get install -y -q python3-aiosmtpd >/dev/null

echo "publishing the server and building the MailKit loop in Release…" >&2
dotnet publish "$root/src/PenguinMails" -c Release -o "$work/app" --artifacts-path "$work/artifacts" -nologo -v q >"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; die "dotnet publish failed"; }
dotnet publish "$root/bench/mailkit-loop" -c Release -o "$work/loop" --artifacts-path "$work/artifacts-loop" -nologo -v q >>"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; die "building bench/mailkit-loop failed"; }

free_port() { local p=$((20000 + RANDOM % 30000)); while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done; echo "$p"; }
smtp_port=$(free_port)
/usr/bin/python3 "$root/tests/smtp/recording_smtp.py" "$smtp_port" "$work/mail" >"$work/smtp.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do grep -q READY "$work/smtp.log" && break; sleep 0.1; done
grep -q READY "$work/smtp.log" || { cat "$work/smtp.log" >&2; die "the SMTP server did not start"; }

export Logging__LogLevel__Default=Warning DOTNET_CLI_TELEMETRY_OPTOUT=1
export PenguinMails__Smtp__Host=127.0.0.1 PenguinMails__Smtp__Port=$smtp_port PenguinMails__Smtp__Security=none
export PenguinMails__Delivery__Concurrency=$smtp_connections PenguinMails__Delivery__PollSeconds=0.2
for plan in Starter Professional Business; do
  export "PenguinMails__RateLimits__${plan}__PerMinute=60000000" "PenguinMails__RateLimits__${plan}__Burst=60000000"
done
if [ "$provider" = postgres ]; then
  [ -n "${PENGUINMAILS_BENCH_POSTGRES:-}" ] || die "PROVIDER=postgres needs PENGUINMAILS_BENCH_POSTGRES"
  pg_host=$(sed -nE 's/.*Host=([^;]+).*/\1/p' <<<"$PENGUINMAILS_BENCH_POSTGRES"); pg_port=$(sed -nE 's/.*Port=([^;]+).*/\1/p' <<<"$PENGUINMAILS_BENCH_POSTGRES")
  pg_user=$(sed -nE 's/.*Username=([^;]+).*/\1/p' <<<"$PENGUINMAILS_BENCH_POSTGRES"); pg_port=${pg_port:-5432}; pg_user=${pg_user:-postgres}
  export PenguinMails__Database__Provider=postgres
fi
psql_cmd() { psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres -v ON_ERROR_STOP=1 -q -c "$1"; }
# Each part has a database of its own, as each has a data directory of its own on SQLite: part (2) must not find
# part (1)'s accepted sends in its queue.
database_for() { # data-dir
  [ "$provider" = postgres ] || return 0
  local name; name="pm_email_bench_$(basename "$1")_$$"
  if [[ ! " ${pg_dbs[*]} " =~ " $name " ]]; then
    psql_cmd "CREATE DATABASE \"$name\"" || die "cannot create a database with psql"
    pg_dbs+=("$name")
  fi
  export PenguinMails__Database__ConnectionString="Host=$pg_host;Port=$pg_port;Username=$pg_user;Database=$name"
}

server=""
start_server() { # data-dir delivery-enabled
  database_for "$1"
  export PenguinMails__DataDirectory=$1 PenguinMails__Delivery__Enabled=$2
  port=$(free_port); base="http://127.0.0.1:$port"
  (cd "$work" && ASPNETCORE_URLS=$base exec dotnet "$work/app/penguinmails.dll" serve >"$work/server.log" 2>&1) &
  server=$!; pids+=("$server")
  for _ in $(seq 1 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/healthz" || true)" = 200 ] && return 0
    kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; die "the server exited"; }
    sleep 0.1
  done
  die "the server did not answer /healthz"
}
stop_server() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }

# --- (1) accepted sends -------------------------------------------------------------------------------
start_server "$work/data1" false
key=$(dotnet "$work/app/penguinmails.dll" keys create --tenant default --name bench --preset email_sending 2>/dev/null)
attachment=""
if [ "$attachment_bytes" -gt 0 ]; then
  head -c "$attachment_bytes" /dev/urandom | base64 -w0 >"$work/attachment.b64"
  attachment=',"attachments":[{"filename":"report.pdf","content":"'"$(cat "$work/attachment.b64")"'"}]'
fi
dotnet "$work/app/penguinmails.dll" domains add --tenant default --name example.com --verified >/dev/null 2>&1 # the sender rule
cat >"$work/send.lua" <<LUA
wrk.method = "POST"
wrk.body = [[{"from":"Bench <bench@example.com>","to":"user@example.com","subject":"Bench","text_body":"Hello","html_body":"<p>Hello <a href=\"https://example.org\">there</a></p>","tags":["bench"]$attachment}]]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $key"
LUA
run() { wrk -t"$threads" -c"$connections" -d"$1" --latency "${@:2}" >"$work/wrk.txt" 2>&1; cat "$work/wrk.txt"; }
run "$warmup" "$base/healthz" >/dev/null
run "$warmup" -s "$work/send.lua" "$base/api/v1/emails/send" >/dev/null
bare=$(run "$duration" "$base/healthz")
send=$(run "$duration" -s "$work/send.lua" "$base/api/v1/emails/send")
for out in "$bare" "$send"; do ! grep -q "Non-2xx" <<<"$out" || { echo "$out" >&2; die "non-2xx answers"; }; done
rps() { awk '/Requests\/sec/ {print $2}' <<<"$1"; }
p99() { awk '/ 99%/ {print $2}' <<<"$1"; }
stop_server

# --- (2) delivery --------------------------------------------------------------------------------------
# Enqueue with delivery off, then start a node with delivery on and time until the relay holds every message.
start_server "$work/data2" false
key=$(dotnet "$work/app/penguinmails.dll" keys create --tenant default --name bench --preset email_sending 2>/dev/null)
dotnet "$work/app/penguinmails.dll" domains add --tenant default --name example.com --verified >/dev/null 2>&1 # the sender rule
total=$((warm_messages + messages))
/usr/bin/python3 - "$base" "$key" "$total" "$work/attachment.b64" <<'PY'
import json, os, sys, urllib.request
base, key, total, b64 = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
extra = {"attachments": [{"filename": "report.pdf", "content": open(b64).read()}]} if os.path.exists(b64) else {}
chunk = max(1, min(500, 16_000_000 // (len(extra["attachments"][0]["content"]) + 1000))) if extra else 500
for start in range(0, total, chunk):
    emails = [{"from": "s@example.com", "to": f"queued-{i}@example.com", "subject": f"#{i}", "text_body": "body",
               "html_body": "<p>body</p>", "track_opens": False, "track_clicks": False, **extra} for i in range(start, min(total, start + chunk))]
    request = urllib.request.Request(base + "/api/v1/emails/batch", data=json.dumps({"emails": emails}).encode(),
                                     headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    assert json.load(urllib.request.urlopen(request))["data"]["accepted"] == len(emails)
PY
stop_server
rm -rf "$work/mail"; mkdir -p "$work/mail"
# Start-up and the JIT's warm-up are outside the timed window: the node first delivers WARM_MESSAGES untimed (a
# server's steady state is what it runs in for days; the JIT compiles for the first 20–30 s of delivery here), and
# the window runs from the arrival of the first timed message to that of the last, read from the files' times.
received() { find "$work/mail" -name '*.eml' | wc -l; }
start_server "$work/data2" true
while [ "$(received)" -lt "$total" ]; do
  kill -0 "$server" 2>/dev/null || die "the server exited while delivering"
  sleep 0.5
done
stop_server
read -r t0 t1 n0 < <(find "$work/mail" -name '*.eml' -printf '%T@\n' | sort -n | awk -v w="$warm_messages" 'NR == w + 1 {a = $1} {b = $1} END {print a, b, NR - w - 1}')
server_rate=$(awk -v n="$n0" -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", n / (b - a)}')
# The server signs the bench's mail (example.com is added verified, with a DKIM key): so does the baseline (issue 16).
read -r raw_n raw_s < <(dotnet "$work/loop/MailKitLoop.dll" 127.0.0.1 "$smtp_port" "$smtp_connections" "$messages" "$attachment_bytes" "$dkim" "$warm_messages")
raw_rate=$(awk -v n="$raw_n" -v s="$raw_s" 'BEGIN {printf "%.1f", n / s}')

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo
echo "| measure | baseline | baseline /s | PenguinMails | PenguinMails /s | ratio |"
echo "|---|---|---:|---|---:|---:|"
[ "$attachment_bytes" -gt 0 ] && echo "every message carries one attachment of $attachment_bytes bytes"
echo "| accepted sends (wrk -t$threads -c$connections -d$duration, $provider) | GET /healthz (p99 $(p99 "$bare")) | $(rps "$bare") | POST /api/v1/emails/send, durable (p99 $(p99 "$send")) | $(rps "$send") | $(ratio "$(rps "$send")" "$(rps "$bare")") |"
echo "| delivered to loopback SMTP ($messages messages, $smtp_connections connections) | raw MailKit loop$(case "$dkim" in dkim) echo ", DKIM-signed like the server's";; bouncycastle) echo ", DKIM-signed by MimeKit's stock signer";; esac) | $raw_rate | dispatcher (after $warm_messages untimed) | $server_rate | $(ratio "$server_rate" "$raw_rate") |"
