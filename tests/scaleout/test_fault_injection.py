"""Fault injection on the real stack: API on PostgreSQL, Celery workers on RabbitMQ, real sandbox.

Workers are SIGKILLed at random moments and the broker is stopped mid-run; every submission
must still end scored exactly once.
"""

from __future__ import annotations

import random
import subprocess
import time

import httpx
from sqlalchemy import create_engine, text

from ..platform.conftest import PASSWORD
from ..submissions.helpers import setup_phase, submit
from .conftest import Platform, api
from .live import BIN, kill_tree, rabbitmq

TERMINAL = {"scored", "failed", "cancelled"}


def _organiser_token(platform: Platform) -> str:
    subprocess.run(
        [
            str(BIN / "jiebang"),
            "user",
            "create",
            "--email",
            "org@example.org",
            "--name",
            "Org",
            "--password",
            PASSWORD,
            "--role",
            "organiser",
        ],
        env=platform.env,
        check=True,
        capture_output=True,
    )
    return _login(platform, "org@example.org")


def _login(platform: Platform, email: str) -> str:
    response = httpx.post(
        f"{platform.url}/api/v1/auth/login", json={"email": email, "password": PASSWORD}
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


def _team(platform: Platform, contest_id: int) -> dict[str, str]:
    with api(platform) as client:
        client.post(
            "/api/v1/auth/register",
            json={"email": "team@example.org", "display_name": "T", "password": PASSWORD},
        )
    headers = {"Authorization": f"Bearer {_login(platform, 'team@example.org')}"}
    with api(platform) as client:
        client.post(
            f"/api/v1/contests/{contest_id}/teams", json={"name": "Chaos"}, headers=headers
        ).raise_for_status()
    return headers


def _submit_many(platform: Platform, count: int) -> tuple[list[int], dict[str, str]]:
    organiser = {"Authorization": f"Bearer {_organiser_token(platform)}"}
    with api(platform) as client:
        ids = setup_phase(client, organiser, daily_quota=500, total_quota=500, concurrent_quota=100)  # type: ignore[arg-type]
    team = _team(platform, ids["contest"])
    submitted = []
    with api(platform) as client:
        for i in range(count):
            data = f"a 1\nb 2\nc 3\nd 4\nx{i} 0\nsleep 0.3\n".encode()
            response = submit(client, team, ids["phase"], data)  # type: ignore[arg-type]
            assert response.status_code == 200, response.text
            submitted.append(response.json()["id"])
    return submitted, team


def _submissions(platform: Platform, team: dict[str, str], ids: list[int]) -> dict[int, dict]:
    with api(platform) as client:
        return {i: client.get(f"/api/v1/submissions/{i}", headers=team).json() for i in ids}


def _statuses(platform: Platform, team: dict[str, str], ids: list[int]) -> dict[int, str]:
    return {i: sub["status"] for i, sub in _submissions(platform, team, ids).items()}


def _not_scored(platform: Platform, team: dict[str, str], ids: list[int]) -> list[str]:
    """Each submission that did not end scored, with its status and reason (for the message)."""
    return [
        f"#{i} {sub['status']}: {sub.get('failure_category')} {sub.get('failure_reason')}"
        for i, sub in _submissions(platform, team, ids).items()
        if sub["status"] != "scored"
    ]


def _score_rows(platform: Platform) -> list[tuple[int, int]]:
    engine = create_engine(platform.env["JIEBANG_DATABASE_URL"])
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT submission_id, count(*) FROM score GROUP BY submission_id")
        ).all()
    engine.dispose()
    return [(int(a), int(b)) for a, b in rows]


def test_workers_killed_at_random_lose_nothing(platform: Platform) -> None:
    rng = random.Random(20240501)
    platform.add_worker()
    platform.add_worker()
    ids, team = _submit_many(platform, 100)
    kills = 0
    deadline = time.monotonic() + 600
    statuses = _statuses(platform, team, ids)
    while any(s not in TERMINAL for s in statuses.values()):
        assert time.monotonic() < deadline, f"stuck: {_not_scored(platform, team, ids)}"
        time.sleep(rng.uniform(1.0, 4.0))
        if kills < 12:
            victim = rng.randrange(len(platform.workers))
            kill_tree(platform.workers[victim])  # SIGKILL the worker and its pool children
            platform.workers.pop(victim)
            platform.add_worker()
            kills += 1
        statuses = _statuses(platform, team, ids)
    assert set(statuses.values()) == {"scored"}, _not_scored(platform, team, ids)
    rows = _score_rows(platform)
    assert len(rows) == 100 and all(count == 1 for _, count in rows), rows  # exactly once each
    assert sorted(sub for sub, _ in rows) == sorted(ids)
    assert kills == 12


def test_broker_outage_midway(platform: Platform) -> None:
    platform.add_worker()
    ids, team = _submit_many(platform, 20)
    deadline = time.monotonic() + 300
    while sum(s == "scored" for s in _statuses(platform, team, ids).values()) < 3:
        assert time.monotonic() < deadline
        time.sleep(0.5)
    rabbitmq("stop_app")
    try:
        time.sleep(5)
    finally:
        rabbitmq("start_app")
    statuses = _statuses(platform, team, ids)
    while any(s not in TERMINAL for s in statuses.values()):
        assert time.monotonic() < deadline, (
            f"stuck after the outage: {sorted(set(statuses.values()))}"
        )
        time.sleep(1)
        statuses = _statuses(platform, team, ids)
    assert set(statuses.values()) == {"scored"}, _not_scored(platform, team, ids)
    assert all(count == 1 for _, count in _score_rows(platform))
    for proc in platform.workers:
        kill_tree(proc)
    platform.workers.clear()
