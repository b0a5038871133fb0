"""What each domain event notifies, and to whom: the only place that knows both sides.

Domains announce through ``core.domain_events``; this listener hears each committed
transaction's events, writes the inbox rows in a session of its own and wakes the email
queue. Kinds that no domain emits yet (the 揭榜 review and appointment steps) are listed by
name: they work as soon as a domain announces them. Their data may name the recipients
(``user_ids`` or ``user_id``); otherwise the application's applicant is told, and for an
objection the organisers of the item's own scope (item, list, issuing unit; the platform's
when it has none).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlmodel import Session, col, func, select

from jiebang.auth.models import User
from jiebang.challenge_lists.models import Application, ChallengeItem
from jiebang.contests.models import Phase, Track
from jiebang.core import domain_events
from jiebang.db import get_engine
from jiebang.notifications import mailer, milestone_reminders, reminders, service
from jiebang.organisations.permissions import item_organisers
from jiebang.submissions.models import SubmissionEvent, SubmissionStatus
from jiebang.teams.models import Team, TeamMember

log = logging.getLogger(__name__)

# application.<status> and the 揭榜 steps -> the notification kind they send
APPLICATION_KINDS = {
    "application.returned": "application.returned",
    "application.shortlisted": "application.shortlisted",
    "application.reviewed": "application.reviewed",
    "application.awarded": "application.appointed",
    "application.appointed": "application.appointed",
    "appointment.appointed": "application.appointed",
    "objection.filed": "objection.filed",
    "objection.answered": "objection.answered",
    "milestone.due": "milestone.due",
    "milestone.report_submitted": "milestone.report_submitted",
    "acceptance.decided": "acceptance.decided",
}


def team_member_ids(db: Session, team_ids: list[int]) -> list[int]:
    if not team_ids:
        return []
    return list(
        db.exec(select(TeamMember.user_id).where(col(TeamMember.team_id).in_(team_ids))).all()
    )


def _submission(db: Session, data: dict[str, Any]) -> list[tuple[str, list[int], str]]:
    status = data.get("status")
    sub_id = int(data.get("submission_id") or 0)
    link = f"/submissions/{sub_id}"
    members = team_member_ids(db, [int(data["team_id"])])
    if status == SubmissionStatus.failed:
        return [("submission.failed", members, link)]
    if status == SubmissionStatus.scored:
        times = db.exec(
            select(func.count()).where(
                SubmissionEvent.submission_id == sub_id,
                SubmissionEvent.to_status == SubmissionStatus.scored,
            )
        ).one()
        if int(times) > 1:  # scored before: this score comes from a re-score
            return [("submission.rescored", members, link)]
    return []


def _results(db: Session, data: dict[str, Any]) -> list[tuple[str, list[int], str]]:
    phase = db.get(Phase, int(data["phase_id"]))
    track = db.get(Track, phase.track_id) if phase else None
    if track is None:
        return []
    teams = db.exec(select(Team.id).where(Team.contest_id == track.contest_id)).all()
    members = team_member_ids(db, [t for t in teams if t])
    return [("results.published", members, f"/contests/{track.contest_id}")]


def _item_name(db: Session, item_id: Any) -> dict[str, str]:
    item = db.get(ChallengeItem, int(item_id)) if item_id else None
    if item is None:
        return {}
    return {
        "zh-CN": f"{item.code} {item.title_zh or ''}".strip(),
        "en": f"{item.code} {item.title_en or item.title_zh or ''}".strip(),
    }


def _recipients(db: Session, event: str, data: dict[str, Any]) -> list[int]:
    if data.get("user_ids"):
        return [int(u) for u in data["user_ids"]]
    if data.get("user_id"):
        return [int(data["user_id"])]
    if event == "objection.answered" and data.get("filed_by"):
        return [int(data["filed_by"])]  # whoever raised the objection hears the answer
    if event == "objection.filed" and data.get("item_id"):
        # the organisers of the item's own scope (item, list, issuing unit), else the platform's
        return item_organisers(db, int(data["item_id"]))
    app_id = data.get("application_id")
    application = db.get(Application, int(app_id)) if app_id else None
    if application is None:
        return [int(data["applicant_id"])] if data.get("applicant_id") else []
    return [application.applicant_id]


def _application(db: Session, event: str, data: dict[str, Any]) -> list[tuple[str, list[int], str]]:
    item_id = data.get("item_id")
    if item_id is None and data.get("application_id"):
        application = db.get(Application, int(data["application_id"]))
        item_id = application.item_id if application else None
    data.setdefault("item", _item_name(db, item_id))
    if "missing_items" in data:
        data.setdefault("missing", list(data["missing_items"]))
    link = f"/items/{item_id}" if item_id else ""
    return [(APPLICATION_KINDS[event], _recipients(db, event, data), link)]


def _team(db: Session, event: str, data: dict[str, Any]) -> list[tuple[str, list[int], str]]:
    team = db.get(Team, int(data["team_id"]))
    if team is None:
        return []
    data["team"] = team.name
    link = "/teams"
    if event == "team.member_joined":
        member = db.get(User, int(data["user_id"]))
        data["member"] = member.display_name if member else ""
        return [("team.member_joined", [team.captain_id], link)]
    if event == "team.approved" and data.get("approved", True):
        return [("team.approved", team_member_ids(db, [team.id or 0]), link)]
    return []


Handler = Callable[[Session, str, dict[str, Any]], list[tuple[str, list[int], str]]]


def _handler(kind: str) -> Handler | None:
    if kind == "submission.status":
        return lambda db, _e, d: _submission(db, d)
    if kind == "results.published":
        return lambda db, _e, d: _results(db, d)
    if kind in APPLICATION_KINDS:
        return _application
    if kind in ("team.member_joined", "team.approved"):
        return _team
    return None


def on_committed(happened: list[domain_events.DomainEvent]) -> None:
    """Notify for a commit's events (runs after that commit, in a session of its own)."""
    wanted = [(e, h) for e in happened if (h := _handler(e.kind)) is not None]
    if not wanted:
        return
    queued: list[int] = []
    with Session(get_engine(), expire_on_commit=False) as db:
        for found, handler in wanted:
            data = dict(found.data)
            for kind, user_ids, link in handler(db, found.kind, data):
                data.pop("user_ids", None)
                queued += service.notify(db=db, user_ids=user_ids, kind=kind, link=link, **data)
        db.commit()
    if queued:
        mailer.wake()


def start() -> None:
    """Listen to committed domain events and take the reminder sources (at start-up;
    idempotent)."""
    domain_events.listen(on_committed)
    reminders.register(milestone_reminders.due)
