#!/usr/bin/env bash
# Start the real backend for the e2e run: fresh var dir, migrated DB, seeded staff, built SPA.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${E2E_PORT:-8765}"
VAR_DIR="$(mktemp -d /tmp/jiebang-e2e.XXXXXX)"
export JIEBANG_VAR_DIR="$VAR_DIR"
export JIEBANG_ENVIRONMENT=development
export JIEBANG_FRONTEND_DIST="$(pwd)/dist"
export JIEBANG_LOGIN_RATE_LIMIT="1000/minute"
export JIEBANG_PUBLIC_BASE_URL="http://127.0.0.1:${PORT}"
JB=../.venv/bin/jiebang
$JB db upgrade >/dev/null
$JB user create --email organiser@example.com --name "E2E Organiser" --password "organiser-pass-1" --role organiser >/dev/null
$JB user create --email judge@example.com --name "E2E Judge" --password "judge-pass-1" --role judge >/dev/null
echo "e2e var dir: $VAR_DIR"
exec $JB serve --port "$PORT"
