"""Fair quota for mistakes (issue 14): a file refused on arrival, or found invalid before any
score, does not use the scoring quota; it uses a daily allowance of failed attempts, and
once that is spent new uploads are refused with a message saying so."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from jiebang.core.i18n import translate

from .helpers import drain, put_parts, setup_phase, start, submit, tar_bytes, team_headers

GOOD = b"a 1.5\nb 2\nc 3\nd 6\n"  # every item: scores
INVALID = b"a 1\nthis line is wrong\n"  # the evaluator's SubmissionError, before any score
ESCAPING = tar_bytes({"../evil.txt": b"x"})  # refused on arrival


def _quota(client: TestClient, team: dict[str, str], phase: int) -> dict:
    return client.get(f"/api/v1/phases/{phase}/quota", headers=team).json()


def test_mistakes_use_the_failed_attempts_not_the_scoring_quota(
    client: TestClient, organiser, make_user, tmp_path: Path
) -> None:
    ids = setup_phase(client, organiser, daily_quota=2, concurrent_quota=5)
    team = team_headers(client, make_user, ids["contest"])
    rejected = submit(client, team, ids["phase"], ESCAPING, filename="files.tar")
    assert rejected.status_code == 422, rejected.text
    invalid = submit(client, team, ids["phase"], INVALID)
    assert invalid.status_code == 200 and invalid.json()["charged"]  # not known invalid yet
    assert drain(client, tmp_path) == 1
    detail = client.get(f"/api/v1/submissions/{invalid.json()['id']}", headers=team).json()
    assert detail["failure_category"] == "submission"
    assert detail["failed_charged"] and not detail["charged"] and not detail["refunded"]

    quota = _quota(client, team, ids["phase"])
    assert (quota["used_today"], quota["remaining_today"]) == (0, 2)
    assert quota["daily_failed_quota"] == 2  # the phase sets none: as many as daily_quota
    assert (quota["failed_today"], quota["failed_remaining_today"]) == (2, 0)

    refused = start(client, team, ids["phase"], GOOD)  # the user's saved locale is zh-CN
    assert refused.status_code == 403 and refused.json()["code"] == "quota_failed"
    assert "2 次失败尝试" in refused.json()["detail"] and "起可再次上传" in refused.json()["detail"]
    assert "failed attempts" in translate("quota_failed", "en", limit=2, resets_at="-")

    # the organiser allows more mistakes for this phase: uploads are accepted again
    patched = client.patch(
        f"/api/v1/phases/{ids['phase']}", json={"daily_failed_quota": 3}, headers=organiser
    )
    assert patched.status_code == 200 and patched.json()["daily_failed_quota"] == 3
    good = submit(client, team, ids["phase"], GOOD)
    assert good.status_code == 200 and good.json()["charged"]
    drain(client, tmp_path)
    quota = _quota(client, team, ids["phase"])
    assert (quota["used_today"], quota["failed_today"], quota["failed_remaining_today"]) == (
        1,
        2,
        1,
    )


def test_a_valid_upload_already_open_is_still_scored_when_mistakes_run_out(
    client: TestClient, organiser, make_user, tmp_path: Path
) -> None:
    ids = setup_phase(client, organiser, daily_quota=3, daily_failed_quota=1, concurrent_quota=5)
    team = team_headers(client, make_user, ids["contest"])
    opened = start(client, team, ids["phase"], GOOD)
    assert opened.status_code == 201
    assert submit(client, team, ids["phase"], ESCAPING, filename="x.tar").status_code == 422
    assert start(client, team, ids["phase"], GOOD).json()["code"] == "quota_failed"
    body = opened.json()
    parts = put_parts(client, team, body["upload"], GOOD)
    done = client.post(
        f"/api/v1/submissions/{body['submission']['id']}/complete",
        json={"parts": parts},
        headers=team,
    )
    assert done.status_code == 200 and done.json()["status"] == "queued"


def test_platform_faults_are_still_refunded(
    client: TestClient, organiser, make_user, tmp_path: Path
) -> None:
    ids = setup_phase(client, organiser, daily_quota=2, concurrent_quota=5)
    team = team_headers(client, make_user, ids["contest"])
    crash = submit(client, team, ids["phase"], b"crash\n").json()  # the evaluator's own bug
    drain(client, tmp_path)
    detail = client.get(f"/api/v1/submissions/{crash['id']}", headers=team).json()
    assert detail["failure_category"] == "evaluator" and detail["refunded"]
    assert not detail["charged"] and not detail["failed_charged"]
    quota = _quota(client, team, ids["phase"])
    assert (quota["used_today"], quota["failed_today"]) == (0, 0)
