#!/usr/bin/env bash
# The README's test command: lint, typecheck, unit and integration tests of the whole workspace.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh

ensure_dependencies
ensure_postgres
ensure_redis
ensure_chromium

export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
export TEST_REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379}"

npx nx sync:check
# Two tasks at a time: the machines this runs on have two cores, and the PGlite and process-starting tests are
# slow to the point of timing out when more run at once.
npx nx run-many -t lint typecheck test test-integration --parallel=2 --outputStyle=stream "$@"
# The fault-injection suite (tools/faults) last and alone: it starts real workers, a private Redis, a cuttable
# PostgreSQL proxy and the simulators, and is timing-sensitive under load.
npx nx run @hub/faults:test-faults --outputStyle=stream
