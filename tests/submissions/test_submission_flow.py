"""Upload → verify → queue → sandboxed evaluation → score, through the real API and worker."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from jiebang.evaluation.models import EvaluationJob, Score
from jiebang.storage.models import StoredObject

from .helpers import drain, put_parts, setup_phase, start, submit, team_headers

GOOD = b"a 1.5\nb 2\nc 3\nd 6\n"  # public MAE 0.25, private MAE 1.0


def test_submit_score_and_private_stays_private(
    client: TestClient, organiser, make_user, tmp_path: Path
) -> None:
    ids = setup_phase(client, organiser)
    team = team_headers(client, make_user, ids["contest"])
    before = client.get(f"/api/v1/phases/{ids['phase']}/quota", headers=team).json()
    completed = submit(client, team, ids["phase"], GOOD)
    assert completed.status_code == 200, completed.text
    assert completed.json()["status"] == "queued" and completed.json()["charged"] is True
    after = client.get(f"/api/v1/phases/{ids['phase']}/quota", headers=team).json()
    assert after["remaining_today"] == before["remaining_today"] - 1
    assert after["remaining_total"] == before["remaining_total"] - 1

    assert drain(client, tmp_path) == 1
    detail = client.get(f"/api/v1/submissions/{completed.json()['id']}", headers=team).json()
    assert detail["status"] == "scored"
    assert detail["scores"] == {"mae": 0.25}  # the public split only
    assert {row["id"] for row in detail["items"]} == {"a", "b"}
    assert [h["status"] for h in detail["history"]] == ["uploading", "queued", "running", "scored"]
    assert all(h["actor"] for h in detail["history"])


def test_interrupted_upload_resumes(
    client: TestClient, organiser, make_user, tmp_path: Path
) -> None:
    ids = setup_phase(client, organiser)
    team = team_headers(client, make_user, ids["contest"])
    data = (GOOD * 2_000_000)[: 40 * 1024 * 1024]  # 40 MiB: three 16 MiB parts
    started = start(client, team, ids["phase"], data).json()
    sub_id = started["submission"]["id"]
    assert len(started["upload"]["parts"]) == 3
    put_parts(client, team, started["upload"], data, numbers=[1, 3])  # part 2 "dropped"
    plan = client.get(f"/api/v1/submissions/{sub_id}/upload", headers=team).json()
    assert [p["number"] for p in plan["parts_received"]] == [1, 3]
    incomplete = client.post(
        f"/api/v1/submissions/{sub_id}/complete",
        json={
            "parts": [{"number": p["number"], "etag": p["etag"]} for p in plan["parts_received"]]
        },
        headers=team,
    )
    assert incomplete.status_code == 422
    put_parts(client, team, plan, data, numbers=[2])
    plan = client.get(f"/api/v1/submissions/{sub_id}/upload", headers=team).json()
    parts = [{"number": p["number"], "etag": p["etag"]} for p in plan["parts_received"]]
    done = client.post(
        f"/api/v1/submissions/{sub_id}/complete", json={"parts": parts}, headers=team
    )
    assert done.status_code == 200, done.text
    assert done.json()["sha256"] == started["submission"]["sha256"]


def test_sha256_mismatch_is_rejected_without_charge(
    client: TestClient, organiser, make_user, db: Session
) -> None:
    ids = setup_phase(client, organiser)
    team = team_headers(client, make_user, ids["contest"])
    started = start(client, team, ids["phase"], GOOD).json()
    parts = put_parts(client, team, started["upload"], GOOD.replace(b"a", b"z"))
    response = client.post(
        f"/api/v1/submissions/{started['submission']['id']}/complete",
        json={"parts": parts},
        headers=team,
    )
    assert response.status_code == 422
    assert "sha256" in response.json()["detail"][0]["msg"]
    detail = client.get(f"/api/v1/submissions/{started['submission']['id']}", headers=team).json()
    assert (
        detail["status"] == "failed"
        and detail["failure_category"] == "rejected"
        and not detail["charged"]
    )
    assert db.exec(select(func.count()).select_from(EvaluationJob)).one() == 0
    quota = client.get(f"/api/v1/phases/{ids['phase']}/quota", headers=team).json()
    assert quota["used_total"] == 0


def test_team_fault_counts_evaluator_bug_refunds(
    client: TestClient, organiser, make_user, tmp_path: Path
) -> None:
    ids = setup_phase(client, organiser)
    team = team_headers(client, make_user, ids["contest"])
    bad = submit(client, team, ids["phase"], b"a 1\nthis line is wrong\n").json()
    crash = submit(client, team, ids["phase"], b"crash\n").json()
    drain(client, tmp_path)
    bad_detail = client.get(f"/api/v1/submissions/{bad['id']}", headers=team).json()
    assert bad_detail["status"] == "failed" and bad_detail["failure_category"] == "submission"
    assert "is not '<id> <value>'" in bad_detail["failure_message"]
    # invalid before any score: a failed attempt, not a scoring submission (issue 14)
    assert bad_detail["failed_charged"] and not bad_detail["charged"]
    crash_detail = client.get(f"/api/v1/submissions/{crash['id']}", headers=team).json()
    assert (
        crash_detail["failure_category"] == "evaluator"
        and crash_detail["refunded"]
        and not crash_detail["charged"]
    )
    # the evaluator's own output stays with organisers and judges (issue 14)
    assert "deliberate evaluator bug" not in str(crash_detail)
    assert str(tmp_path) not in str(crash_detail)  # no host paths reach the team
    quota = client.get(f"/api/v1/phases/{ids['phase']}/quota", headers=team).json()
    assert quota["used_total"] == 0 and quota["failed_today"] == 1


def test_cancel_queued_refunds(client: TestClient, organiser, make_user, db: Session) -> None:
    ids = setup_phase(client, organiser)
    team = team_headers(client, make_user, ids["contest"])
    sub = submit(client, team, ids["phase"], GOOD).json()
    cancelled = client.post(f"/api/v1/submissions/{sub['id']}/cancel", headers=team).json()
    assert cancelled["status"] == "cancelled" and cancelled["refunded"] and not cancelled["charged"]
    assert (
        client.get(f"/api/v1/phases/{ids['phase']}/quota", headers=team).json()["used_total"] == 0
    )
    assert db.exec(select(EvaluationJob.status)).all() == ["cancelled"]


def test_other_teams_cannot_see_or_touch(client: TestClient, organiser, make_user) -> None:
    ids = setup_phase(client, organiser)
    team = team_headers(client, make_user, ids["contest"], "A")
    other = team_headers(client, make_user, ids["contest"], "B")
    started = start(client, team, ids["phase"], GOOD).json()
    sub_id = started["submission"]["id"]
    for method, path in (
        ("GET", f"/api/v1/submissions/{sub_id}"),
        ("GET", f"/api/v1/submissions/{sub_id}/upload"),
        ("POST", f"/api/v1/submissions/{sub_id}/cancel"),
    ):
        assert client.request(method, path, headers=other).status_code == 404
    stolen = client.put(started["upload"]["parts"][0]["url"], content=GOOD, headers=other)
    assert stolen.status_code == 404


def test_worker_api_needs_the_worker_token(client: TestClient, participant) -> None:
    assert client.post("/api/v1/worker/claim", json={"worker": "x"}).status_code == 401
    assert (
        client.post("/api/v1/worker/claim", json={"worker": "x"}, headers=participant).status_code
        == 401
    )


def test_reference_data_is_stored_with_checksum(client: TestClient, organiser, db: Session) -> None:
    setup_phase(client, organiser)
    refs = db.exec(select(StoredObject).where(StoredObject.key.startswith("references/"))).all()  # type: ignore[union-attr]
    assert len(refs) == 1 and len(refs[0].sha256) == 64
    assert db.exec(select(func.count()).select_from(Score)).one() == 0


def test_an_archive_accepted_on_arrival_is_not_refused_at_scoring(
    client: TestClient, organiser, make_user, tmp_path: Path
) -> None:
    """6,000 files pass the arrival check (10,000 by default); the score sandbox, which reads
    the submission back, must accept them too rather than charge the team for a platform limit."""
    import io
    import zipfile

    ids = setup_phase(client, organiser)
    team = team_headers(client, make_user, ids["contest"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("scores.txt", GOOD)
        for i in range(6000):
            archive.writestr(f"frames/{i:05d}.txt", b"x")
    completed = submit(client, team, ids["phase"], buffer.getvalue(), filename="result.zip")
    assert completed.status_code == 200, completed.text
    assert drain(client, tmp_path) == 1
    detail = client.get(f"/api/v1/submissions/{completed.json()['id']}", headers=team).json()
    assert detail["status"] == "scored", detail.get("failure_message")
    assert detail["scores"] == {"mae": 0.25}
