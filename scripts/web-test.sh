#!/usr/bin/env bash
# The SPA's tests, called by `make test` / `make test-web`:
#   1. npm ci when node_modules is missing or older than package-lock.json;
#   2. Debian's chromium for the e2e suite (installed with apt when running as root);
#   3. svelte-check + Vitest (unit and component tests);
#   4. the production build and the employee-pages size budget (scripts/web-size.sh);
#   5. the Playwright e2e suite against a real server: the Go binary built with
#      -tags testclock into a temp dir, on a free port, embedded SQLite in a temp data dir,
#      operator credentials from the environment below; stopped on exit.
# Set WEB_TEST_SKIP_E2E=1 to stop after step 4.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WEB="$ROOT/web"
cd "$WEB"

step() { printf '\n== web: %s\n' "$*"; }

# 1. dependencies
if [[ ! -d node_modules || ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  step "npm ci"
  npm ci --no-audit --no-fund
fi

# 2. browser (Playwright's own download cannot work here: we drive Debian's chromium)
CHROMIUM_PATH="${CHROMIUM_PATH:-$(command -v chromium || command -v chromium-browser || true)}"
if [[ -z "$CHROMIUM_PATH" && "${WEB_TEST_SKIP_E2E:-0}" != 1 ]]; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    step "installing Debian's chromium"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    CHROMIUM_PATH="$(command -v chromium)"
  else
    echo "web e2e needs Chromium: install the Debian package 'chromium' (sudo apt-get install chromium)," >&2
    echo "or set CHROMIUM_PATH, or WEB_TEST_SKIP_E2E=1 to skip the browser tests." >&2
    exit 1
  fi
fi
export CHROMIUM_PATH

# 3. type check and unit tests
step "svelte-check"
npm run --silent check
step "vitest"
npx vitest run

# 4. build + budget
step "build"
npm run --silent build
bash "$ROOT/scripts/web-size.sh"

[[ "${WEB_TEST_SKIP_E2E:-0}" == 1 ]] && { echo "web e2e skipped (WEB_TEST_SKIP_E2E=1)"; exit 0; }

# 5. e2e against a throw-away server
TMP="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

step "building the server (-tags testclock) with the fresh SPA embedded"
if ! (cd "$ROOT" && go build -tags testclock -o "$TMP/betcity" ./server/cmd/betcity) 2>"$TMP/build.log"; then
  cat "$TMP/build.log" >&2
  echo "web e2e: the Go server does not build; fix it (go test reports the same error)." >&2
  exit 1
fi

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
  || node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
export BETCITY_E2E_PORT="$PORT"
export BETCITY_E2E_OPERATOR_EMAIL="op@betcity.test"
export BETCITY_E2E_OPERATOR_PASSWORD="operator-pass-1"
mkdir -p "$TMP/data"
step "starting the server on port $PORT"
env PORT="$PORT" BETCITY_DATA_DIR="$TMP/data" BETCITY_TEST_CLOCK=true BETCITY_LOG_LEVEL=warn \
  BETCITY_ADMIN_EMAIL="$BETCITY_E2E_OPERATOR_EMAIL" BETCITY_ADMIN_PASSWORD="$BETCITY_E2E_OPERATOR_PASSWORD" \
  "$TMP/betcity" serve >"$TMP/server.log" 2>&1 &
SERVER_PID=$!

ready=0
for _ in $(seq 1 150); do
  if curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; then ready=1; break; fi
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.2
done
if [[ "$ready" != 1 ]]; then
  echo "web e2e: the server did not become ready; its log:" >&2
  cat "$TMP/server.log" >&2
  exit 1
fi

step "playwright"
if ! npx playwright test -c e2e/playwright.config.ts; then
  echo "--- server log (last 80 lines)" >&2
  tail -n 80 "$TMP/server.log" >&2
  exit 1
fi
