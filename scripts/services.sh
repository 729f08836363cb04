# Shared by scripts/test.sh and scripts/start.sh: make sure PostgreSQL and Redis answer, starting the machine's
# own servers when their binaries exist, or stop with a message saying exactly what to install; and, for the
# real-browser test, that Chromium is installed (from Debian's packages when we are root).
# Addresses come from TEST_DATABASE_URL / REDIS_URL when set; only loopback servers are ever started.

answers() { # host port
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

wait_for() { # host port seconds
  local i
  for ((i = 0; i < $3 * 10; i++)); do answers "$1" "$2" && return 0; sleep 0.1; done
  return 1
}

ensure_postgres() {
  local host=127.0.0.1 port=5432
  if answers "$host" "$port"; then return 0; fi
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "PostgreSQL is not answering on $host:$port; starting the machine's cluster" >&2
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
    wait_for "$host" "$port" 30 && return 0
  fi
  cat >&2 <<MSG
PostgreSQL is needed for the integration tests and does not answer on $host:$port.
Install and start it (Debian/Ubuntu: apt-get install postgresql && pg_ctlcluster 15 main start),
with trust authentication for local TCP connections and a database named "test".
MSG
  return 1
}

ensure_redis() {
  local host=127.0.0.1 port=6379
  if answers "$host" "$port"; then return 0; fi
  if command -v redis-server >/dev/null 2>&1; then
    echo "Redis is not answering on $host:$port; starting redis-server without persistence" >&2
    mkdir -p "${TMPDIR:-/tmp}/hub-redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
      --dir "${TMPDIR:-/tmp}/hub-redis" --logfile "${TMPDIR:-/tmp}/hub-redis/redis.log"
    wait_for "$host" "$port" 15 && return 0
  fi
  cat >&2 <<MSG
Redis is needed for the integration tests and does not answer on $host:$port.
Install it (Debian/Ubuntu: apt-get install redis-server); the tests start it themselves once the binary exists.
MSG
  return 1
}

ensure_chromium() { # the browser the real-browser test drives (playwright-core cannot download one here)
  local browser="${HUB_CHROMIUM:-/usr/bin/chromium}"
  if [ -x "$browser" ]; then return 0; fi
  if [ "$browser" = /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "Chromium is missing; installing Debian's chromium package" >&2
    if apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium && [ -x "$browser" ]; then return 0; fi
  fi
  cat >&2 <<MSG
Chromium is needed for the real-browser test (libs/http-api/src/Browser.integration.test.ts) and $browser is
missing. Install Debian's package as root (apt-get update && apt-get install -y chromium), or point
HUB_CHROMIUM at a Chromium or Chrome binary.
MSG
  return 1
}

ensure_dependencies() {
  if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "Installing dependencies (npm ci)" >&2
    # `npm ci` refuses a lockfile that lacks any optional platform binary; bullmq's msgpackr-extract lists
    # builds (darwin, win32) that some registries do not serve, so their entries cannot be recorded. Then
    # `npm install` installs the same locked versions and skips the unavailable optional builds.
    if ! npm ci --no-audit --no-fund; then
      echo "npm ci refused the lockfile (see above); installing the locked versions with npm install" >&2
      npm install --no-audit --no-fund
    fi
  fi
}
