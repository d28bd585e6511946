#!/usr/bin/env bash
# make bench: BetCity's performance figures, each with a baseline measured
# in the same run and the ratio between them (see docs/benchmarks.md).
#   1. placing bets through the whole HTTP stack (a real `betcity serve`)
#      at 64 clients vs the same SQL statements run directly from Go;
#   2. settling one match with 100,000 bets vs one plain UPDATE of the rows;
#   3. the individual leaderboard page (BenchmarkIndividualLeaderboard100k)
#      vs the bare standings page query without join or rank.
# Knobs: BENCH_RUNS (3), BENCH_CLIENTS (64), BENCH_WARMUP (2s),
# BENCH_DURATION (8s), BENCH_SETTLE_BETS (100000), BENCH_LB_BENCHTIME (200x),
# TEST_MYSQL_DSN, BETCITY_TEST_MYSQL_THROWAWAY=1 (own throwaway mariadbd).
set -uo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)

# By default the figures come from a MariaDB of their own (not the one the
# test suite shares), sized like a database server: a 1 GiB buffer pool so
# 100k-row passes stay in memory, and the log flushed once a second
# (innodb_flush_log_at_trx_commit=2), as on a tuned server. Set
# TEST_MYSQL_DSN to measure another server.
if [[ -z "${TEST_MYSQL_DSN:-}" ]]; then
  export BETCITY_TEST_MYSQL_THROWAWAY=1
  export BETCITY_TEST_MYSQL_DIR="${BETCITY_TEST_MYSQL_DIR:-${TMPDIR:-/tmp}/betcity-bench-mariadb}"
  export BETCITY_TEST_MYSQL_BUFFER_POOL="${BETCITY_TEST_MYSQL_BUFFER_POOL:-1G}"
fi
export TEST_MYSQL_DSN
TEST_MYSQL_DSN=$(bash scripts/ensure-mysql.sh) || exit 1
echo "== MySQL for benchmarks: ${TEST_MYSQL_DSN}"
echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"

work=$(mktemp -d "${TMPDIR:-/tmp}/betcity-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
results="$work/results.tsv"
: >"$results"

echo "== build (betcity, betcity-bench)"
# web/dist may be rebuilt while we compile; retry a few times.
for attempt in 1 2 3 4 5; do
  if CGO_ENABLED=0 go build -trimpath -o "$work/betcity" ./server/cmd/betcity 2>"$work/build.log" &&
    go build -o "$work/betcity-bench" ./server/cmd/betcity-bench 2>>"$work/build.log"; then
    break
  fi
  if [[ $attempt == 5 ]]; then cat "$work/build.log"; exit 1; fi
  sleep 3
done

failed=0
echo
echo "== 1. place bets: HTTP (betcity serve) vs the same SQL direct, ${BENCH_CLIENTS:-64} clients, ${BENCH_RUNS:-3} runs each"
"$work/betcity-bench" place -server-bin "$work/betcity" -out "$results" \
  -clients "${BENCH_CLIENTS:-64}" -runs "${BENCH_RUNS:-3}" -warmup "${BENCH_WARMUP:-2s}" -duration "${BENCH_DURATION:-8s}" || failed=1

echo
echo "== 2. settle one match with ${BENCH_SETTLE_BETS:-100000} bets vs plain UPDATE passes (+ bare leaderboard baseline)"
"$work/betcity-bench" settle -out "$results" -bets "${BENCH_SETTLE_BETS:-100000}" || failed=1

echo
echo "== 3. leaderboard: go test -bench BenchmarkIndividualLeaderboard100k ./server/betting/"
lb_note=""
if grep -qs 'func BenchmarkIndividualLeaderboard100k' server/betting/*_test.go; then
  go test -run '^$' -bench '^BenchmarkIndividualLeaderboard100k$' -benchtime "${BENCH_LB_BENCHTIME:-200x}" -count 1 -timeout 10m \
    ./server/betting/ 2>&1 | tee "$work/leaderboard.txt" || failed=1
else
  lb_note="BenchmarkIndividualLeaderboard100k does not exist yet (server/betting/leaderboard_bench_test.go)"
  echo "   $lb_note"
fi

echo; echo "== 4. web: bundle sizes and first render"; { bash scripts/web-size.sh --build && bash scripts/web-perf.sh --no-build; } || failed=1
echo
echo "== summary (medians; ratio = measured / baseline)"
"$work/betcity-bench" summary -results "$results" -leaderboard "$work/leaderboard.txt" -leaderboard-note "$lb_note" || failed=1
echo
echo "== make bench finished in $(( $(date +%s) - start ))s"
exit $failed
