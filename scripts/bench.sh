#!/usr/bin/env bash
# Runs every Berth benchmark and prints one markdown report on stdout (progress goes to stderr).
#
#   ./scripts/bench.sh            full run (about 13 minutes on 2 cores, longer when the machine is busy)
#   ./scripts/bench.sh --quick    short phases (~5 minutes), to check that the benches work; figures not meaningful
#
# Any other arguments go to the API bench, e.g. --only reads,startup or --server-env DOTNET_GCgen0size=0x800000.
# Builds Release first: the berth server binary, bench/Berth.Bench.Storage (store level, in process),
# bench/Berth.Bench.Api (a real `berth server` child process over HTTPS) and bench/Berth.Bench.Node (the same, running
# real pods: startup burst, termination precision, overhead) and bench/Berth.Bench.Rollout (a rolling restart of the
# example Deployment under load through its Service, with and without preStop). Loopback only; scratch data dirs in $TMPDIR.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=""
api_args=()
for arg in "$@"; do
  case "$arg" in
    quick|--quick) quick=yes ;;
    *) api_args+=("$arg") ;;
  esac
done

# The proxy bench measures HAProxy beside Berth's proxy as a reference L4 proxy when it is installed (Debian package).
if ! command -v haproxy >/dev/null && [ ! -x /usr/sbin/haproxy ] && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  echo "installing haproxy (reference proxy for the proxy bench)" >&2
  { apt-get install -y -qq haproxy || { apt-get update -qq && apt-get install -y -qq haproxy; }; } >&2 || echo "haproxy not installed; the proxy bench runs without its reference row" >&2
fi
echo "building Release (server and benches)" >&2
for project in src/Berth.Server bench/Berth.Bench.Storage bench/Berth.Bench.Api bench/Berth.Bench.Proxy bench/Berth.Bench.Node bench/Berth.Bench.Rollout; do
  dotnet build "$project" -c Release -v q -nologo >&2
done

echo "# Berth benchmarks"
echo
echo "- Commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with local changes)')"
echo "- Started: $(date -u '+%Y-%m-%d %H:%M UTC'); uptime: $(uptime)"
echo
echo "## Store level (bench/Berth.Bench.Storage, in process, no HTTP)"
echo
echo "storage bench: running" >&2
dotnet bench/Berth.Bench.Storage/bin/Release/net10.0/Berth.Bench.Storage.dll ${quick:+quick} | sed 's/^## /### /'
echo
echo "api bench: running" >&2
dotnet bench/Berth.Bench.Api/bin/Release/net10.0/Berth.Bench.Api.dll ${quick:+--quick} ${api_args[@]+"${api_args[@]}"}
echo
echo "proxy bench: running" >&2
dotnet bench/Berth.Bench.Proxy/bin/Release/net10.0/Berth.Bench.Proxy.dll ${quick:+--quick}
echo
echo "node bench: running" >&2
dotnet bench/Berth.Bench.Node/bin/Release/net10.0/Berth.Bench.Node.dll ${quick:+--quick}
echo
echo "rollout bench: running" >&2
dotnet bench/Berth.Bench.Rollout/bin/Release/net10.0/Berth.Bench.Rollout.dll ${quick:+--quick}
echo
echo "- Finished: $(date -u '+%Y-%m-%d %H:%M UTC'); uptime: $(uptime)"
