#!/usr/bin/env bash
# The .NET SDK's tests, run by sdks/run-tests.sh with the harness's environment (sdks/harness/README.md): restores
# (NuGet, through the lock-free central package versions of the repository), builds the SDK and its tests, runs them
# one at a time (they share the chaos proxy), and ends with "SDK dotnet: N passed, M failed" read from the trx report.
set -uo pipefail
cd "$(dirname "$0")"
export PENGUINMAILS_SCENARIOS_FILE="${PENGUINMAILS_SCENARIOS_FILE:-$PWD/../scenarios.json}"
export PENGUINMAILS_OPERATIONS_FILE="${PENGUINMAILS_OPERATIONS_FILE:-$PWD/../operations.json}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

if ! dotnet build tests/PenguinMails.Client.Tests -c Release -v quiet -nologo; then
  echo "SDK dotnet: 0 passed, 1 failed"
  exit 1
fi
dotnet test tests/PenguinMails.Client.Tests -c Release --no-build -nologo \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" --results-directory "$results"
status=$?
read -r passed failed < <(python3 - "$results/results.trx" <<'PY'
import sys, xml.etree.ElementTree as ET
try:
    counters = ET.parse(sys.argv[1]).getroot().find(".//{*}ResultSummary/{*}Counters")
    print(counters.get("passed", "0"), int(counters.get("failed", "0")) + int(counters.get("error", "0")) + int(counters.get("timeout", "0")) + int(counters.get("aborted", "0")))
except (OSError, ET.ParseError, AttributeError):
    print(0, 0)
PY
)
passed=${passed:-0}
failed=${failed:-0}
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "SDK dotnet: $passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
