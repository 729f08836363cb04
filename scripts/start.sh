#!/usr/bin/env bash
# `npm start`: the whole hub on one machine with one command. Starts Redis at REDIS_URL when none answers
# (a local redis-server in the data folder, when the binary exists), the hub process (embedded database or
# DATABASE_URL, the three simulators, the workers, reference data, schedules, first sync: apps/worker/src/start.ts)
# and the gateway (inside the hub process on the embedded database, its own process with DATABASE_URL), then
# waits. Ctrl-C (or SIGTERM) stops them by their process ids, hub first, and waits for each, so nothing is left
# running. Configuration: .env.example.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh

ensure_dependencies || exit 1

# Settings from .env when there is one (see .env.example); the environment given to npm start wins.
if [ -f .env ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in ''|'#'*) continue ;; esac
    name="${line%%=*}"; value="${line#*=}"; value="${value%%[[:space:]]#*}"
    [[ "$name" =~ ^[A-Z_][A-Z0-9_]*$ ]] || continue
    [ -z "${!name+x}" ] && export "$name=$value"
  done < .env
fi

export HUB_DATA_DIR="${HUB_DATA_DIR:-.hub-data}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
# Ctrl-C should not wait long for a running pull: it is interrupted, goes back to the queue, and resumes from
# its committed cursor on the next start.
export HUB_WORKER_CLOSE_TIMEOUT_MS="${HUB_WORKER_CLOSE_TIMEOUT_MS:-5000}"
GATEWAY_PORT="${HUB_GATEWAY_PORT:-8080}"
mkdir -p "$HUB_DATA_DIR"

# host and port of REDIS_URL (redis://[user:pass@]host[:port][/db])
redis_hostport="${REDIS_URL#*://}"; redis_hostport="${redis_hostport#*@}"; redis_hostport="${redis_hostport%%/*}"
redis_host="${redis_hostport%%:*}"; redis_port="${redis_hostport##*:}"
[ "$redis_port" = "$redis_hostport" ] && redis_port=6379

pids=()
redis_pid=""
stopping=0

stop_all() {
  [ "$stopping" = 1 ] && return
  stopping=1
  echo "stopping the hub ..." >&2
  local pid
  # Newest first: the gateway and the hub close their servers and workers, then Redis goes.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    pid="${pids[$i]}"
    kill -TERM "$pid" 2>/dev/null
  done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  if [ -n "$redis_pid" ]; then
    kill -TERM "$redis_pid" 2>/dev/null
    wait "$redis_pid" 2>/dev/null
  fi
  echo "stopped" >&2
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM

if ! answers "$redis_host" "$redis_port"; then
  case "$redis_host" in
    127.0.0.1|localhost|::1)
      if command -v redis-server >/dev/null 2>&1; then
        mkdir -p "$HUB_DATA_DIR/redis"
        echo "Redis does not answer at $redis_host:$redis_port; starting redis-server in $HUB_DATA_DIR/redis" >&2
        redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$HUB_DATA_DIR/redis" --save 60 1 --appendonly yes \
          --logfile redis.log --daemonize no &
        redis_pid=$!
        if ! wait_for 127.0.0.1 "$redis_port" 15; then
          echo "redis-server did not start; see $HUB_DATA_DIR/redis/redis.log" >&2
          stop_all; exit 1
        fi
      else
        cat >&2 <<MSG
The hub needs Redis for its job queues and none answers at $redis_host:$redis_port.
Install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) and run npm start again
(it starts a local redis-server itself), or point REDIS_URL at a Redis you run.
MSG
        exit 1
      fi
      ;;
    *)
      echo "Redis does not answer at $redis_host:$redis_port (REDIS_URL); start it or fix REDIS_URL." >&2
      exit 1
      ;;
  esac
fi

# The gateway. With DATABASE_URL it runs as a process of its own beside the hub (PostgreSQL takes many
# processes). With the embedded database it must not: PGlite's data folder belongs to ONE process, so the hub
# process serves it itself, over the same store (apps/worker/src/EmbeddedGateway.ts, on HUB_GATEWAY_PORT).
# Either way the development key below is accepted beside the keys of `hub keys create`.
export HUB_GATEWAY="${HUB_GATEWAY:-true}"
export HUB_GATEWAY_PORT="$GATEWAY_PORT"
if [ "$HUB_GATEWAY" = "true" ]; then
  export GATEWAY_API_KEYS="${GATEWAY_API_KEYS:-dev:read+ops:hub-dev-token-change-me}"
  if [ -n "${DATABASE_URL:-}" ]; then
    # With the simulators on (the default) the hub enables every shipped plugin: the dashboard shows all their queues.
    gateway_env=(PORT="$GATEWAY_PORT")
    if [ -z "${HUB_PLUGINS:-}" ] && [ "${HUB_SIMULATORS:-true}" = "true" ]; then
      gateway_env+=(HUB_PLUGINS="council-finance,london-cbs,nhs-england-returns")
    fi
    env "${gateway_env[@]}" node --import tsx apps/gateway/src/main.ts > "$HUB_DATA_DIR/gateway.log" 2>&1 &
    pids+=($!)
    export HUB_GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT"
    echo "gateway: $HUB_GATEWAY_URL, its own process (log: $HUB_DATA_DIR/gateway.log; development key: see GATEWAY_API_KEYS in .env.example)" >&2
  else
    echo "gateway: served by the hub process on http://127.0.0.1:$GATEWAY_PORT (embedded database; log: $HUB_DATA_DIR/gateway.log)" >&2
  fi
fi

node --import tsx apps/worker/src/start.ts &
hub_pid=$!
pids+=($hub_pid)

# Wait for the hub; if it ends on its own (a configuration error, a port in use), stop the rest too.
wait "$hub_pid"
status=$?
stop_all
exit "$status"
