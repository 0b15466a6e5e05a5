#!/usr/bin/env bash
# Where the server's memory is during a campaign fan-out: the steps of bench/campaign-fanout.sh (100,000 contacts
# imported, an untimed 30,000-contact campaign, then a 100,000-contact campaign timed) on SQLite, printing the server's
# RSS after each step, the peak (VmHWM) of the timed campaign, and its resident memory by kind of mapping at the end.
# The server's environment passes through, so settings compare side by side, e.g.
#   DOTNET_GCConserveMemory=0 bash bench/fanout-memory.sh;  MALLOC_ARENA_MAX=8 bash bench/fanout-memory.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
rows=100000 small=1000 warm=30000
die() { echo "fanout-memory: $*" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/penguinmails-bench.XXXXXX")
server=""
stop_server() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  server=""
}
trap 'stop_server; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

echo "publishing the server in Release…" >&2
dotnet publish "$root/src/PenguinMails" -c Release -o "$work/app" --artifacts-path "$work/artifacts" -nologo -v q \
  >"$work/publish.log" 2>&1 || { cat "$work/publish.log" >&2; die "dotnet publish failed"; }
. "$root/bench/bench-server.sh"
fanout_contacts "$rows" "$small" "$warm" >"$work/contacts.csv"
api() { curl -sf -H "Authorization: Bearer $key" -H 'Content-Type: application/json' "$@"; }
campaign() { # tag -> waits until the fan-out is complete
  local id
  id=$(api -X POST "$base/api/v1/campaigns" -d "{\"name\":\"bench $1\",\"from\":\"news@example.com\",\"subject\":\"Hi {{first_name}}\",
    \"html_body\":\"<p>Hello {{first_name}} {{last_name}} from {{city}}</p>\",\"text_body\":\"Hello {{first_name}}\",
    \"audience\":{\"tags\":[\"$1\"]}}" | grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4)
  [ -n "$id" ] || die "creating the campaign failed"
  api -X POST "$base/api/v1/campaigns/$id/send" >/dev/null
  until api "$base/api/v1/campaigns/$id" | grep -q '"fan_out_complete":true'; do sleep 0.1; done
}
mib() { awk -v k="$1" '$1 == k":" {printf "%.0f", $2 / 1024}' "/proc/$(pid_of_server)/status"; }

export PenguinMails__Campaigns__BatchSize=1000 PenguinMails__Delivery__Enabled=false
load_before=$(cut -d' ' -f1 /proc/loadavg)
start_server sqlite
started=$(mib VmRSS)
curl -sf -H "Authorization: Bearer $key" -H 'Content-Type: text/csv' --data-binary "@$work/contacts.csv" "$base/api/v1/contacts/import" >/dev/null \
  || die "contact import failed"
imported=$(mib VmRSS)
campaign warm
warmed=$(mib VmRSS)
reset_hwm
t0=$(date +%s.%N); campaign big; t1=$(date +%s.%N)
echo
echo "load average before: $load_before"
echo
echo "| after start | after the import | after the warm-up campaign | peak of the timed campaign | its seconds |"
echo "|---:|---:|---:|---:|---:|"
echo "| $started | $imported | $warmed | $(mib VmHWM) | $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') |"
echo
echo "| resident at the end, by mapping | MiB |"
echo "|---|---:|"
python3 - "$(pid_of_server)" <<'PY'
import collections, re, sys
kinds = collections.Counter(); kind = None
for line in open(f"/proc/{sys.argv[1]}/smaps"):
    m = re.match(r"^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$", line)
    if m:
        name = m.group(1)
        kind = ("assemblies (.dll)" if name.endswith(".dll") else "JIT code and stubs (doublemapper)" if "doublemapper" in name
                else "native libraries (.so)" if ".so" in name else "malloc main heap" if name == "[heap]"
                else "anonymous (GC heap, malloc arenas, stacks)" if name in ("", "[stack]") else "other")
    elif line.startswith("Rss:"):
        kinds[kind] += int(line.split()[1])
for k, v in kinds.most_common():
    print(f"| {k} | {v / 1024:.0f} |")
PY
