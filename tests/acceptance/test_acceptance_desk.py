"""The acceptance desk beside the verified track scores (judging's target verification), for
an application awarded directly to a team before public notices existed; the hall of fame
counts it at acceptance, for the team."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlmodel import Session

from jiebang.challenge_lists.models import ApplicationStatus
from jiebang.db import utcnow
from jiebang.teams.models import Team
from tests.judging.target_items import (
    apply_as_team,
    board_with_target_item,
    judge_action,
    publish_list,
    publish_results,
)
from tests.organisations.helpers import PDF, me

Maker = Callable[..., dict[str, str]]


def test_desk_shows_targets_met_and_missed_by_verified_scores(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    judge: dict[str, str],
    make_user: Maker,
) -> None:
    target = board_with_target_item(client, db, organiser, make_user, thresholds=[0.3, 0.1])
    b, item_id = target.board, target.item_id
    publish_list(client, organiser, target.list_id)
    base = f"/api/v1/challenge-items/{item_id}"
    app = apply_as_team(db, b, item_id, "beta")
    team = db.get(Team, b.teams["beta"])
    assert team is not None
    assert client.get(f"{base}/acceptance", headers=organiser).status_code == 409
    # awarded directly (the review endpoint of before public notices): appointed that day
    app.status, app.decided_at = ApplicationStatus.awarded, utcnow()
    db.add(app)
    db.commit()
    judge_action(client, judge, b.subs["beta"], "verify", "reproduced")
    publish_results(client, organiser, b.ids["phase"])

    captain = b.headers["beta"]
    room = client.get(f"{base}/acceptance", headers=captain)
    assert room.status_code == 200, room.text
    assert room.json()["appointee_zh"] == "beta" and room.json()["may_report"] is True
    desk = client.get(f"{base}/acceptance/desk", headers=organiser)
    assert desk.status_code == 200, desk.text
    shown = [
        (t["threshold"], t["met"], t["value"], t["submission_id"]) for t in desk.json()["targets"]
    ]
    assert shown == [(0.3, True, 0.2246, b.subs["beta"]), (0.1, False, 0.2246, b.subs["beta"])]
    assert desk.json()["all_targets_met"] is False and desk.json()["team_name"] == "beta"

    fame = client.get("/api/v1/hall-of-fame").json()
    assert not [e for e in fame if e["kind"] == "challenge"]
    decided = client.post(
        f"{base}/acceptance/decision",
        data={"outcome": "accepted_with_conditions", "note": "第二项指标须在一年内达成"},
        files={"document": ("d.pdf", PDF, "application/pdf")},
        headers=organiser,
    )
    assert decided.status_code == 201, decided.text
    fame = [e for e in client.get("/api/v1/hall-of-fame").json() if e["kind"] == "challenge"]
    assert [(e["team_id"], e["team_name"], e["award_en"]) for e in fame] == [
        (team.id, "beta", "Accepted with conditions")
    ]
    team_record = client.get(f"/api/v1/hall-of-fame/teams/{team.id}").json()
    assert [e["item_id"] for e in team_record if e["kind"] == "challenge"] == [item_id]
    person = client.get(f"/api/v1/hall-of-fame/people/{me(client, captain)}").json()
    assert item_id in [e["item_id"] for e in person]
    got = client.get(f"{base}/acceptance/decision/document", headers=captain)
    assert got.status_code == 200 and got.content == PDF


def test_not_accepted_is_not_in_the_hall_of_fame(
    client: TestClient, db: Session, organiser: dict[str, str], make_user: Maker
) -> None:
    from tests.acceptance.helpers import appointed_item

    issuer, applicant, reviewer = make_user(), make_user(), make_user()
    a = appointed_item(client, organiser, issuer, applicant, reviewer)
    decided = client.post(
        f"/api/v1/challenge-items/{a.item}/acceptance/decision",
        data={"outcome": "not_accepted", "note": "指标未达成"},
        files={"document": ("d.pdf", PDF, "application/pdf")},
        headers=issuer,
    )
    assert decided.status_code == 201, decided.text
    assert not [e for e in client.get("/api/v1/hall-of-fame").json() if e["kind"] == "challenge"]
    news = client.get("/api/v1/notifications", headers=applicant).json()
    assert any(n["kind"] == "acceptance.decided" and "未通过验收" in n["body"] for n in news)
