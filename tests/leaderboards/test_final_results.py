"""Issue 14's results journey: judges publish once the phase has ended (refused before, with the
date), phases and contests say where they stand by their dates, the published board marks ties
and states the tie-break rule, each team reads its own final rank, and the team's list shows
public scores and failure reasons in its language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from jiebang.submissions import lifecycle
from jiebang.submissions.models import FailureCategory, Submission, SubmissionStatus

from .helpers import T0, add_submission, board, constructed_board, end_phase

ZH = {"Accept-Language": "zh-CN"}


def test_judge_publishes_after_the_end_only(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    judge: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    b = constructed_board(client, db, organiser, make_user)
    phase_id = b.ids["phase"]
    running = client.get(f"/api/v1/phases/{phase_id}", headers=ZH).json()
    assert running["stage"] == "running" and running["can_publish"] is False
    assert running["publishable_from"] == running["ends_at"]
    assert running["publish_blocked_reason"].startswith("阶段结束后才能发布最终结果")
    contest = client.get(f"/api/v1/contests/{b.ids['contest']}").json()
    assert contest["stage"] == "running" and contest["closes_at"] == running["ends_at"]
    early = client.post(f"/api/v1/phases/{phase_id}/publish", headers=judge | ZH)
    assert early.status_code == 409 and early.json()["code"] == "phase_not_ended"
    assert "可发布时间" in early.json()["detail"]
    participant = b.headers["alpha"]
    assert client.post(f"/api/v1/phases/{phase_id}/publish", headers=participant).status_code == 403
    end_phase(client, organiser, phase_id)
    ended = client.get(f"/api/v1/phases/{phase_id}").json()
    assert ended["stage"] == "past" and ended["can_publish"] and not ended["publish_blocked_reason"]
    assert client.get(f"/api/v1/contests/{b.ids['contest']}").json()["stage"] == "past"
    mine = client.get(f"/api/v1/phases/{phase_id}/results/mine", headers=participant).json()
    assert mine["published"] is False
    published = client.post(f"/api/v1/phases/{phase_id}/publish", headers=judge)
    assert published.status_code == 200, published.text
    final = board(client, phase_id, split="private")
    assert final["published"] and final["awards"][0]["label_zh"] == "一等奖"
    assert "earlier submission" in final["tie_rule_en"] and "提交时间" in final["tie_rule_zh"]
    mine = client.get(f"/api/v1/phases/{phase_id}/results/mine", headers=b.headers["beta"]).json()
    assert (mine["rank"], mine["award_en"], mine["teams"]) == (1, "First prize", 3)  # private order


def test_ties_share_a_rank_and_name_the_rule(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    judge: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    b = constructed_board(client, db, organiser, make_user)
    phase_id = b.ids["phase"]
    # delta submits later a copy of beta's private score: tied on the primary column
    h = make_user()
    team = client.post(
        f"/api/v1/contests/{b.ids['contest']}/teams", json={"name": "delta"}, headers=h
    ).json()
    add_submission(
        db, phase_id=phase_id, team_id=team["id"], public=0.9, private=0.2246,
        at=T0 + timedelta(days=3),
    )  # fmt: skip
    end_phase(client, organiser, phase_id)
    assert client.post(f"/api/v1/phases/{phase_id}/publish", headers=judge).status_code == 200
    rows = board(client, phase_id, split="private")["rows"]
    first, second = rows[0], rows[1]
    assert (first["team_id"], second["team_id"]) == (b.teams["beta"], team["id"])
    assert first["tied"] and second["tied"] and second["shared_rank"] == first["shared_rank"] == 1
    assert (first["rank"], second["rank"]) == (1, 2)  # the rule ordered them: earlier first
    assert second["tie_break"] == "submitted_at" and first["tie_break"] is None
    assert (first["award_en"], second["award_en"]) == ("First prize", "Second prize")
    assert rows[2]["shared_rank"] == 3 and not rows[2]["tied"]
    mine = client.get(f"/api/v1/phases/{phase_id}/results/mine", headers=h).json()
    assert mine["tied"] and mine["shared_rank"] == 1 and mine["rank"] == 2


def test_team_rows_show_public_scores_and_localised_failures(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    b = constructed_board(client, db, organiser, make_user)
    headers = b.headers["alpha"]
    failed_id = add_submission(
        db, phase_id=b.ids["phase"], team_id=b.teams["alpha"], public=1, private=1, at=T0
    )
    failed = db.get(Submission, failed_id)
    assert failed is not None
    failed.status = SubmissionStatus.running
    failed.description = "first try with the new model"
    lifecycle.fail(
        db,
        failed,
        FailureCategory.submission,
        "scores.txt is missing",
        actor="worker:test",
        message_zh="缺少 scores.txt",
    )
    db.commit()
    url = f"/api/v1/phases/{b.ids['phase']}/submissions/mine"
    rows = {r["id"]: r for r in client.get(url, headers=headers | ZH).json()}
    scored = rows[b.subs["alpha"]]
    assert scored["primary_metric"] == "mae" and scored["scores"] == {"mae": 0.1111}  # public only
    row = rows[failed_id]
    assert row["status"] == "failed" and row["description"] == "first try with the new model"
    assert (row["failure_reason"], row["failure_category_label"]) == (
        "缺少 scores.txt",
        "提交内容有误",
    )
    saved = client.patch("/api/v1/auth/me", json={"locale": "en"}, headers=headers)
    assert saved.status_code == 200  # the user's saved language wins over the header
    english = {r["id"]: r for r in client.get(url, headers=headers | ZH).json()}
    assert english[failed_id]["failure_reason"] == "scores.txt is missing"
    detail = client.get(f"/api/v1/submissions/{b.subs['alpha']}", headers=headers).json()
    assert detail["logs"] == {} and detail["warnings"] == []  # the evaluator's output is staff's


def test_verify_is_for_scored_submissions_only(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    judge: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    b = constructed_board(client, db, organiser, make_user)
    failed = db.get(Submission, b.subs["gamma"])
    assert failed is not None
    lifecycle.fail(
        db, failed, FailureCategory.submission, "bad", actor="worker:test", message_zh="错误"
    )
    db.commit()
    url = f"/api/v1/judge/submissions/{b.subs['gamma']}/actions"
    refused = client.post(url, json={"action": "verify", "reason": "looks fine"}, headers=judge)
    assert refused.status_code == 409 and refused.json()["code"] == "only_scored_verifiable"
    flagged = client.post(url, json={"action": "flag", "reason": "check it"}, headers=judge)
    assert flagged.status_code == 200
