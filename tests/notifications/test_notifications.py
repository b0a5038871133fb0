"""Notifications end to end: inbox, preferences, and emails read back from a loopback SMTP server."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from jiebang.core import domain_events
from jiebang.db import utcnow
from jiebang.notifications import mailer
from jiebang.notifications.models import EmailMessage, EmailStatus, Notification
from jiebang.submissions.models import Submission, SubmissionEvent, SubmissionStatus
from tests.notifications.conftest import SmtpServer, free_port

Headers = dict[str, str]


def me(client: TestClient, headers: Headers) -> dict[str, Any]:
    return dict(client.get("/api/v1/auth/me", headers=headers).json())


def deliver() -> None:
    """Let the pool's rounds finish, then deliver whatever is still due (deterministic)."""
    mailer.flush()
    mailer.deliver_due()


def team_of_two(
    client: TestClient, contest_id: int, make_user: Callable[..., Headers]
) -> tuple[Headers, Headers, int]:
    captain, member = make_user(), make_user()
    assert (
        client.patch("/api/v1/auth/me", json={"locale": "en"}, headers=captain).status_code == 200
    )
    team = client.post(
        f"/api/v1/contests/{contest_id}/teams", json={"name": "Alpha"}, headers=captain
    )
    assert team.status_code == 201, team.text
    joined = client.post(
        "/api/v1/teams/join", json={"invite_code": team.json()["invite_code"]}, headers=member
    )
    assert joined.status_code == 200, joined.text
    return captain, member, int(team.json()["id"])


def test_join_lands_in_inbox_and_arrives_by_email_in_the_recipients_locale(
    client: TestClient,
    published_contest: dict[str, int],
    make_user: Callable[..., Headers],
    smtp: SmtpServer,
) -> None:
    captain, member, _ = team_of_two(client, published_contest["contest"], make_user)
    deliver()
    inbox = client.get("/api/v1/notifications", headers=captain).json()
    assert [n["kind"] for n in inbox] == ["team.member_joined"]
    assert inbox[0]["title"] == "A member joined your team" and not inbox[0]["read"]
    assert client.get("/api/v1/notifications/unread-count", headers=captain).json() == {"unread": 1}

    arrived = smtp.received.to(me(client, captain)["email"])
    assert len(arrived) == 1
    assert arrived[0]["Subject"] == "A member joined your team"
    assert arrived[0]["From"] == "Jiebang <noreply@jiebang.test>"
    assert me(client, member)["display_name"] in arrived[0].get_content()

    note_id = inbox[0]["id"]
    assert client.post(f"/api/v1/notifications/{note_id}/read", headers=member).status_code == 404
    assert client.post(f"/api/v1/notifications/{note_id}/read", headers=captain).status_code == 204
    assert client.get("/api/v1/notifications/unread-count", headers=captain).json() == {"unread": 0}
    assert client.get("/api/v1/notifications?unread=true", headers=captain).json() == []


def test_approval_in_chinese_and_email_preference_off(
    client: TestClient,
    published_contest: dict[str, int],
    make_user: Callable[..., Headers],
    organiser: Headers,
    smtp: SmtpServer,
    db: Session,
) -> None:
    contest = published_contest["contest"]
    captain, member, team_id = team_of_two(client, contest, make_user)
    prefs = client.put(
        "/api/v1/notifications/preferences",
        json={"kind": "team.approved", "email": False},
        headers=captain,
    )
    assert {"kind": "team.approved", "email": False, "in_app": True} in prefs.json()
    refused = client.put(
        "/api/v1/notifications/preferences", json={"kind": "nope", "email": False}, headers=captain
    )
    assert refused.status_code == 404
    for approved in (False, True):
        response = client.put(
            f"/api/v1/teams/{team_id}/approval", json={"approved": approved}, headers=organiser
        )
        assert response.status_code == 200, response.text
    deliver()
    member_inbox = client.get("/api/v1/notifications", headers=member).json()
    assert [n["title"] for n in member_inbox] == ["队伍已通过审核"]  # zh-CN by default
    assert "Alpha" in member_inbox[0]["body"]
    captain_kinds = [n["kind"] for n in client.get("/api/v1/notifications", headers=captain).json()]
    assert captain_kinds == ["team.approved", "team.member_joined"]  # in-app always
    assert [m["Subject"] for m in smtp.received.to(me(client, member)["email"])] == [
        "队伍已通过审核"
    ]
    assert [m["Subject"] for m in smtp.received.to(me(client, captain)["email"])] == [
        "A member joined your team"  # the approval email was turned off
    ]


def test_submission_failed_rescored_and_results_published(
    client: TestClient,
    published_contest: dict[str, int],
    make_user: Callable[..., Headers],
    smtp: SmtpServer,
    db: Session,
) -> None:
    captain, member, team_id = team_of_two(client, published_contest["contest"], make_user)
    phase_id = published_contest["phase"]
    sub = _submission(db, phase_id, team_id, me(client, captain)["id"], SubmissionStatus.failed)
    domain_events.announce(
        db,
        "submission.status",
        submission_id=sub.id,
        team_id=team_id,
        phase_id=phase_id,
        status="failed",
    )
    db.commit()
    for _ in range(2):  # scored, then scored again after a re-score
        db.add(
            SubmissionEvent(
                submission_id=sub.id or 0,
                from_status=None,
                to_status=SubmissionStatus.scored,
                actor="test",
            )
        )
        domain_events.announce(
            db,
            "submission.status",
            submission_id=sub.id,
            team_id=team_id,
            phase_id=phase_id,
            status="scored",
        )
        db.commit()
    domain_events.announce(db, "results.published", phase_id=phase_id, version=1)
    db.commit()
    deliver()
    kinds = [n["kind"] for n in client.get("/api/v1/notifications", headers=member).json()]
    assert kinds == ["results.published", "submission.rescored", "submission.failed"]
    subjects = [m["Subject"] for m in smtp.received.to(me(client, captain)["email"])]
    assert f"Submission #{sub.id} failed" in subjects
    assert f"Submission #{sub.id} re-scored" in subjects and "Results published" in subjects


