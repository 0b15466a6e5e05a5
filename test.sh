#!/usr/bin/env bash
# Runs every test. Installs (from Debian's packages) and starts on loopback what the tests need —
# PostgreSQL, Redis and Python's aiosmtpd (a real SMTP server for the email tests), dovecot (IMAP and POP3 for the bounce tests), Chromium (the portal's browser
# tests), and the pinned OpenAPI linter (npm ci) — runs the whole suite on both storage providers, then checks every status it saw answered is declared
# in the OpenAPI document, runs the SDK suites against one server (sdks/run-tests.sh), and stops what it started.
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '\n== %s\n' "$*" >&2; }
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
apt_install() {
  if [ "$(id -u)" != 0 ]; then echo "need root to apt-get install $*" >&2; exit 1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null; }
}
free_port() { local p=$1; while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done; echo "$p"; }

# --- PostgreSQL: a throwaway cluster with trust auth on loopback -------------------------------
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  log "installing postgresql"
  apt_install postgresql
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
work=$(mktemp -d /tmp/penguinmails-test.XXXXXX)
chmod 755 "$work"
[ "$(id -u)" = 0 ] && chown postgres: "$work"
pg_port=$(free_port 5433)
cleanup() {
  as_postgres "'$pg_bin/pg_ctl' -D '$work/pg' -m immediate stop" >/dev/null 2>&1 || true
  [ -f "$work/redis.pid" ] && kill "$(cat "$work/redis.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
log "starting PostgreSQL on 127.0.0.1:$pg_port"
as_postgres "'$pg_bin/initdb' -D '$work/pg' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
as_postgres "'$pg_bin/pg_ctl' -D '$work/pg' -l '$work/pg.log' -o \"-c listen_addresses=127.0.0.1 -p $pg_port -k '$work' -c fsync=off -c max_connections=300\" -w start" >/dev/null
export PENGUINMAILS_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"

# --- Redis: an empty, unsaved server on loopback (the rate-limit tests also start their own) ------
if ! command -v redis-server >/dev/null; then
  log "installing redis-server"
  apt_install redis-server
fi
redis_port=$(free_port 6379)
log "starting Redis on 127.0.0.1:$redis_port"
redis-server --daemonize yes --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
  --pidfile "$work/redis.pid" --logfile "$work/redis.log" --dir "$work"
for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
export PENGUINMAILS_TEST_REDIS="127.0.0.1:$redis_port"

# --- SMTP: the email tests start their own aiosmtpd servers with the system interpreter ------------
if ! /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
  log "installing python3-aiosmtpd"
  apt_install python3-aiosmtpd
fi

# --- DNS and DKIM: the domain tests serve records with python3-dnslib and check signatures with dkimpy ------
if ! /usr/bin/python3 -c 'import dnslib, dkim' 2>/dev/null; then
  log "installing python3-dnslib and python3-dkim"
  apt_install python3-dnslib python3-dkim
fi

# --- IMAP and POP3: the bounce tests start their own dovecot per test class (own config, users and Maildir) ----------
if [ ! -x /usr/sbin/dovecot ] || [ ! -x /usr/lib/dovecot/imap ] || [ ! -x /usr/lib/dovecot/pop3 ]; then
  log "installing dovecot-imapd and dovecot-pop3d"
  apt_install dovecot-imapd dovecot-pop3d
fi

# --- the portal's browser tests drive Debian's Chromium (Playwright cannot download its own browser here) ---
if [ ! -x /usr/bin/chromium ]; then
  log "installing chromium"
  apt_install chromium
fi
export PENGUINMAILS_SCREENSHOTS="${PENGUINMAILS_SCREENSHOTS:-$PWD/tests/PenguinMails.Tests/bin/screenshots}"
rm -rf "$PENGUINMAILS_SCREENSHOTS"

# --- the OpenAPI linter: Redocly CLI, pinned in tools/openapi-lint, run by a test over the served document ---
if ! command -v npm >/dev/null; then
  log "installing nodejs and npm"
  apt_install nodejs npm
fi
log "installing the OpenAPI linter (npm ci)"
npm ci --prefix tools/openapi-lint --silent --no-audit --no-fund >/dev/null
log "installing the Standard Webhooks reference library (npm ci in tools/webhook-verify)"
npm ci --prefix tools/webhook-verify --silent --no-audit --no-fund >/dev/null
log "installing Handlebars (JavaScript) for the template parity test (npm ci in tools/handlebars-js)"
npm ci --prefix tools/handlebars-js --silent --no-audit --no-fund >/dev/null

# --- the SDK suites' tools (sdks/run-tests.sh, issue 15): Node and npm above; Python is /usr/bin/python3 ------------
# PHP SDK: Debian's PHP, phpunit, and Composer (SdkInstallTests installs the SDK from the server's Composer repository,
# as the README tells PHP users to). Add here any other Debian package an SDK suite needs.
if [ -f sdks/php/test.sh ] && ! { command -v php && command -v phpunit && command -v composer && php -r 'exit(extension_loaded("curl") ? 0 : 1);'; } >/dev/null 2>&1; then
  log "installing php-cli, php-curl, php-mbstring, php-xml, phpunit and composer (the PHP SDK's tests)"
  apt_install php-cli php-curl php-mbstring php-xml phpunit composer
fi

# --- the suite, then the check of every answered status against the OpenAPI document ----------------
# Phase 1 records each (operation, status) the in-process servers answer; phase 2 checks them all at once.
log "running the tests"
dotnet tool restore >/dev/null
export PENGUINMAILS_TEST_STATUS_LOG="$work/answered-statuses.tsv"
: >"$PENGUINMAILS_TEST_STATUS_LOG"
set +e
dotnet test PenguinMails.slnx --filter "Phase!=AfterSuite" --logger "console;verbosity=normal" 2>&1 | tee "$work/test.log"
status=${PIPESTATUS[0]}
log "checking every answered status is declared in the OpenAPI document"
dotnet test PenguinMails.slnx --no-build --filter "Phase=AfterSuite" --logger "console;verbosity=normal" 2>&1 | tee -a "$work/test.log"
check_status=${PIPESTATUS[0]}
# The SDK suites against one server on SQLite, built by the suite above (sdks/harness/README.md).
log "running the SDK suites (sdks/run-tests.sh)"
server_dll=src/PenguinMails/bin/Debug/net10.0/penguinmails.dll
[ -f "$server_dll" ] && export PENGUINMAILS_SERVER_DLL="$PWD/$server_dll"
sdks/run-tests.sh 2>&1 | tee "$work/sdks.log"
sdk_status=${PIPESTATUS[0]}
set -e
count() { { grep -oE "^ +$1: +[0-9]+" "$work/test.log" || true; } | awk '{s+=$2} END {print s+0}'; }
sdk_count() { awk -v f="$1" '/^SDKs: [0-9]+ passed, [0-9]+ failed/ {n = $f} END {print n + 0}' "$work/sdks.log"; }
sdk_passed=$(sdk_count 2)
sdk_failed=$(sdk_count 4)
if [ "$sdk_status" -ne 0 ] && [ "$sdk_failed" -eq 0 ]; then sdk_failed=1; fi
passed=$(( $(count Passed) + sdk_passed ))
failed=$(( $(count Failed) + sdk_failed ))
echo
echo "screenshots of the portal (look at them): $PENGUINMAILS_SCREENSHOTS"
grep -E "^SDK " "$work/sdks.log" || true
if [ "$(count Failed)" -gt 0 ]; then
  echo "failed tests (the first lines of each failure; the whole output is above):"
  grep -E -A 4 "^ +Failed [A-Za-z_]" "$work/test.log" | cut -c 1-300 | head -n 60 || true
fi
echo "$passed passed, $failed failed"
if [ "$status" -ne 0 ] || [ "$check_status" -ne 0 ] || [ "$sdk_status" -ne 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi
