#!/usr/bin/env bash
# Runs every test project of the solution and ends with one summary line summed over all of them:
#   N passed, N failed[, N skipped]
# Exits non-zero when a build or a test fails.
set -uo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# The compression interop tests call the reference libraries through P/Invoke: the system liblz4 (Debian
# liblz4-1, also the bench's lz4-native case) and libsnappy (Debian libsnappy1v5).
missing=()
ldconfig -p | grep -q 'liblz4\.so\.1 ' || missing+=(liblz4-1)
ldconfig -p | grep -q 'libsnappy\.so\.1 ' || missing+=(libsnappy1v5)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian ${missing[*]} for the compression interop tests" >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >&2 || echo "could not install ${missing[*]}; the compression interop tests will fail" >&2
fi

# A test that runs for more than five minutes is stopped and reported by name (the hang blame collector), so a hang
# fails the run with the test's name instead of holding it until an outer timeout.
dotnet test HyphaRpc.sln -c Release --nologo --blame-hang --blame-hang-timeout 5m --blame-hang-dump-type none 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Each test project prints one line like "Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, ...".
read -r passed failed skipped projects < <(awk '
  /(Passed|Failed)! +- Failed: / {
    line = $0; gsub(/,/, "", line); n = split(line, w, /[ \t]+/)
    for (i = 1; i < n; i++) {
      if (w[i] == "Failed:")  f += w[i + 1]
      if (w[i] == "Passed:")  p += w[i + 1]
      if (w[i] == "Skipped:") s += w[i + 1]
    }
    projects++
  }
  END { printf "%d %d %d %d\n", p, f, s, projects }' "$log")

if [ "$projects" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "no test project reported results" >&2
  status=1
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1   # a build or runner failure: count it so the summary never reads as green
fi

summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
exit "$status"
