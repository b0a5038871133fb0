#!/usr/bin/env bash
# Start the real backend for the e2e run: fresh var dir, migrated DB, seeded staff, built SPA.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${E2E_PORT:-8765}"
VAR_DIR="$(mktemp -d /tmp/jiebang-e2e.XXXXXX)"
export JIEBANG_VAR_DIR="$VAR_DIR"
export JIEBANG_ENVIRONMENT=development
# E2E_FRONTEND_DIST: a build of its own, which no concurrent `npm run build` can remove mid-run
export JIEBANG_FRONTEND_DIST="${E2E_FRONTEND_DIST:-$(pwd)/dist}"
export JIEBANG_LOGIN_RATE_LIMIT="1000/minute"
# the journeys build contests from scratch (no reference data): publish them without the
# readiness gate, as tests/conftest.py does; the demo contests pass it for real
export JIEBANG_READINESS_REQUIRED=false
export JIEBANG_PUBLIC_BASE_URL="http://127.0.0.1:${PORT}"
# emails go to a loopback SMTP server that writes each one into a folder the specs read
SMTP_PORT="${E2E_SMTP_PORT:-$((PORT + 1000))}"
MAIL_DIR="$(pwd)/../test-artifacts/e2e-mail-${PORT}"
rm -rf "$MAIL_DIR" && mkdir -p "$MAIL_DIR"
../.venv/bin/python e2e/smtp_sink.py "$SMTP_PORT" "$MAIL_DIR" "$$" > "$VAR_DIR/smtp.log" 2>&1 &
export JIEBANG_SMTP_HOST=127.0.0.1
export JIEBANG_SMTP_PORT="$SMTP_PORT"
export JIEBANG_EMAIL_BACKOFF_SECONDS=2
export JIEBANG_PUBLIC_URL="http://127.0.0.1:${PORT}"
JB=../.venv/bin/jiebang
../.venv/bin/python e2e/seed_staff.py
# the demo contest gives the journeys a codec track with real reference data and anchors
$JB demo > "$VAR_DIR/demo.log" 2>&1
# a real codec submission (one of the demo baselines, re-encoded) for the participant to upload
mkdir -p ../test-artifacts
../.venv/bin/python -c "
import os, pathlib
from jiebang.demo import baselines
public = pathlib.Path(os.environ['JIEBANG_VAR_DIR']) / 'demo/bundle/data/codec/public'
_, data = baselines.baseline('codec', public, 'xiangjiang-lab')
pathlib.Path('../test-artifacts/e2e-codec-submission.tar').write_bytes(data)
"
echo "e2e var dir: $VAR_DIR"
exec $JB serve --port "$PORT" --no-migrate
