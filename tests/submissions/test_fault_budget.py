"""Refunded faults are free for the team, so each team has a daily budget of them; past it,
its new submissions wait for an organiser, who can release them."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from jiebang.config import get_settings
from jiebang.evaluation.models import EvaluationJob, FaultRelease

from .helpers import drain, setup_phase, submit, team_headers, worker_api

GOOD = b"a 1.5\nb 2\nc 3\nd 6\n"


@pytest.fixture
def budget_of_two(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIEBANG_FAULT_BUDGET_PER_DAY", "2")
    get_settings.cache_clear()


def test_past_the_budget_new_submissions_wait_for_an_organiser(
    client: TestClient,
    organiser,
    participant,
    make_user,
    db: Session,
    tmp_path: Path,
    budget_of_two: None,
) -> None:
    ids = setup_phase(client, organiser, daily_quota=10, concurrent_quota=5)
    team = team_headers(client, make_user, ids["contest"], "Crashers")
    other = team_headers(client, make_user, ids["contest"], "Others")
    for i in range(2):  # the fixture evaluator crashes on this input: refunded faults
        assert submit(client, team, ids["phase"], b"crash\n#%d" % i).status_code == 200
    assert drain(client, tmp_path) == 2

    held = submit(client, team, ids["phase"], GOOD).json()
    assert held["status"] == "held"
    detail = client.get(f"/api/v1/submissions/{held['id']}", headers=team).json()
    note = detail["history"][-1]
    assert note["status"] == "held" and note["actor"] == "system:fault-budget"
    assert "Waiting for an organiser" in note["note"] and "等待组织方处理" in note["note"]
    assert worker_api(client).claim() is None  # workers never see a held job
    job = db.exec(select(EvaluationJob).where(EvaluationJob.submission_id == held["id"])).one()
    assert job.status == "held"

    fine = submit(client, other, ids["phase"], GOOD).json()
    assert fine["status"] == "queued"  # another team is not affected

    assert client.get("/api/v1/admin/held", headers=participant).status_code == 403
    listed = client.get("/api/v1/admin/held", headers=organiser).json()
    assert [(r["submission_id"], r["team_faults"]) for r in listed] == [(held["id"], 2)]
    release = client.post(
        f"/api/v1/admin/teams/{held['team_id']}/release",
        json={"note": "checked: the evaluator bug is fixed"},
        headers=organiser,
    )
    assert release.status_code == 200, release.text
    assert release.json()["submission_ids"] == [held["id"]]
    assert drain(client, tmp_path) == 2
    detail = client.get(f"/api/v1/submissions/{held['id']}", headers=team).json()
    assert detail["status"] == "scored"
    assert [h["status"] for h in detail["history"]][-4:] == ["held", "queued", "running", "scored"]
    db.expire_all()
    assert db.exec(select(FaultRelease)).one().submissions == 1

    # the budget restarts at the release: the next submission goes straight to the queue
    assert submit(client, team, ids["phase"], GOOD + b"#").json()["status"] == "queued"


def test_team_input_failures_do_not_use_the_budget(
    client: TestClient, organiser, make_user, tmp_path: Path, budget_of_two: None
) -> None:
    ids = setup_phase(client, organiser, daily_quota=10, concurrent_quota=5)
    team = team_headers(client, make_user, ids["contest"])
    for i in range(3):  # invalid submissions are the team's fault: charged, no budget used
        submit(client, team, ids["phase"], b"not a score line %d\n" % i)
    drain(client, tmp_path)
    assert submit(client, team, ids["phase"], GOOD).json()["status"] == "queued"


def test_a_held_submission_can_be_withdrawn_and_is_refunded(
    client: TestClient, organiser, make_user, tmp_path: Path, budget_of_two: None
) -> None:
    ids = setup_phase(client, organiser, daily_quota=10, concurrent_quota=5)
    team = team_headers(client, make_user, ids["contest"])
    for i in range(2):
        submit(client, team, ids["phase"], b"crash\n#%d" % i)
    drain(client, tmp_path)
    held = submit(client, team, ids["phase"], GOOD).json()
    assert held["status"] == "held"
    cancelled = client.post(f"/api/v1/submissions/{held['id']}/cancel", headers=team).json()
    assert cancelled["status"] == "cancelled" and cancelled["refunded"]
    assert client.get("/api/v1/admin/held", headers=organiser).json() == []
