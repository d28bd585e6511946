#!/usr/bin/env bash
# The one test command. Finds or starts MySQL, runs every Go test with -race
# on SQLite and MySQL, then the web unit and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
start=$(date +%s)

export TEST_MYSQL_DSN
TEST_MYSQL_DSN=$(bash scripts/ensure-mysql.sh)
echo "== MySQL for tests: ${TEST_MYSQL_DSN%%@*}@${TEST_MYSQL_DSN#*@}"

if [[ $what == all || $what == go ]]; then
  echo "== go vet"
  go vet ./...
  echo "== go test -race ./..."
  go test -race -count=1 -timeout 20m ./...
fi
if [[ $what == all || $what == web ]]; then
  if [[ -f scripts/web-test.sh ]]; then
    echo "== web tests"
    bash scripts/web-test.sh
  fi
fi
echo "== make test passed in $(( $(date +%s) - start ))s"
