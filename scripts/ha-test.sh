#!/usr/bin/env bash
# make ha-test: BetCity's high-availability rehearsal on one machine (see
# docs/ha-test.md). A throwaway MariaDB, three `betcity serve` instances
# sharing one uploads folder and one JWT secret, haproxy in front standing in
# for the ALB, retrying virtual users betting through it, and four failures:
# kill -9 of an instance, a rolling replacement with a new binary, a MariaDB
# restart, an avatar served by the instances that did not receive it.
# Traffic goes only to 127.0.0.1. Exits non-zero when any check fails.
#
# Knobs (environment): HA_USERS (24), HA_MEMBERS (40), HA_MATCHES (300),
# HA_PHASE (25s), HA_WARMUP (8s), HA_REQUIRE_AVATAR=1 (fail instead of PENDING
# while avatar upload is not implemented), HA_KEEP=1 (keep the temp folder).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
log() { echo "ha-test: $*" >&2; }

install_pkg() { # package
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    log "installing Debian package $1 (first run only)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq "$1" >&2
  else
    log "$1 is missing: install it (Debian/Ubuntu: sudo apt-get install $1; macOS: brew install $1)"
    exit 1
  fi
}

find_bin() { # name -> path or empty
  command -v "$1" 2>/dev/null || { [[ -x /usr/sbin/$1 ]] && echo "/usr/sbin/$1"; } || true
}

[[ -n $(find_bin haproxy) ]] || install_pkg haproxy
[[ -n $(find_bin mariadbd) && -n $(find_bin mariadb-install-db) ]] || install_pkg mariadb-server
HAPROXY=$(find_bin haproxy)
MARIADBD=$(find_bin mariadbd)
INSTALL_DB=$(find_bin mariadb-install-db)
command -v go >/dev/null 2>&1 || { log "Go is missing (https://go.dev/dl/)"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/betcity-ha.XXXXXX")
mkdir -p "$work/bin" "$work/pids" "$work/logs"
status=1
cleanup() {
  # Every process the orchestrator started has its PID in $work/pids; it
  # stops them itself, this is the safety net if it died first.
  local f pid
  for f in "$work"/pids/*.pid; do
    [[ -f $f ]] || continue
    pid=$(cat "$f")
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      sleep 1
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  if [[ $status -ne 0 || -n ${HA_KEEP:-} ]]; then
    log "kept $work (logs/, haproxy.cfg, mariadb/)"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

base=$(git describe --always --dirty 2>/dev/null || echo dev)
old_version="$base-ha-old"
new_version="$base-ha-new"
log "building betcity $old_version and $new_version, and the orchestrator"
CGO_ENABLED=0 go build -trimpath -ldflags "-X main.version=$old_version" -o "$work/bin/betcity-old" ./server/cmd/betcity
CGO_ENABLED=0 go build -trimpath -ldflags "-X main.version=$new_version" -o "$work/bin/betcity-new" ./server/cmd/betcity
go build -o "$work/bin/hatest" ./server/hatest/cmd/hatest
mkdir -p tmp

args=(-work "$work" -old "$work/bin/betcity-old" -old-version "$old_version"
  -new "$work/bin/betcity-new" -new-version "$new_version"
  -haproxy "$HAPROXY" -mariadbd "$MARIADBD" -mariadb-install-db "$INSTALL_DB"
  -report "$root/tmp/ha-test-report.txt"
  -users "${HA_USERS:-24}" -members "${HA_MEMBERS:-40}" -matches "${HA_MATCHES:-300}"
  -phase "${HA_PHASE:-25s}" -warmup "${HA_WARMUP:-8s}")
[[ -n ${HA_REQUIRE_AVATAR:-} ]] && args+=(-require-avatar)
set +e
"$work/bin/hatest" "${args[@]}"
status=$?
set -e
exit $status
