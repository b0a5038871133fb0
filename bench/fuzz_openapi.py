"""Schemathesis against the OpenAPI document for a time budget: no request may cause a 5xx.

Run by hand (the test suite's tests/platform/test_schemathesis.py is the short version):

    .venv/bin/python bench/fuzz_openapi.py --database sqlite --seconds 300
    .venv/bin/python bench/fuzz_openapi.py --database postgresql --seconds 300

The app runs in process (ASGI) on a throw-away database (a temporary SQLite file, or a new
database on the PostgreSQL at 127.0.0.1) with one published contest, track and phase, and
every request carries an organiser's token, so generated requests get past authentication
into validation and the services. Operations are fuzzed in rounds, each round with a fresh
random seed, until the budget is spent. Prints the number of cases, the number per status
class and every distinct server error (method, path template, status, first line of body).
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

PG_SERVER = os.environ.get("JIEBANG_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
# takes no input but runs the whole hostile-submission suite (a minute); tests/sandbox covers it
SKIP = {"/api/v1/admin/sandbox/selftest"}


def _database(kind: str, tmp: Path) -> tuple[str, Any]:
    from sqlalchemy import create_engine, text

    if kind == "sqlite":
        return f"sqlite:///{tmp / 'fuzz.db'}", None
    name = f"jiebang_fuzz_{uuid.uuid4().hex[:8]}"
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return f"{PG_SERVER}/{name}", drop


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--examples", type=int, default=25, help="cases per operation per round")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="jiebang-fuzz-"))
    url, drop = _database(args.database, tmp)
    os.environ.update(
        {
            "JIEBANG_ENVIRONMENT": "test",
            "JIEBANG_SECRET_KEY": "fuzz-secret-" + "x" * 40,
            "JIEBANG_ARGON2_TIME_COST": "1",
            "JIEBANG_ARGON2_MEMORY_KIB": "1024",
            "JIEBANG_DATABASE_URL": url,
            "JIEBANG_VAR_DIR": str(tmp / "var"),
            "JIEBANG_STORAGE_URL": "",
            "JIEBANG_FRONTEND_DIST": str(tmp / "no-frontend"),
            "JIEBANG_EMBEDDED_WORKERS": "0",
            "JIEBANG_HOUSEKEEPING_SECONDS": "0",
            "JIEBANG_LOGIN_RATE_LIMIT": "100000/minute",
            "JIEBANG_JOIN_RATE_LIMIT": "100000/minute",
        }
    )
    import logging

    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis.python import asgi
    from sqlmodel import Session, SQLModel

    import jiebang.models  # noqa: F401 - registers the tables
    from jiebang.auth import service as user_service
    from jiebang.auth.models import Role, UserCreate
    from jiebang.db import get_engine
    from jiebang.main import create_app

    logging.disable(logging.CRITICAL)  # the app logs every 500 with a traceback; we count them
    SQLModel.metadata.create_all(get_engine())
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.platform.conftest import PASSWORD, TRACK_BODY, contest_body, phase_body

    app = create_app()
    with Session(get_engine()) as db:
        user_service.create(
            db=db,
            user_in=UserCreate(email="fuzz@example.org", display_name="Fuzz", password=PASSWORD),
            role=Role.organiser,
        )
    statuses: collections.Counter[str] = collections.Counter()
    errors: dict[tuple[str, str, int], str] = {}
    cases = 0
    # schemathesis runs the app's lifespan once, in its own event loop: every request, the
    # seeding ones too, goes through its client, never through a second lifespan
    with asgi.get_client(app) as client:
        token = client.post(
            "/api/v1/auth/login", json={"email": "fuzz@example.org", "password": PASSWORD}
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        contest = client.post("/api/v1/contests", json=contest_body(), headers=headers).json()
        track = client.post(
            f"/api/v1/contests/{contest['id']}/tracks", json=TRACK_BODY, headers=headers
        ).json()
        client.post(f"/api/v1/tracks/{track['id']}/phases", json=phase_body(), headers=headers)
        client.post(f"/api/v1/contests/{contest['id']}/publish", headers=headers)

        schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
        operations = [r.ok() for r in schema.get_all_operations()]
        operations = [op for op in operations if op.path not in SKIP]

        def fuzz(operation: Any) -> Any:
            @given(case=operation.as_strategy())
            @settings(
                max_examples=args.examples,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                database=None,
            )
            def exercise(case: Any) -> None:
                nonlocal cases
                response = case.call(session=client, headers=headers)
                cases += 1
                statuses[f"{response.status_code // 100}xx"] += 1
                if response.status_code >= 500 or "Traceback" in response.text:
                    key = (case.method, operation.path, response.status_code)
                    errors.setdefault(key, f"{case.formatted_path} {response.text[:160]}")

            return exercise

        started = time.monotonic()
        rounds = 0
        while time.monotonic() - started < args.seconds:
            rounds += 1
            for operation in operations:
                if time.monotonic() - started >= args.seconds:
                    break

                try:
                    fuzz(operation)()
                except Exception as exc:  # a generation problem in one operation: report it
                    errors.setdefault(("GENERATE", operation.path, 0), repr(exc)[:200])
    elapsed = time.monotonic() - started
    print(
        f"{args.database}: {cases} cases in {elapsed:.0f} s, {rounds} round(s) over "
        f"{len(operations)} operations; {dict(sorted(statuses.items()))}"
    )
    for (method, path, status), sample in sorted(errors.items()):
        print(f"  {status} {method} {path}: {sample}")
    print("server errors:", sum(1 for k in errors if k[2] >= 500))
    if drop is not None:
        get_engine().dispose()
        drop()
    return 1 if any(k[2] >= 500 for k in errors) else 0


if __name__ == "__main__":
    raise SystemExit(main())
