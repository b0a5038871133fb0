"""Organiser re-score through the real worker pipeline: new jobs, old scores kept as history."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from jiebang.evaluation.models import Score

from ..submissions.helpers import drain, setup_phase, submit, team_headers


def test_rescore_phase_with_pinned_version_keeps_history(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
    tmp_path: Path,
) -> None:
    ids = setup_phase(client, organiser)
    team = team_headers(client, make_user, ids["contest"])
    done = submit(client, team, ids["phase"], b"a 1\nb 2\nc 4\nd 4\n")
    assert done.status_code == 200, done.text
    sub = done.json()["id"]
    assert drain(client, tmp_path) == 1
    first = client.get(f"/api/v1/phases/{ids['phase']}/leaderboard", headers=team).json()
    assert first["rows"][0]["scores"] == {"mae": 0.0}  # the public split (a, b) is exact

    result = client.post(
        f"/api/v1/phases/{ids['phase']}/rescore",
        json={"evaluator_version": "1.0.0", "reason": "metric fix"},
        headers=organiser,
    )
    assert result.status_code == 200, result.text
    body = result.json()
    assert (
        body["submission_ids"] == [sub]
        and len(body["job_ids"]) == 1
        and body["evaluator_version"] == "1.0.0"
    )
    assert client.get(f"/api/v1/submissions/{sub}", headers=team).json()["status"] == "queued"
    # While it is re-scored, the board keeps showing the earlier score.
    assert (
        client.get(f"/api/v1/phases/{ids['phase']}/leaderboard", headers=team).json()["rows"][0][
            "submission_id"
        ]
        == sub
    )
    again = client.post(f"/api/v1/phases/{ids['phase']}/rescore", headers=organiser).json()
    assert again["submission_ids"] == [] and again["skipped"] == [sub]  # already queued
    assert drain(client, tmp_path) == 1

    scores = db.exec(select(Score).where(Score.submission_id == sub).order_by(col(Score.id))).all()
    assert [s.is_current for s in scores] == [False, True]
    detail = client.get(f"/api/v1/judge/submissions/{sub}", headers=organiser).json()
    assert [j["purpose"] for j in detail["jobs"]] == ["initial", "rescore"]
    assert (
        detail["rescore_history"]
        and "rescore with line_scores 1.0.0" in detail["rescore_history"][0]["note"]
    )
    assert detail["status"] == "scored"
    audit = client.get(
        "/api/v1/judge/audit", params={"phase_id": ids["phase"]}, headers=organiser
    ).json()
    assert [a["action"] for a in audit] == ["rescore", "rescore"]
    assert audit[1]["reason"] == "metric fix" and audit[1]["details"]["submissions"] == [sub]


def test_rescore_with_a_version_that_is_not_installed_is_refused(
    client: TestClient,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    ids = setup_phase(client, organiser)
    team = team_headers(client, make_user, ids["contest"])
    sub = submit(client, team, ids["phase"], b"a 1\nb 2\nc 4\nd 4\n").json()["id"]
    for url in (
        f"/api/v1/phases/{ids['phase']}/rescore",
        f"/api/v1/judge/submissions/{sub}/rescore",
    ):
        refused = client.post(
            url, json={"evaluator_version": "9.9.9", "reason": "typo"}, headers=organiser
        )
        assert refused.status_code == 422, refused.text
        (error,) = refused.json()["detail"]
        assert error["loc"] == ["body", "evaluator_version"]
        assert error["type"] == "evaluator_version_unknown"
        assert all(part in error["msg"] for part in ("line_scores", "9.9.9", "1.0.0"))
    detail = client.get(f"/api/v1/judge/submissions/{sub}", headers=organiser).json()
    assert [j["purpose"] for j in detail["jobs"]] == ["initial"]  # nothing was queued
