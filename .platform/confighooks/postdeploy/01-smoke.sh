#!/usr/bin/env bash
# Last step of a deployment on this instance: the new process must report
# ready (database reachable) through its own port, or the deployment fails
# here instead of after the ALB has marked the instance healthy.
set -euo pipefail

url="http://127.0.0.1:${PORT:-5000}/readyz"
# 30 x 2 s covers a cold start with a slow first database connection; the
# variable exists so the hook's own test can fail fast.
attempts="${BETCITY_SMOKE_ATTEMPTS:-30}"

for ((i = 1; i <= attempts; i++)); do
  if curl --silent --show-error --fail --max-time 3 --output /dev/null "$url"; then
    echo "betcity postdeploy: $url ready after $i attempt(s)"
    exit 0
  fi
  sleep 2
done

echo "betcity postdeploy: $url not ready after $attempts attempts; see /var/log/web.stdout.log" >&2
exit 1
