"""Runtime build reports fired in parallel (SQLite and PostgreSQL): twenty first reports of one
build from one worker at once keep one row, never a 500; twenty from different workers keep one
row each."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from jiebang.config import get_settings
from jiebang.db import get_engine
from jiebang.runtimes.models import RuntimeBuild
from tests.concurrency import at_once

TIMES = 20
URL = "/api/v1/worker/runtime-builds"


def test_parallel_first_reports_of_one_build_keep_one_row_per_worker(client: TestClient) -> None:
    token = {"Authorization": f"Worker {get_settings().effective_worker_token}"}
    body = {"kind": "python", "content_key": "ab" * 8, "status": "building", "log_tail": "uv"}

    def report(worker: str) -> Callable[[], httpx.Response]:
        return lambda: client.post(URL, json=body | {"worker": worker}, headers=token)

    same = at_once([report("w-1")] * TIMES)
    assert {r.status_code for r in same} == {204}, [r.text for r in same]
    many = at_once([report(f"w-{n}") for n in range(TIMES)])
    assert {r.status_code for r in many} == {204}, [r.text for r in many]
    with Session(get_engine()) as db:
        rows = db.exec(select(RuntimeBuild.worker)).all()
    assert sorted(rows) == sorted(f"w-{n}" for n in range(TIMES))
