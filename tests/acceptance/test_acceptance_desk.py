"""The acceptance desk beside the verified track scores (judging's target verification), for
an application awarded directly to a team before public notices existed; the hall of fame
counts it at acceptance, for the team."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from jiebang.challenge_lists.models import Application, ApplicationStatus
from jiebang.db import utcnow
from jiebang.storage.models import StoredObject
from jiebang.teams.models import Team
from tests.leaderboards.helpers import constructed_board, end_phase
from tests.organisations.helpers import PDF, me

Maker = Callable[..., dict[str, str]]


def _verify(client: TestClient, judge: dict[str, str], submission_id: int) -> None:
    response = client.post(
        f"/api/v1/judge/submissions/{submission_id}/actions",
        json={"action": "verify", "reason": "reproduced"},
        headers=judge,
    )
    assert response.status_code == 200, response.text


def test_desk_shows_targets_met_and_missed_by_verified_scores(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    judge: dict[str, str],
    make_user: Maker,
) -> None:
    b = constructed_board(client, db, organiser, make_user)
    lst = client.post(
        "/api/v1/challenge-lists",
        json={"year": 2024, "title_zh": "榜单", "title_en": "List"},
        headers=organiser,
    ).json()
    item = client.post(
        f"/api/v1/challenge-lists/{lst['id']}/items",
        json={
            "code": "AV-01",
            "title_zh": "误差",
            "title_en": "Error",
            "category": "test",
            "application_deadline": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
            "targets": [
                {"metric": "mae", "comparator": "<=", "threshold": 0.3, "track_id": b.ids["track"]},
                {"metric": "mae", "comparator": "<=", "threshold": 0.1, "track_id": b.ids["track"]},
            ],
        },
        headers=organiser,
    ).json()
    client.put(
        f"/api/v1/challenge-lists/{lst['id']}/status",
        json={"status": "published"},
        headers=organiser,
    )
    base = f"/api/v1/challenge-items/{item['id']}"
    team = db.get(Team, b.teams["beta"])
    assert team is not None
    proposal = StoredObject(key="proposals/beta", sha256="0" * 64, size=1, filename="p.pdf")
    db.add(proposal)
    db.flush()
    app = Application(
        item_id=item["id"],
        team_id=team.id or 0,
        applicant_id=team.captain_id,
        proposal_object_id=proposal.id or 0,
    )
    db.add(app)
    db.commit()
    assert client.get(f"{base}/acceptance", headers=organiser).status_code == 409
    # awarded directly (the review endpoint of before public notices): appointed that day
    app.status, app.decided_at = ApplicationStatus.awarded, utcnow()
    db.add(app)
    db.commit()
    _verify(client, judge, b.subs["beta"])
    end_phase(client, organiser, b.ids["phase"])
    assert (
        client.post(f"/api/v1/phases/{b.ids['phase']}/publish", headers=organiser).status_code
        == 200
    )

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
    assert [e["item_id"] for e in team_record if e["kind"] == "challenge"] == [item["id"]]
    person = client.get(f"/api/v1/hall-of-fame/people/{me(client, captain)}").json()
    assert item["id"] in [e["item_id"] for e in person]
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
