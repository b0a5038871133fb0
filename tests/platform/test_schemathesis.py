"""Property-based requests generated from our OpenAPI document: no input may cause a 5xx.

Runs on SQLite and PostgreSQL (the stricter backend, e.g. 32-bit integer columns), with an
organiser's token so that generated requests get past authentication into validation. This
is the short version; `bench/fuzz_openapi.py` runs the same for minutes, by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.python import asgi

from jiebang.main import create_app

from .conftest import PASSWORD, TRACK_BODY, contest_body, phase_body

# Takes no input but runs the whole hostile-submission suite (a minute); tests/sandbox covers it.
SLOW_WITHOUT_INPUT = {"/api/v1/admin/sandbox/selftest"}


@pytest.fixture
def seeded(platform_env: None) -> Iterator[dict[str, Any]]:
    """An app with one published contest, so generated ids sometimes hit real rows."""
    from sqlmodel import Session

    from jiebang.auth import service as user_service
    from jiebang.auth.models import Role, UserCreate
    from jiebang.db import get_engine

    app = create_app()
    with Session(get_engine()) as db:
        user_service.create(
            db=db,
            user_in=UserCreate(email="fuzz@example.org", display_name="Fuzz", password=PASSWORD),
            role=Role.organiser,
        )
    # schemathesis runs the app's lifespan once, in its own event loop: seed through its
    # client too, rather than start a second lifespan in another loop
    with asgi.get_client(app) as client:
        response = client.post(
            "/api/v1/auth/login", json={"email": "fuzz@example.org", "password": PASSWORD}
        )
        headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
        contest = client.post("/api/v1/contests", json=contest_body(), headers=headers).json()
        track = client.post(
            f"/api/v1/contests/{contest['id']}/tracks", json=TRACK_BODY, headers=headers
        ).json()
        client.post(f"/api/v1/tracks/{track['id']}/phases", json=phase_body(), headers=headers)
        client.post(f"/api/v1/contests/{contest['id']}/publish", headers=headers)
        yield {"app": app, "headers": headers, "client": client}


def test_no_request_yields_a_server_error(seeded: dict[str, Any]) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", seeded["app"])
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        if operation.path in SLOW_WITHOUT_INPUT:
            continue

        @given(case=operation.as_strategy())
        @settings(
            max_examples=12,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def exercise(case: Any) -> None:
            response = case.call(session=seeded["client"], headers=seeded["headers"])
            if response.status_code >= 500 or "Traceback" in response.text:
                failures.append(
                    f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:200]}"
                )

        exercise()
    assert operations > 40
    assert failures == []
