#!/usr/bin/env bash
# Webhook delivery (issue 12), each figure beside its baseline measured in the same run:
#  (a) events delivered per second by the server's webhook dispatcher (claim under a lease, sign, POST, record the
#      outcome) to a loopback receiver, against a plain HttpClient loop (bench/webhook-loop, as issue 12 names it)
#      posting the same bodies and headers to the same receiver with the same concurrency as the server's
#      per-endpoint limit (PenguinMails__Webhooks__PerEndpointConcurrency);
#  (b) the delay from an email's `sent` (its `sent_at`, GET /api/v1/emails/{id}) to its `email.sent` webhook arriving
#      at the receiver: p50, p99, max.
# The receiver (bench/webhook-receiver.py, Python ThreadingHTTPServer, HTTP/1.1 keep-alive) answers 200 to every
# POST and records its arrival time; the same receiver serves the server and the baseline.
#
# Environment (all optional):
#   EVENTS=20000      email.queued events timed in (a) (POST /api/v1/emails/batch with delivery off, so no mail is sent)
#   WARMUP=60000      events delivered before them, untimed, by the server and by the baseline alike (JIT and tiering:
#                     with none, a 2,000-event run was over before the server's code reached tier 1; with 10,000 the
#                     JIT still compiled ~500 methods a second, a quarter of the server's CPU, until ~60,000 events in —
#                     dotnet-counters, bench/README.md "Seventh round")
#   PER_ENDPOINT=4    PenguinMails__Webhooks__PerEndpointConcurrency and the baseline's concurrency
#   EMAILS=200        emails sent in (b), one POST /api/v1/emails/send at a time, to a loopback SMTP server
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
events=${EVENTS:-20000}
warmup=${WARMUP:-60000}
per_endpoint=${PER_ENDPOINT:-4}
emails=${EMAILS:-200}
die() { echo "webhooks: $*" >&2; exit 1; }
for n in "$events" "$per_endpoint" "$emails"; do [[ $n =~ ^[1-9][0-9]*$ ]] || die "EVENTS, PER_ENDPOINT and EMAILS must be positive integers"; done
[[ $warmup =~ ^[0-9]+$ ]] || die "WARMUP must be a whole number"
total=$((events + warmup))
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || apt-get install -y -q python3-aiosmtpd >/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/penguinmails-webhook-bench.XXXXXX")
pids=()
server=""
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "publishing the server in Release…" >&2
dotnet publish "$root/src/PenguinMails" -c Release -o "$work/app" --artifacts-path "$work/artifacts" -nologo -v q >"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; die "dotnet publish failed"; }
dotnet publish "$root/bench/webhook-loop" -c Release -o "$work/loop" --artifacts-path "$work/artifacts-loop" -nologo -v q >>"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; die "building bench/webhook-loop failed"; }

free_port() { local p=$((20000 + RANDOM % 30000)); while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done; echo "$p"; }
recv_port=$(free_port)
/usr/bin/python3 "$root/bench/webhook-receiver.py" "$recv_port" "$work/received" >"$work/receiver.log" 2>&1 &
pids+=($!)
smtp_port=$(free_port)
/usr/bin/python3 "$root/tests/smtp/recording_smtp.py" "$smtp_port" "$work/mail" >"$work/smtp.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do grep -q READY "$work/smtp.log" && grep -q READY "$work/receiver.log" && break; sleep 0.1; done
grep -q READY "$work/receiver.log" || { cat "$work/receiver.log" >&2; die "the receiver did not start"; }
grep -q READY "$work/smtp.log" || { cat "$work/smtp.log" >&2; die "the SMTP server did not start"; }
receiver="http://127.0.0.1:$recv_port"
count() { [ -f "$work/received/$1.jsonl" ] && wc -l <"$work/received/$1.jsonl" || echo 0; }

export Logging__LogLevel__Default=Warning DOTNET_CLI_TELEMETRY_OPTOUT=1
export PenguinMails__Webhooks__AllowedPrivateRanges__0=127.0.0.0/8 PenguinMails__Webhooks__PerEndpointConcurrency=$per_endpoint
export PenguinMails__Smtp__Host=127.0.0.1 PenguinMails__Smtp__Port=$smtp_port PenguinMails__Smtp__Security=none
for plan in Starter Professional Business; do
  export "PenguinMails__RateLimits__${plan}__PerMinute=60000000" "PenguinMails__RateLimits__${plan}__Burst=60000000"
