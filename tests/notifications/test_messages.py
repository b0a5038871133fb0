"""Organisers message a contest's participants filtered by status: dry run, send, audit."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from jiebang.judging.models import AuditLog
from jiebang.submissions.models import SubmissionStatus
from tests.notifications.conftest import SmtpServer
from tests.notifications.test_notifications import Headers, _submission, deliver, me, team_of_two


def test_message_teams_with_a_scored_submission_in_a_phase(
    client: TestClient,
    published_contest: dict[str, int],
    make_user: Callable[..., Headers],
    organiser: Headers,
    participant: Headers,
    smtp: SmtpServer,
    db: Session,
) -> None:
    contest, phase = published_contest["contest"], published_contest["phase"]
    captain, member, scored_team = team_of_two(client, contest, make_user)
    other = make_user()
    other_team = client.post(
        f"/api/v1/contests/{contest}/teams", json={"name": "Beta"}, headers=other
    ).json()["id"]
    _submission(db, phase, scored_team, me(client, captain)["id"], SubmissionStatus.scored)
    _submission(db, phase, other_team, me(client, other)["id"], SubmissionStatus.failed)
    url = f"/api/v1/contests/{contest}/messages"
    body = {
        "subject": "B 阶段说明",
        "body": "请在周五前选择最终提交。",
        "phase_id": phase,
        "submission_status": "scored",
    }
    assert client.post(url, json=body, headers=participant).status_code == 403
    dry = client.post(url, json=body | {"dry_run": True}, headers=organiser)
    assert dry.status_code == 200, dry.text
    assert dry.json() == {"recipients": 2, "sent": False}
    assert client.get("/api/v1/notifications", headers=member).json() == []
    everyone = client.post(
        url,
        json={**body, "phase_id": None, "submission_status": None, "dry_run": True},
        headers=organiser,
    )
    assert everyone.json()["recipients"] == 3

    sent = client.post(url, json=body, headers=organiser)
    assert sent.json() == {"recipients": 2, "sent": True}
    deliver()
    inbox = client.get("/api/v1/notifications", headers=member).json()
    assert inbox[0]["kind"] == "message" and inbox[0]["title"] == "B 阶段说明"
    assert client.get("/api/v1/notifications?unread=true", headers=other).json() == []
    arrived = smtp.received.to(me(client, member)["email"])
    assert [m["Subject"] for m in arrived] == ["B 阶段说明"]
    assert "请在周五前选择最终提交。" in arrived[0].get_content()
    entry = db.exec(select(AuditLog).where(AuditLog.action == "notifications.message")).one()
    assert entry.details["contest_id"] == contest and entry.details["recipients"] == 2
    assert entry.details["filter"]["submission_status"] == "scored"


def test_a_phase_of_another_contest_is_refused(
    client: TestClient, published_contest: dict[str, int], organiser: Headers
) -> None:
    response = client.post(
        f"/api/v1/contests/{published_contest['contest']}/messages",
        json={"subject": "s", "body": "b", "phase_id": 999999, "dry_run": True},
        headers=organiser,
    )
    assert response.status_code == 422
    assert client.post(
        "/api/v1/contests/999999/messages", json={"subject": "s", "body": "b"}, headers=organiser
    ).status_code in (403, 404)
