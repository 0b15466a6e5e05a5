#!/usr/bin/env bash
# The PHP SDK's suite (penguinmails/sdk), run by sdks/run-tests.sh with the harness's environment (a real server on
# loopback, keys, the chaos proxy, a webhook vector). Needs Debian's php-cli, php-curl, php-xml and phpunit (9.6):
#   apt-get install -y php-cli php-curl php-xml phpunit
# Nothing is downloaded: tests/bootstrap.php autoloads src/ and tests/ without Composer.
# Ends with exactly one line "SDK php: N passed, M failed"; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")"

summary() { echo "SDK php: $1 passed, $2 failed"; }
for tool in php phpunit; do
  if ! command -v "$tool" >/dev/null; then
    echo "sdks/php/test.sh needs $tool: apt-get install -y php-cli php-curl php-xml phpunit" >&2
    summary 0 1
    exit 1
  fi
done
if ! php -r 'exit(extension_loaded("curl") ? 0 : 1);'; then
  echo "sdks/php/test.sh needs PHP's curl extension: apt-get install -y php-curl" >&2
  summary 0 1
  exit 1
fi

junit=$(mktemp /tmp/penguinmails-php-junit.XXXXXX.xml)
trap 'rm -f "$junit"' EXIT
phpunit --configuration phpunit.xml --log-junit "$junit" "$@"
status=$?

# Counts from the junit log's top suite: passed = tests - failures - errors - skipped; skipped, incomplete and risky
# tests count as failed (phpunit.xml also fails the run on them).
read -r passed failed < <(php -r '
  $xml = @simplexml_load_file($argv[1]);
  if ($xml === false || !isset($xml->testsuite)) { echo "0 1\n"; exit; }
  $a = $xml->testsuite->attributes();
  $tests = (int) $a["tests"]; $bad = (int) $a["failures"] + (int) $a["errors"] + (int) $a["skipped"] + (int) ($a["warnings"] ?? 0);
  echo max(0, $tests - $bad), " ", $bad, "\n";
' "$junit")
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
summary "$passed" "$failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
