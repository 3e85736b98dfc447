#!/usr/bin/env bash
# Runs every test suite: starts PostgreSQL and Redis on loopback, runs `dotnet test` with trx loggers,
# and ends with one line "N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"

services_started=0
if [ "$(id -u)" = "0" ] || [ -n "${MOAT_TEST_POSTGRES:-}" ]; then
  if [ -z "${MOAT_TEST_POSTGRES:-}" ]; then
    if exports="$(bash test/scripts/start-services.sh)"; then
      eval "$exports"
      services_started=1
    else
      echo "could not start PostgreSQL/Redis for the tests" >&2
      exit 1
    fi
  fi
fi
cleanup() {
  if [ "$services_started" = "1" ]; then bash test/scripts/stop-services.sh >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

results="$root/TestResults"
rm -rf "$results"
dotnet build Moat.slnx -c Release --nologo -v quiet -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }
# Test projects run one after another (-m:1): several suites assert sub-second propagation across replicas, which
# nine test hosts sharing two cores would blur.
dotnet test Moat.slnx -c Release --no-build --nologo -m:1 \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" "$@"
status=$?

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # a crashed test host or build failure still counts as a failure
fi
echo "$passed passed, $failed failed"
exit "$status"