done
start_server() { # data-dir delivery-enabled webhooks-enabled
  export PenguinMails__DataDirectory=$1 PenguinMails__Delivery__Enabled=$2 PenguinMails__Webhooks__Enabled=$3
  port=$(free_port); base="http://127.0.0.1:$port"
  (cd "$work" && ASPNETCORE_URLS=$base exec dotnet "$work/app/penguinmails.dll" serve >"$work/server.log" 2>&1) &
  server=$!; pids+=("$server")
  for _ in $(seq 1 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/readyz" || true)" = 200 ] && return 0
    kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; die "the server exited"; }
    sleep 0.1
  done
  die "the server did not answer /readyz"
}
stop_server() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
setup_tenant() { # events path: a key, the sender domain and an endpoint subscribed to the events at the receiver's path
  key=$(dotnet "$work/app/penguinmails.dll" keys create --tenant default --name bench --preset full_access 2>/dev/null | grep -E '^pm_(live|test)_')
  dotnet "$work/app/penguinmails.dll" domains add --tenant default --name example.com --verified >/dev/null 2>&1 # the sender rule
  curl -sf -X POST "$base/api/v1/webhooks" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
    -d "{\"url\":\"$receiver/$2\",\"events\":[\"$1\"]}" >/dev/null || die "creating the endpoint failed"
}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# --- (a) delivery rate ---------------------------------------------------------------------------------
# Record the events with the webhook dispatcher off, then start a node with it on and time the receiver's arrivals
# after the first WARMUP (start-up, the JIT's tiers and the first connections outside the timed window).
start_server "$work/data-a" false false
setup_tenant email.queued server
/usr/bin/python3 - "$base" "$key" "$total" <<'PY'
import json, sys, urllib.request
base, key, total = sys.argv[1], sys.argv[2], int(sys.argv[3])
for start in range(0, total, 500):
    emails = [{"from": "s@example.com", "to": f"queued-{i}@example.com", "subject": f"#{i}", "text_body": "body"}
              for i in range(start, min(total, start + 500))]
    request = urllib.request.Request(base + "/api/v1/emails/batch", data=json.dumps({"emails": emails}).encode(),
                                     headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    assert json.load(urllib.request.urlopen(request))["data"]["accepted"] == len(emails)
PY
stop_server
echo "part (a): $warmup + $events email.queued events to deliver…" >&2
start_server "$work/data-a" false true
for _ in $(seq 1 1200); do [ "$(count server)" -ge "$total" ] && break; kill -0 "$server" 2>/dev/null || die "the server exited"; sleep 0.1; done
[ "$(count server)" -ge "$total" ] || die "only $(count server) of $total events arrived"
stop_server
read -r server_n server_rate < <(/usr/bin/python3 -c '
import json, sys
t = sorted(json.loads(l)["at"] for l in open(sys.argv[1]))[int(sys.argv[2]):]
print(len(t), "%.1f" % ((len(t) - 1) / (t[-1] - t[0])))' "$work/received/server.jsonl" "$warmup")
read -r base_n base_rate < <(dotnet "$work/loop/webhook-loop.dll" "$work/received/server.jsonl" "$receiver/baseline" "$per_endpoint" "$warmup")

# --- (b) sent → webhook delay ------------------------------------------------------------------------
echo "part (b): $emails emails sent, email.sent webhooks timed…" >&2
start_server "$work/data-b" true true
setup_tenant email.sent sent
for i in $(seq 1 "$emails"); do
  curl -sf -X POST "$base/api/v1/emails/send" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
    -d "{\"from\":\"s@example.com\",\"to\":\"reader-$i@example.com\",\"subject\":\"#$i\",\"text_body\":\"body\"}" >/dev/null \
    || die "send $i failed"
done
for _ in $(seq 1 1200); do [ "$(count sent)" -ge "$emails" ] && break; kill -0 "$server" 2>/dev/null || die "the server exited"; sleep 0.1; done
[ "$(count sent)" -ge "$emails" ] || die "only $(count sent) of $emails email.sent webhooks arrived"
read -r p50 p99 pmax < <(/usr/bin/python3 - "$base" "$key" "$work/received/sent.jsonl" <<'PY'
import json, re, sys, urllib.request
from datetime import datetime
base, key, path = sys.argv[1:4]
def epoch(s):  # RFC 3339 with up to 7 fractional digits
    s = re.sub(r"(\.\d{6})\d+", r"\1", s).replace("Z", "+00:00")
    return datetime.fromisoformat(s).timestamp()
delays = []
for line in open(path):
    r = json.loads(line)
    body = json.loads(r["body"])
    email = body["data"]["email_id"]
    got = json.load(urllib.request.urlopen(urllib.request.Request(f"{base}/api/v1/emails/{email}", headers={"Authorization": "Bearer " + key})))
    delays.append((r["at"] - epoch(got["data"]["sent_at"])) * 1000)
delays.sort()
pick = lambda p: delays[min(len(delays) - 1, int(round(p / 100 * len(delays) + 0.5)) - 1)]
print("%.0f %.0f %.0f" % (pick(50), pick(99), delays[-1]))
PY
)
stop_server
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "### Webhooks"
echo
echo "$(nproc) cores shared by the server, the receiver (Python) and the baseline loop; load average (1, 5, 15 min) before: $load_before, after: $load_after. Per-endpoint concurrency $per_endpoint; each side delivered $warmup events untimed first."
echo
echo "| measurement | events | events/s | ratio |"
echo "|---|---:|---:|---:|"
echo "| plain HttpClient loop ($per_endpoint in flight), same bodies and headers | $base_n | $base_rate | 1.00 |"
echo "| server's webhook dispatcher (email.queued, after the untimed ones) | $server_n | $server_rate | $(awk -v a="$server_rate" -v b="$base_rate" 'BEGIN {printf "%.2f", a / b}') |"
echo
echo "Goal: ratio ≥ 0.7."
echo
echo "| email \`sent_at\` → \`email.sent\` webhook arrives | emails | p50 ms | p99 ms | max ms |"
echo "|---|---:|---:|---:|---:|"
echo "| one send at a time, delivery to a loopback SMTP server | $emails | $p50 | $p99 | $pmax |"
