"""Quota charges cannot be raced: many completes at the same moment are charged at most the
quota, and concurrent completes of one upload answer 409, never 500 (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, func, select

from jiebang.config import get_settings
from jiebang.db import get_engine
from jiebang.submissions.config import get_submission_settings
from jiebang.submissions.models import Submission

from .helpers import put_parts, setup_phase, start, team_headers

COMPLETES = 50


@pytest.fixture
def many_open_uploads(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Allow the 50 prepared uploads this race needs (the default is a handful)."""
    monkeypatch.setenv("JIEBANG_MAX_OPEN_UPLOADS", str(COMPLETES))
    get_settings.cache_clear()
    get_submission_settings.cache_clear()
    yield
    get_submission_settings.cache_clear()  # the next test reads the defaults again


def _prepared(client: TestClient, team: dict[str, str], phase: int, n: int) -> list[dict[str, Any]]:
    """n uploads whose parts all arrived, ready to complete."""
    prepared = []
    for i in range(n):
        data = f"a {i}\nb 2\n".encode()
        started = start(client, team, phase, data)
        assert started.status_code == 201, started.text
        body = started.json()
        parts = put_parts(client, team, body["upload"], data)
        prepared.append({"id": body["submission"]["id"], "parts": parts})
    return prepared


def _complete_all_at_once(
    client: TestClient, team: dict[str, str], uploads: list[dict[str, Any]]
) -> list[httpx.Response]:
    barrier = threading.Barrier(len(uploads))

    def complete(upload: dict[str, Any]) -> httpx.Response:
        barrier.wait()
        return client.post(
            f"/api/v1/submissions/{upload['id']}/complete",
            json={"parts": upload["parts"]},
            headers=team,
        )

    with ThreadPoolExecutor(max_workers=len(uploads)) as pool:
        return list(pool.map(complete, uploads))


def _charged(phase: int) -> int:
    with Session(get_engine()) as db:
        return db.exec(
            select(func.count()).where(Submission.phase_id == phase, col(Submission.charged))
        ).one()


def test_fifty_parallel_completes_are_charged_exactly_the_daily_quota(
    many_open_uploads: None, client: TestClient, organiser, make_user
) -> None:
    ids = setup_phase(client, organiser, daily_quota=3, total_quota=100, concurrent_quota=100)
    team = team_headers(client, make_user, ids["contest"])
    uploads = _prepared(client, team, ids["phase"], COMPLETES)
    answers = _complete_all_at_once(client, team, uploads)
    statuses = Counter(r.status_code for r in answers)
    assert statuses == {200: 3, 403: COMPLETES - 3}, [
        r.text for r in answers if r.status_code >= 500
    ]
    assert {r.json()["code"] for r in answers if r.status_code == 403} == {"quota_daily"}
    assert _charged(ids["phase"]) == 3
    quota = client.get(f"/api/v1/phases/{ids['phase']}/quota", headers=team).json()
    assert quota["used_today"] == 3 and quota["remaining_today"] == 0


def test_parallel_completes_respect_the_concurrent_limit(
    many_open_uploads: None, client: TestClient, organiser, make_user
) -> None:
    ids = setup_phase(client, organiser, daily_quota=100, total_quota=100, concurrent_quota=2)
    team = team_headers(client, make_user, ids["contest"])
    answers = _complete_all_at_once(client, team, _prepared(client, team, ids["phase"], 12))
    assert Counter(r.status_code for r in answers) == {200: 2, 403: 10}
    assert {r.json()["code"] for r in answers if r.status_code == 403} == {"quota_concurrent"}


def test_parallel_completes_respect_the_total_quota(
    many_open_uploads: None, client: TestClient, organiser, make_user
) -> None:
    ids = setup_phase(client, organiser, daily_quota=100, total_quota=2, concurrent_quota=100)
    team = team_headers(client, make_user, ids["contest"])
    answers = _complete_all_at_once(client, team, _prepared(client, team, ids["phase"], 12))
    assert Counter(r.status_code for r in answers) == {200: 2, 403: 10}
    assert {r.json()["code"] for r in answers if r.status_code == 403} == {"quota_total"}
    assert _charged(ids["phase"]) == 2


def test_concurrent_completes_of_one_upload_answer_409_with_the_state(
    client: TestClient, organiser, make_user
) -> None:
    ids = setup_phase(client, organiser, daily_quota=10, concurrent_quota=5)
    team = team_headers(client, make_user, ids["contest"])
    (upload,) = _prepared(client, team, ids["phase"], 1)
    answers = _complete_all_at_once(client, team, [upload] * 8)
    statuses = Counter(r.status_code for r in answers)
    assert statuses == {200: 1, 409: 7}, [r.text for r in answers]
    for refused in (r for r in answers if r.status_code == 409):
        body = refused.json()
        state = body["submission"]["status"]
        assert body["submission"]["id"] == upload["id"] and state in ("uploading", "queued")
        assert body["code"] == (
            "complete_in_progress" if state == "uploading" else "already_completed"
        )
    assert _charged(ids["phase"]) == 1
    again = client.post(
        f"/api/v1/submissions/{upload['id']}/complete",
        json={"parts": upload["parts"]},
        headers=team,
    )
    assert again.status_code == 409 and again.json()["submission"]["status"] == "queued"
    assert "已完成" in again.json()["detail"]  # the user's saved locale is zh-CN
