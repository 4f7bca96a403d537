#!/usr/bin/env bash
# Runs the whole test suite. Installs what the tests need beyond the .NET SDK (kubectl), idempotently.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v kubectl >/dev/null 2>&1; then
  echo "kubectl not found; installing the Debian package" >&2
  (apt-get update -qq && apt-get install -y -qq kubectl) >&2 || echo "warning: could not install kubectl" >&2
fi
dotnet build Berth.sln -c Release -v q -nologo
dotnet test Berth.sln -c Release --no-build -nologo "$@"
