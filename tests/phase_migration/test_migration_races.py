# ruff: noqa: F811  (the board fixtures imported below are requested by name)
"""The migrate button pressed twenty times at once (SQLite and PostgreSQL): each ranked
submission is copied into the phase once, never a 500; the runs after the first copy nothing."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from jiebang.phase_migration import service as migration
from jiebang.submissions.models import Submission
from tests.concurrency import repeated

from ..leaderboards.conftest import client, fixture_evaluators, fresh_board_cache  # noqa: F401
from .test_manual_migration import _setup

Headers = dict[str, str]
TIMES = 20


def test_twenty_parallel_presses_copy_each_submission_once(
    client: TestClient, db: Session, organiser: Headers, make_user: Callable[..., Headers]
) -> None:
    b, final = _setup(client, db, organiser, make_user)
    answers = repeated(
        lambda: client.post(f"/api/v1/phases/{final}/migration", headers=organiser), TIMES
    )
    assert {r.status_code for r in answers} == {200}, [r.text for r in answers]
    migrated = [i for r in answers for i in r.json()["migrated"]]
    db.expire_all()
    copies = list(db.exec(select(Submission).where(Submission.phase_id == final)))
    assert sorted(c.id for c in copies) == sorted(migrated)
    origins = [migration.origin_of(db=db, submission_id=c.id or 0) for c in copies]
    assert sorted(origins) == sorted(b.subs.values())  # each original once
