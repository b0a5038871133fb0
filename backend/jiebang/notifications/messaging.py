"""Organisers message the participants of a contest or the applicants of an item."""

from __future__ import annotations

from sqlmodel import Field, Session, SQLModel, col, select

from jiebang.auth.models import User
from jiebang.challenge_lists.models import Application, ApplicationStatus
from jiebang.contests.models import Phase, Track
from jiebang.core.errors import InvalidInput
from jiebang.judging import audit
from jiebang.notifications import service
from jiebang.notifications.events import team_member_ids
from jiebang.submissions.models import Submission, SubmissionStatus
from jiebang.teams.models import Team


class MessageIn(SQLModel):
    subject: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=10000)
    dry_run: bool = False


class ContestMessage(MessageIn):
    phase_id: int | None = None  # teams with a submission in this phase ...
    submission_status: SubmissionStatus | None = None  # ... in this status (e.g. scored)
    team_approved: bool | None = None


class ItemMessage(MessageIn):
    application_status: ApplicationStatus | None = None


class MessageResult(SQLModel):
    recipients: int
    sent: bool


def contest_recipients(*, db: Session, contest_id: int, body: ContestMessage) -> list[int]:
    """Members of the contest's teams that match the filter."""
    query = select(Team.id).where(Team.contest_id == contest_id)
    if body.team_approved is not None:
        query = query.where(Team.approved == body.team_approved)
    if body.phase_id is not None or body.submission_status is not None:
        subs = select(Submission.team_id).join(Phase, col(Phase.id) == Submission.phase_id)
        subs = subs.join(Track, col(Track.id) == Phase.track_id).where(
            Track.contest_id == contest_id
        )
        if body.phase_id is not None:
            phase = db.get(Phase, body.phase_id)
            track = db.get(Track, phase.track_id) if phase else None
            if track is None or track.contest_id != contest_id:
                raise InvalidInput("phase_id", "phase_not_in_contest")
            subs = subs.where(Submission.phase_id == body.phase_id)
        if body.submission_status is not None:
            subs = subs.where(Submission.status == body.submission_status)
        query = query.where(col(Team.id).in_(subs))
    teams = [t for t in db.exec(query).all() if t]
    return sorted(set(team_member_ids(db, teams)))


def item_recipients(*, db: Session, item_id: int, body: ItemMessage) -> list[int]:
    """Applicants of the item whose application is in the status asked for (any when none)."""
    query = select(Application.applicant_id).where(Application.item_id == item_id)
    if body.application_status is not None:
        query = query.where(Application.status == body.application_status)
    return sorted(set(db.exec(query).all()))


def send_message(
    *,
    db: Session,
    user: User,
    recipients: list[int],
    body: MessageIn,
    scope: dict[str, object],
    link: str,
) -> MessageResult:
    """Count (dry run) or send the message; the sending is audited with its filter."""
    if body.dry_run:
        return MessageResult(recipients=len(recipients), sent=False)
    service.notify(
        db=db, user_ids=recipients, kind="message", link=link, subject=body.subject, body=body.body
    )
    audit.record(
        db=db,
        user=user,
        action="notifications.message",
        reason=body.subject,
        details={
            **scope,
            "filter": body.model_dump(mode="json", exclude={"body"}),
            "recipients": len(recipients),
        },
    )
    db.commit()
    return MessageResult(recipients=len(recipients), sent=True)
