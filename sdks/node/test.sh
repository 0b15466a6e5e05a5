#!/usr/bin/env bash
# The Node SDK's tests, run by sdks/run-tests.sh with the harness's environment (sdks/harness/README.md):
# installs the pinned dev tools from the lockfile (npm ci), builds dist/ (ESM + CommonJS + .d.ts), runs Node's
# built-in test runner over test/*.test.mjs, one file after another (they share the chaos proxy), and ends with
# "SDK node: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")"
report=$(mktemp)
trap 'rm -f "$report"' EXIT

if ! npm ci --silent --no-audit --no-fund --prefer-offline >/dev/null || ! npm run --silent build; then
  echo "SDK node: 0 passed, 1 failed"
  exit 1
fi
node --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$report" \
  test/*.test.mjs
status=$?
passed=$(awk '/^# pass /{print $3}' "$report" | tail -n 1)
failed=$(awk '/^# fail /{print $3}' "$report" | tail -n 1)
passed=${passed:-0}
failed=${failed:-0}
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "SDK node: $passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