def test_application_kinds_reach_the_applicant(
    client: TestClient, make_user: Callable[..., Headers], smtp: SmtpServer, db: Session
) -> None:
    applicant = make_user()
    user_id = me(client, applicant)["id"]
    domain_events.announce(
        db, "application.returned", applicant_id=user_id, missing_items=("承诺书", "预算表")
    )
    domain_events.announce(db, "acceptance.decided", user_ids=[user_id], decision="通过")
    domain_events.announce(db, "objection.answered", objection_id=1, filed_by=user_id)
    db.commit()
    deliver()
    inbox = client.get("/api/v1/notifications", headers=applicant).json()
    assert {n["kind"] for n in inbox} == {
        "application.returned",
        "acceptance.decided",
        "objection.answered",
    }
    returned = next(n for n in inbox if n["kind"] == "application.returned")
    assert "承诺书、预算表" in returned["body"]
    assert len(smtp.received.to(me(client, applicant)["email"])) == 3


def test_server_down_keeps_the_inbox_retries_with_backoff_and_shows_on_health(
    client: TestClient,
    published_contest: dict[str, int],
    make_user: Callable[..., Headers],
    organiser: Headers,
    smtp_settings: Callable[[int], None],
    db: Session,
) -> None:
    port = free_port()  # nothing listens there yet
    smtp_settings(port)
    captain, _, _ = team_of_two(client, published_contest["contest"], make_user)
    deliver()
    assert client.get("/api/v1/notifications/unread-count", headers=captain).json() == {"unread": 1}
    email = db.exec(select(EmailMessage)).one()
    assert email.status == EmailStatus.pending and email.attempts == 1
    assert email.last_error
    first_wait = email.next_attempt_at - utcnow()
    assert first_wait > timedelta(seconds=20)  # back-off: not retried at once
    health = client.get("/api/v1/admin/health", headers=organiser).json()["email_queue"]
    assert health["pending"] == 1 and health["retrying"] == 1 and health["last_error"]
    assert client.get("/api/v1/admin/health", headers=captain).status_code == 403

    _make_due(db, email)
    mailer.deliver_due()
    db.refresh(email)
    assert email.attempts == 2 and email.next_attempt_at - utcnow() > first_wait  # doubled

    server = SmtpServer(port)
    server.start()
    try:
        _make_due(db, email)
        assert mailer.deliver_due() == 1
        db.refresh(email)
        assert email.status == EmailStatus.sent
        assert [m["Subject"] for m in server.received.messages] == ["A member joined your team"]
    finally:
        server.stop()
    queue = client.get("/api/v1/admin/email-queue", headers=organiser).json()
    assert queue["pending"] == 0 and queue["sent"] == 1


def test_gives_up_after_max_attempts(
    client: TestClient,
    published_contest: dict[str, int],
    make_user: Callable[..., Headers],
    smtp_settings: Callable[[int], None],
    monkeypatch: Any,
    db: Session,
) -> None:
    monkeypatch.setenv("JIEBANG_EMAIL_MAX_ATTEMPTS", "2")
    smtp_settings(free_port())
    team_of_two(client, published_contest["contest"], make_user)
    deliver()
    email = db.exec(select(EmailMessage)).one()
    _make_due(db, email)
    mailer.deliver_due()
    db.refresh(email)
    assert email.status == EmailStatus.failed and email.attempts == 2
    assert db.exec(select(Notification)).one().kind == "team.member_joined"


def _make_due(db: Session, email: EmailMessage) -> None:
    """Stand in for the passing of the back-off delay."""
    db.refresh(email)
    email.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.add(email)
    db.commit()


def _submission(
    db: Session, phase_id: int, team_id: int, user_id: int, status: SubmissionStatus
) -> Submission:
    sub = Submission(
        phase_id=phase_id,
        team_id=team_id,
        submitter_id=user_id,
        status=status,
        filename="a.zip",
        declared_size=1,
        declared_sha256="0" * 64,
        upload_key="k",
        upload_id="u",
        part_size=1,
    )
    db.add(sub)
    db.commit()
    db.refresh(sub)
    return sub


def test_milestone_reminder_is_sent_once(
    client: TestClient, make_user: Callable[..., Headers], smtp: SmtpServer, db: Session
) -> None:
    from jiebang.notifications import reminders

    appointee = make_user()
    user_id = me(client, appointee)["id"]

    def milestones(_db: Session, notice: timedelta) -> list[reminders.Reminder]:
        assert notice == timedelta(days=7)
        data = {"item": "AV-01", "milestone": "中期检查", "due": "2027-03-01"}
        return [reminders.Reminder("milestone.due", (user_id,), "/challenge-items/1/m/1", data)]

    reminders.register(milestones)
    try:
        assert reminders.send_due(db) == 1
        assert reminders.send_due(db) == 0  # already reminded
    finally:
        reminders.SOURCES.remove(milestones)
    deliver()
    inbox = client.get("/api/v1/notifications", headers=appointee).json()
    assert [n["title"] for n in inbox] == ["里程碑 7 天后到期"]
    assert "中期检查" in smtp.received.to(me(client, appointee)["email"])[0].get_content()
