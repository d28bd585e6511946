#!/usr/bin/env bash
# First render of the SPA (make bench): builds the SPA and the server, starts it on a free port with
# SQLite in a temp dir, creates a company, and measures with headless Chromium (web/perf/first-render.mjs)
# navigation start → first contentful paint and → login form visible, median of 5 cold loads on
# loopback. Fails when the login form takes 500 ms or more (WEB_PERF_BUDGET_MS, WEB_PERF_RUNS).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT/web"
[[ -d node_modules ]] || npm ci --no-audit --no-fund >/dev/null
[[ "${1:-}" == "--no-build" && -f dist/index.html ]] || npm run --silent build >/dev/null

TMP="$(mktemp -d)"
PID=""
cleanup() {
  [[ -n "$PID" ]] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
(cd "$ROOT" && CGO_ENABLED=0 go build -o "$TMP/betcity" ./server/cmd/betcity)
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
mkdir -p "$TMP/data"
env PORT="$PORT" BETCITY_DATA_DIR="$TMP/data" BETCITY_LOG_LEVEL=warn \
  BETCITY_ADMIN_EMAIL=perf-op@betcity.test BETCITY_ADMIN_PASSWORD=perf-operator-pass-1 \
  "$TMP/betcity" serve >"$TMP/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 150); do curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.2; done

api() { curl -fsS -H "Host: localhost:$PORT" -H 'Content-Type: application/json' "$@"; }
TOKEN="$(api -d '{"email":"perf-op@betcity.test","password":"perf-operator-pass-1"}' "http://127.0.0.1:$PORT/api/v1/auth/login" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
api -H "Authorization: Bearer $TOKEN" -d '{"slug":"perf","name":"Perf Corp","primary_color":"#1d4ed8","accent_color":"#f59e0b","admin_email":"admin@perf.test","admin_password":"perf-admin-pass-1"}' \
  "http://127.0.0.1:$PORT/api/v1/operator/companies" >/dev/null

node perf/first-render.mjs "http://perf.localhost:$PORT/login" "${WEB_PERF_RUNS:-5}" "${WEB_PERF_BUDGET_MS:-500}"
