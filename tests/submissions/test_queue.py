"""The database-backed queue: leases, the watchdog, refunds, and idempotent recording."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from jiebang.db import utcnow
from jiebang.evaluation import queue
from jiebang.evaluation.housekeeping import abort_abandoned_uploads
from jiebang.evaluation.models import EvaluationJob, Score
from jiebang.worker.pipeline import evaluate

from .helpers import drain, setup_phase, start, submit, team_headers, worker_api

GOOD = b"a 1\nb 2\nc 3\nd 4\n"


def _expire_leases(db: Session) -> None:
    for job in db.exec(select(EvaluationJob).where(EvaluationJob.status == "running")):
        job.lease_expires_at = utcnow() - timedelta(seconds=1)
        db.add(job)
    db.commit()


def test_crashed_worker_is_requeued_then_refunded(
    client: TestClient, organiser, make_user, db: Session, tmp_path: Path
) -> None:
    ids = setup_phase(client, organiser)
    team = team_headers(client, make_user, ids["contest"])
    sub = submit(client, team, ids["phase"], GOOD).json()
    for attempt in range(1, 4):
        spec = worker_api(client, f"doomed-{attempt}").claim()  # claims, then "dies"
        assert spec is not None
        _expire_leases(db)
        requeued, failed = queue.requeue_expired(db)
        assert (len(requeued), len(failed)) == ((1, 0) if attempt < 3 else (0, 1))
    detail = client.get(f"/api/v1/submissions/{sub['id']}", headers=team).json()
    assert detail["status"] == "failed" and detail["failure_category"] == "infrastructure"
    assert detail["refunded"] and not detail["charged"] and "refunded" in detail["failure_message"]
    statuses = [h["status"] for h in detail["history"]]
    assert statuses == [
        "uploading",
        "queued",
        "running",
        "queued",
        "running",
        "queued",
        "running",
        "failed",
    ]
    assert (
        client.get(f"/api/v1/phases/{ids['phase']}/quota", headers=team).json()["used_total"] == 0
    )


def test_requeued_job_is_scored_once_by_the_next_worker(
    client: TestClient, organiser, make_user, db: Session, tmp_path: Path
) -> None:
    ids = setup_phase(client, organiser)
    team = team_headers(client, make_user, ids["contest"])
    sub = submit(client, team, ids["phase"], GOOD).json()
    slow = worker_api(client, "slow")
    spec = slow.claim()
    assert spec is not None
    report = evaluate(spec, api=slow, scratch_root=tmp_path, cache_dir=tmp_path / "cache")
    _expire_leases(db)
    queue.requeue_expired(db)
    assert drain(client, tmp_path, "fast") == 1
    # the slow worker finally reports: its lease is gone, and the score is not duplicated
    late = client.post(
        f"/api/v1/worker/jobs/{spec.job_id}/result",
        json={"lease_owner": spec.lease_owner, **report},
        headers=slow.headers,
    )
    assert late.status_code == 204  # same job already has its score: a duplicate delivery, ignored
    assert db.exec(select(func.count()).select_from(Score)).one() == 1
    assert client.get(f"/api/v1/submissions/{sub['id']}", headers=team).json()["status"] == "scored"


def test_result_delivered_twice_yields_one_score(
    client: TestClient, organiser, make_user, db: Session, tmp_path: Path
) -> None:
    ids = setup_phase(client, organiser)
    team = team_headers(client, make_user, ids["contest"])
    submit(client, team, ids["phase"], GOOD)
    api = worker_api(client)
    spec = api.claim()
    assert spec is not None
    report = evaluate(spec, api=api, scratch_root=tmp_path, cache_dir=tmp_path / "cache")
    for _ in range(3):
        response = client.post(
            f"/api/v1/worker/jobs/{spec.job_id}/result",
            json={"lease_owner": spec.lease_owner, **report},
            headers=api.headers,
        )
        assert response.status_code == 204
    assert db.exec(select(func.count()).select_from(Score)).one() == 1


def test_heartbeat_after_takeover_is_refused(
    client: TestClient, organiser, make_user, db: Session
) -> None:
    ids = setup_phase(client, organiser)
    team = team_headers(client, make_user, ids["contest"])
    submit(client, team, ids["phase"], GOOD)
    first = worker_api(client, "first")
    spec = first.claim()
    assert spec is not None
    ok = client.post(
        f"/api/v1/worker/jobs/{spec.job_id}/heartbeat",
        json={"lease_owner": spec.lease_owner},
        headers=first.headers,
    )
    assert ok.status_code == 204
    _expire_leases(db)
    queue.requeue_expired(db)
    assert worker_api(client, "second").claim() is not None
    stale = client.post(
        f"/api/v1/worker/jobs/{spec.job_id}/heartbeat",
        json={"lease_owner": spec.lease_owner},
        headers=first.headers,
    )
    assert stale.status_code == 409


def test_two_workers_never_claim_the_same_job(client: TestClient, organiser, make_user) -> None:
    ids = setup_phase(client, organiser, concurrent_quota=5)
    team = team_headers(client, make_user, ids["contest"])
    for i in range(3):
        submit(client, team, ids["phase"], GOOD + f"#{i}".encode())
    claimed = [worker_api(client, f"w{i}").claim() for i in range(4)]
    ids_claimed = [c.job_id for c in claimed if c is not None]
    assert len(ids_claimed) == 3 and len(set(ids_claimed)) == 3 and claimed[3] is None


def test_abandoned_uploads_are_cleaned_up(
    client: TestClient, organiser, make_user, db: Session
) -> None:
    ids = setup_phase(client, organiser)
    team = team_headers(client, make_user, ids["contest"])
    started = start(client, team, ids["phase"], GOOD).json()
    assert abort_abandoned_uploads(db, older_than=timedelta(hours=1)) == []
    assert abort_abandoned_uploads(db, older_than=timedelta(seconds=-1)) == [
        started["submission"]["id"]
    ]
    detail = client.get(f"/api/v1/submissions/{started['submission']['id']}", headers=team).json()
    assert detail["status"] == "cancelled" and detail["history"][-1]["actor"] == "system:janitor"
    assert (
        client.get(
            f"/api/v1/submissions/{started['submission']['id']}/upload", headers=team
        ).status_code
        == 404
    )


def test_an_archive_the_worker_cannot_unpack_is_the_teams_fault_once(
    client: TestClient, organiser, make_user, tmp_path: Path, monkeypatch
) -> None:
    """duplicates.zip used to crash the worker on every attempt and end refunded; if one
    reaches a worker (e.g. queued before the arrival check refused such files), it fails once,
    as the team's invalid submission, with no retry and no refund."""
    import io
    import warnings
    import zipfile

    from jiebang.submissions.archives import ArchivePolicy, ArchiveReport

    ids = setup_phase(client, organiser)
    team = team_headers(client, make_user, ids["contest"])
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("scores.txt", GOOD)
            archive.writestr("scores.txt", GOOD)
    with monkeypatch.context() as patch:  # as if accepted before the arrival check knew better
        patch.setattr(ArchivePolicy, "check", lambda *a, **k: ArchiveReport("zip", 2, 0))
        sub = submit(client, team, ids["phase"], buffer.getvalue(), filename="duplicates.zip")
    assert sub.status_code == 200, sub.text
    assert drain(client, tmp_path) == 1
    detail = client.get(f"/api/v1/submissions/{sub.json()['id']}", headers=team).json()
    assert detail["status"] == "failed", detail
    assert detail["failure_category"] == "submission"
    # the team's fault, found before any score: a failed attempt, not a scoring one (issue 14)
    assert detail["failed_charged"] and not detail["charged"] and not detail["refunded"]
    assert "appears twice" in detail["failure_message"]
    assert [h["status"] for h in detail["history"]].count("running") == 1
