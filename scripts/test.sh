#!/usr/bin/env bash
# Runs the whole test suite: unit, integration (in-process server + official C# client) and end-to-end (real berth
# process + real kubectl). Installs what the tests need beyond the .NET SDK (kubectl), idempotently.
# Test assemblies run one after another: the process and timing tests assume the 2 cores are not shared with
# another test assembly.
set -uo pipefail
cd "$(dirname "$0")/.."

if ! command -v kubectl >/dev/null 2>&1; then
  echo "kubectl not found; installing the Debian package" >&2
  (apt-get update -qq && apt-get install -y -qq kubectl) >&2 || echo "warning: could not install kubectl" >&2
fi

dotnet build Berth.sln -c Release -v q -nologo || exit 1

passed=0; failed=0; skipped=0; rc=0
for project in tests/Berth.UnitTests tests/Berth.IntegrationTests tests/Berth.E2ETests; do
  log=$(mktemp)
  dotnet test "$project" -c Release --no-build -nologo "$@" 2>&1 | tee "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
  line=$(grep -E '(Passed|Failed)!' "$log" | tail -n 1)
  p=$(sed -nE 's/.*Passed: *([0-9]+).*/\1/p' <<<"$line"); f=$(sed -nE 's/.*Failed: *([0-9]+).*/\1/p' <<<"$line")
  s=$(sed -nE 's/.*Skipped: *([0-9]+).*/\1/p' <<<"$line")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0}))
  rm -f "$log"
done
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$passed" -gt 0 ] || rc=1
exit $rc
