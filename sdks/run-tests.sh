#!/usr/bin/env bash
# Runs the SDK suites (issue 15) against one real server on loopback, as sdks/harness/README.md describes:
#   sdks/run-tests.sh [lang...]        default: every sdks/<lang>/ that has a test.sh
# Builds the server (dotnet build; or uses PENGUINMAILS_SERVER_DLL), starts it on a free loopback port with SQLite in a
# temporary directory, creates each language's tenants, sending domain and keys with the server's CLI, and runs
# sdks/<lang>/test.sh with the harness's environment and its own chaos proxy. Prints each suite's
# "SDK <lang>: N passed, M failed" and "SDKs: N passed, M failed"; stops everything it started, also on failure;
# exits non-zero on any failure.
set -euo pipefail
sdks=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$sdks/.." && pwd)

log() { printf '\n== %s\n' "$*" >&2; }

langs=("$@")
if [ ${#langs[@]} -eq 0 ]; then
  for f in "$sdks"/*/test.sh; do [ -f "$f" ] && langs+=("$(basename "$(dirname "$f")")"); done
fi
for lang in "${langs[@]}"; do
  if [ ! -f "$sdks/$lang/test.sh" ]; then echo "no SDK suite sdks/$lang/test.sh" >&2; exit 2; fi
done
if [ ${#langs[@]} -eq 0 ]; then echo "SDKs: 0 passed, 0 failed"; exit 0; fi
command -v node >/dev/null || { echo "run-tests.sh needs node (the chaos proxy); ./test.sh installs it" >&2; exit 2; }

work=$(mktemp -d /tmp/penguinmails-sdks.XXXXXX)
server_pid=""
proxy_pid=""
stop() { [ -n "$1" ] && kill "$1" 2>/dev/null && wait "$1" 2>/dev/null || true; }
cleanup() {
  stop "$proxy_pid"
  stop "$server_pid"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the server: this checkout's build, unless PENGUINMAILS_SERVER_DLL names one -------------------------------
started=$SECONDS
dll=${PENGUINMAILS_SERVER_DLL:-}
if [ -z "$dll" ]; then
  log "building the server (dotnet build src/PenguinMails)"
  dotnet build "$root/src/PenguinMails" --nologo -v q -clp:ErrorsOnly >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
  dll="$root/src/PenguinMails/bin/Debug/net10.0/penguinmails.dll"
fi
[ -f "$dll" ] || { echo "no server at $dll" >&2; exit 1; }
if [ ! -d "$root/tools/webhook-verify/node_modules/standardwebhooks" ]; then
  npm ci --prefix "$root/tools/webhook-verify" --silent --no-audit --no-fund >/dev/null
fi

mkdir -p "$work/server"
export PenguinMails__DataDirectory="$work/server/data"
cli() { (cd "$work/server" && dotnet "$dll" "$@"); }

log "preparing the database and each language's tenants (server CLI)"
cli migrate 2>>"$work/cli.log" || { cat "$work/cli.log" >&2; echo "the database migration failed" >&2; exit 1; }
# One language's tenants: sdk-<lang> (business, verified domain, full_access key) and
# sdk-<lang>-limited (starter: burst 100) with its own key. Keys go only to a 0600 file, never to the output.
prepare() {
  local lang=$1 slug limited key limited_key
  slug=$(cli tenants create --name "sdk-$lang" --plan business)
  cli domains add --tenant "$slug" --name "sdk-$lang.example.com" --verified >/dev/null
  key=$(cli keys create --tenant "$slug" --name "SDK tests ($lang)" --preset full_access)
  limited=$(cli tenants create --name "sdk-$lang-limited" --plan starter)
  limited_key=$(cli keys create --tenant "$limited" --name "SDK tests ($lang, starter)" --preset full_access)
  umask 077
  printf 'export PENGUINMAILS_API_KEY=%q\nexport PENGUINMAILS_LIMITED_API_KEY=%q\nexport PENGUINMAILS_SENDER=%q\n' \
    "$key" "$limited_key" "sdk@sdk-$lang.example.com" >"$work/$lang.env"
}
pids=()
for lang in "${langs[@]}"; do prepare "$lang" 2>>"$work/cli.log" & pids+=($!); done
for pid in "${pids[@]}"; do wait "$pid" || { cat "$work/cli.log" >&2; echo "preparing the tenants failed" >&2; exit 1; }; done

# Port 0: the system picks a free port as the server binds it, so runs side by side never meet (a port chosen
# beforehand could be taken meanwhile, and another run's server answer this run's requests).
log "starting the server on a free loopback port (SQLite in $work/server/data)"
(cd "$work/server" && exec env ASPNETCORE_URLS="http://127.0.0.1:0" "Logging__LogLevel__Microsoft.Hosting.Lifetime=Information" dotnet "$dll") >"$work/server.log" 2>&1 &
server_pid=$!
base=""
until [ -n "$base" ] && node -e "fetch('$base/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; do
  if ! kill -0 "$server_pid" 2>/dev/null || [ $((SECONDS - started)) -gt 600 ]; then
    tail -n 50 "$work/server.log" >&2; echo "the server did not start" >&2; exit 1
  fi
  sleep 0.3
  base=$(grep -oE 'Now listening on: http://127\.0\.0\.1:[0-9]+' "$work/server.log" | head -n 1 | sed 's/^Now listening on: //' || true)
done
log "server ready on $base after $((SECONDS - started)) s"

# --- each language's suite, one after the other, each with a fresh proxy and a webhook vector signed just before --
total_passed=0
total_failed=0
summaries=()
for lang in "${langs[@]}"; do
  rm -f "$work/proxy.json"
  node "$sdks/harness/proxy.mjs" --target "$base" --ready-file "$work/proxy.json" >"$work/proxy-$lang.log" 2>&1 &
  proxy_pid=$!
  until [ -s "$work/proxy.json" ]; do kill -0 "$proxy_pid" 2>/dev/null || { cat "$work/proxy-$lang.log" >&2; exit 1; }; sleep 0.05; done
  node "$sdks/harness/webhook-vector.mjs" "$work/webhook-vector-$lang.json"
  log "SDK $lang: sdks/$lang/test.sh"
  suite_started=$SECONDS
  set +e
  (
    # shellcheck disable=SC1090
    . "$work/$lang.env"
    export PENGUINMAILS_BASE_URL="$base" PENGUINMAILS_OPENAPI_URL="$base/openapi/v1.json"
    PENGUINMAILS_PROXY_URL=$(node -p "require('$work/proxy.json').proxy_url")
    PENGUINMAILS_HARNESS_URL=$(node -p "require('$work/proxy.json').control_url")
    export PENGUINMAILS_PROXY_URL PENGUINMAILS_HARNESS_URL PENGUINMAILS_WEBHOOK_VECTOR="$work/webhook-vector-$lang.json"
    cd "$sdks/$lang" && exec bash ./test.sh
  ) 2>&1 | tee "$work/$lang.log"
  status=${PIPESTATUS[0]}
  set -e
  stop "$proxy_pid"
  proxy_pid=""
  line=$(grep -E "^SDK $lang: [0-9]+ passed, [0-9]+ failed" "$work/$lang.log" | tail -n 1 || true)
  passed=0
  failed=1
  if [ -n "$line" ]; then
    passed=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")
    failed=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
  fi
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
  [ -n "$line" ] || line="SDK $lang: $passed passed, $failed failed (no summary line; exit status $status)"
  summaries+=("$line")
  log "SDK $lang took $((SECONDS - suite_started)) s"
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
done

log "SDK suites done after $((SECONDS - started)) s (server build and start included)"
for s in "${summaries[@]}"; do echo "$s"; done
echo "SDKs: $total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ] && [ "$total_passed" -gt 0 ]
