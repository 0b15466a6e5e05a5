#!/usr/bin/env bash
# The Python SDK's suite (issue 15): unit tests and the shared scenarios against the server that sdks/run-tests.sh
# starts (it sets PENGUINMAILS_BASE_URL, PENGUINMAILS_API_KEY, ... ; see sdks/harness/README.md). Debian's
# /usr/bin/python3 (3.11), standard library only: nothing is installed. Ends with "SDK python: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")"
python=${PENGUINMAILS_PYTHON:-/usr/bin/python3}
[ -x "$python" ] || python=python3
report=$(mktemp)
trap 'rm -f "$report"' EXIT
PYTHONPATH=src PYTHONDONTWRITEBYTECODE=1 "$python" - "$report" <<'PY'
import sys, unittest
suite = unittest.defaultTestLoader.discover("tests", top_level_dir=".")
result = unittest.TextTestRunner(verbosity=2).run(suite)
failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
passed = result.testsRun - failed - len(result.skipped)
with open(sys.argv[1], "w") as out:
    out.write(f"{passed} {failed + len(result.skipped)}\n")
PY
status=$?
read -r passed failed <"$report" || { passed=0; failed=1; }
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
# Static typing (strict) of the package, when Debian's python3-mypy is installed (apt-get install python3-mypy).
if "$python" -m mypy --version >/dev/null 2>&1; then
  if "$python" -m mypy --strict --no-incremental src/penguinmails; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
else
  echo "mypy is not installed (apt-get install python3-mypy): typing not checked"
fi
echo "SDK python: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
