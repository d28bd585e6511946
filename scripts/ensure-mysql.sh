#!/usr/bin/env bash
# Prints a TEST_MYSQL_DSN for the test suite, finding or starting a real
# MySQL-compatible server. Order: $TEST_MYSQL_DSN; a server on 127.0.0.1:3306
# (root, no password); a throwaway mariadbd in a temp folder on a free port,
# installing Debian's mariadb-server first when running as root. Never skips:
# if nothing works it exits non-zero saying what to install.
set -euo pipefail

log() { echo "ensure-mysql: $*" >&2; }

if [[ -n "${TEST_MYSQL_DSN:-}" ]]; then
  echo "$TEST_MYSQL_DSN"
  exit 0
fi

can_connect() { # host port
  if command -v mariadb-admin >/dev/null 2>&1; then
    mariadb-admin --protocol=tcp -h "$1" -P "$2" -uroot --connect-timeout=2 ping >/dev/null 2>&1
  elif command -v mysqladmin >/dev/null 2>&1; then
    mysqladmin --protocol=tcp -h "$1" -P "$2" -uroot --connect-timeout=2 ping >/dev/null 2>&1
  else
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
  fi
}

if [[ -z "${BETCITY_TEST_MYSQL_THROWAWAY:-}" ]] && can_connect 127.0.0.1 3306; then
  log "using the MariaDB/MySQL server on 127.0.0.1:3306"
  # The suite runs many app instances in parallel, each with its own pool.
  if command -v mariadb >/dev/null 2>&1; then
    mariadb --protocol=tcp -h 127.0.0.1 -uroot -e 'SET GLOBAL max_connections = GREATEST(@@max_connections, 500)' >/dev/null 2>&1 || true
  fi
  echo "root:@tcp(127.0.0.1:3306)/"
  exit 0
fi

if ! command -v mariadbd >/dev/null 2>&1 && [[ ! -x /usr/sbin/mariadbd ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    log "installing Debian package mariadb-server (first run only)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq mariadb-server >&2
  else
    log "no MySQL-compatible server found. Install MariaDB (Debian/Ubuntu: sudo apt-get install mariadb-server;"
    log "macOS: brew install mariadb) or set TEST_MYSQL_DSN=user:pass@tcp(host:port)/"
    exit 1
  fi
fi
MARIADBD=$(command -v mariadbd || echo /usr/sbin/mariadbd)

state=${BETCITY_TEST_MYSQL_DIR:-${TMPDIR:-/tmp}/betcity-test-mariadb}
port_file="$state/port"
if [[ -f "$port_file" ]] && can_connect 127.0.0.1 "$(cat "$port_file")"; then
  log "reusing throwaway mariadbd on port $(cat "$port_file")"
  echo "root:@tcp(127.0.0.1:$(cat "$port_file"))/"
  exit 0
fi
rm -rf "$state"; mkdir -p "$state/data"
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])' 2>/dev/null || echo 33306)
log "starting a throwaway mariadbd in $state on port $port"
user_args=()
[[ $(id -u) -eq 0 ]] && user_args=(--user=root)
mariadb-install-db --no-defaults --datadir="$state/data" --auth-root-authentication-method=normal \
  --skip-test-db "${user_args[@]}" >"$state/install.log" 2>&1 || { cat "$state/install.log" >&2; exit 1; }
nohup "$MARIADBD" --no-defaults --datadir="$state/data" --port="$port" --bind-address=127.0.0.1 \
  --socket="$state/mysqld.sock" --pid-file="$state/mysqld.pid" --character-set-server=utf8mb4 \
  --collation-server=utf8mb4_unicode_ci --innodb-flush-log-at-trx-commit=2 --max-connections=500 \
  --innodb-buffer-pool-size="${BETCITY_TEST_MYSQL_BUFFER_POOL:-256M}" \
  --skip-log-bin "${user_args[@]}" >"$state/server.log" 2>&1 &
for _ in $(seq 1 100); do
  if can_connect 127.0.0.1 "$port"; then
    echo "$port" >"$port_file"
    echo "root:@tcp(127.0.0.1:$port)/"
    exit 0
  fi
  sleep 0.2
done
log "mariadbd did not start; its log:"; tail -20 "$state/server.log" >&2
exit 1
