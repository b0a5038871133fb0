"""Judge console: actions with reasons, the audit log, full detail, disqualification, targets."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlmodel import Session

from jiebang.db import utcnow
from jiebang.submissions.models import Submission

from ..leaderboards.helpers import add_score, board, constructed_board, order
from .target_items import (
    apply_as_team,
    board_with_target_item,
    judge_action,
    publish_list,
    publish_results,
)


def test_actions_audit_detail_and_disqualification(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    judge: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    b = constructed_board(client, db, organiser, make_user)
    phase, alpha = b.ids["phase"], b.subs["alpha"]
    assert judge_action(client, judge, alpha, "flag", "public score too good")["flagged"] is True
    missing_reason = client.post(
        f"/api/v1/judge/submissions/{alpha}/actions",
        json={"action": "verify", "reason": ""},
        headers=judge,
    )
    assert missing_reason.status_code == 422
    assert (
        client.post(
            f"/api/v1/judge/submissions/{alpha}/actions",
            json={"action": "delete", "reason": "x"},
            headers=judge,
        ).status_code
        == 422
    )
    state = judge_action(client, judge, alpha, "disqualify", "copied another team's output")
    assert state == {
        "flagged": True,
        "verified": False,
        "disqualified": True,
        "reason": "copied another team's output",
    }

    # Disqualified: gone from every board, still in the judge console.
    assert order(board(client, phase, b.headers["beta"]), b.teams) == ["gamma", "beta"]
    assert order(board(client, phase, judge, split="private"), b.teams) == ["beta", "gamma"]
    rows = client.get(f"/api/v1/judge/phases/{phase}/submissions", headers=judge).json()
    listed = {r["id"]: r for r in rows}
    assert listed[alpha]["review"]["disqualified"] is True
    assert listed[alpha]["public_scores"] == {"mae": 0.1111} and listed[alpha][
        "private_scores"
    ] == {"mae": 0.9137}

    # Withdrawn submissions stay visible to judges (and leave the boards).
    withdrawn = db.get(Submission, b.subs["gamma"])
    assert withdrawn is not None
    withdrawn.withdrawn_at = utcnow()
    db.add(withdrawn)
    db.commit()
    assert order(board(client, phase, judge), b.teams) == ["beta"]
    detail = client.get(f"/api/v1/judge/submissions/{b.subs['gamma']}", headers=judge).json()
    assert detail["withdrawn_at"] and detail["team_name"] == "gamma"

    add_score(db, submission_id=alpha, public=0.2, private=0.8, purpose="rescore")
    detail = client.get(f"/api/v1/judge/submissions/{alpha}", headers=judge).json()
    assert detail["metrics_by_split"]["private"] == {"mae": 0.8}
    assert {i["id"] for i in detail["items"]} == {"a", "b", "c", "d"}
    assert [c["sequence"] for c in detail["plots"]["rd_curves"]] == ["a", "c"]
    assert detail["logs"] == {"score": "ok"} and detail["evaluator_version"] == "1.0.0"
    assert [
        (s["is_current"], s["metrics_by_split"]["private"]["mae"]) for s in detail["score_history"]
    ] == [(False, 0.9137), (True, 0.8)]
    assert [j["purpose"] for j in detail["jobs"]] == ["initial", "rescore"]
    assert [a["action"] for a in detail["audit"]] == ["disqualify", "flag"]
    assert detail["review"]["disqualified"] is True

    # Reinstating brings it back; every step is in the audit log, newest first, with before/after.
    judge_action(client, judge, alpha, "reinstate", "appeal upheld")
    assert order(board(client, phase, b.headers["beta"]), b.teams)[0] == "alpha"
    log = client.get(
        "/api/v1/judge/audit", params={"submission_id": alpha}, headers=organiser
    ).json()
    assert [(e["action"], e["reason"]) for e in log] == [
        ("reinstate", "appeal upheld"),
        ("disqualify", "copied another team's output"),
        ("flag", "public score too good"),
    ]
    assert (
        log[0]["details"]["before"]["disqualified"] is True
        and log[0]["details"]["after"]["disqualified"] is False
    )
    assert log[0]["actor"].startswith("judge:")
    assert client.get("/api/v1/judge/submissions/999999", headers=judge).status_code == 404


def test_targets_met_counts_verified_published_scores_only(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    judge: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    target = board_with_target_item(client, db, organiser, make_user, thresholds=[0.3])
    b = target.board
    url = f"/api/v1/challenge-items/{target.item_id}/targets-met"
    assert client.get(url).status_code == 404  # the list is still a draft
    publish_list(client, organiser, target.list_id)
    for name in ("alpha", "beta"):
        apply_as_team(db, b, target.item_id, name)
    for name in ("alpha", "beta"):
        judge_action(client, judge, b.subs[name], "verify")
    # Not published yet: verified or not, nothing counts (nor hints at the private order).
    before = client.get(url).json()
    assert [(r["team_name"], r["met"], r["value"]) for r in before] == [
        ("alpha", False, None),
        ("beta", False, None),
    ]
    publish_results(client, organiser, b.ids["phase"])
    after = {r["team_name"]: r for r in client.get(url).json()}
    assert (
        after["beta"]["met"] is True
        and after["beta"]["value"] == 0.2246
        and after["beta"]["split"] == "private"
    )
    assert (
        after["beta"]["submission_id"] == b.subs["beta"]
        and abs(after["beta"]["margin"] - 0.0754) < 1e-9
    )
    assert after["alpha"]["met"] is False and abs(after["alpha"]["margin"] - (0.3 - 0.9137)) < 1e-9


def test_team_sees_its_disqualification_but_not_flags_or_verification(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    judge: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    b = constructed_board(client, db, organiser, make_user)
    phase, alpha, beta = b.ids["phase"], b.subs["alpha"], b.subs["beta"]
    judge_action(client, judge, beta, "verify", "top of the private board")
    judge_action(client, judge, alpha, "flag", "looks too good")

    def mine(team: str) -> dict[str, object]:
        rows = client.get(
            f"/api/v1/phases/{phase}/submissions/mine", headers=b.headers[team]
        ).json()
        (row,) = rows
        return dict(row)

    for team, sub in (("alpha", alpha), ("beta", beta)):
        listed = mine(team)
        detail = client.get(f"/api/v1/submissions/{sub}", headers=b.headers[team]).json()
        for view in (listed, detail):
            assert view["disqualified"] is False and view["disqualification_reason"] is None
            assert "flagged" not in view and "verified" not in view

    judge_action(client, judge, alpha, "disqualify", "used the test labels")
    listed = mine("alpha")
    detail = client.get(f"/api/v1/submissions/{alpha}", headers=b.headers["alpha"]).json()
    for view in (listed, detail):
        assert view["disqualified"] is True
        assert view["disqualification_reason"] == "used the test labels"
        assert view["status"] == "scored"  # scored, but no longer ranked

    judge_action(client, judge, alpha, "reinstate", "appeal upheld")
    assert mine("alpha")["disqualified"] is False
