"""The submission state machine: every move is checked and recorded with its actor."""

from __future__ import annotations

from sqlmodel import Session, col, select

from jiebang.core import domain_events
from jiebang.core.errors import DomainError
from jiebang.db import utcnow
from jiebang.submissions.models import (
    FailureCategory,
    HistoryEntry,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
)

S = SubmissionStatus
ALLOWED: dict[SubmissionStatus, set[SubmissionStatus]] = {
    S.uploading: {S.queued, S.failed, S.cancelled},
    S.queued: {S.running, S.cancelled, S.failed, S.held},
    S.held: {S.queued, S.cancelled},  # released by an organiser, or withdrawn
    S.running: {S.queued, S.scored, S.failed},  # back to queued when a lease expires
    S.scored: {S.queued, S.failed},  # re-score; disqualification
    S.failed: {S.queued},  # re-score of a failed run
    S.cancelled: set(),
}
REFUNDED_CATEGORIES = {FailureCategory.infrastructure, FailureCategory.evaluator}


def move(db: Session, sub: Submission, to: SubmissionStatus, *, actor: str, note: str = "") -> None:
    """Change status (caller commits); refuses moves the state machine does not allow."""
    current = SubmissionStatus(sub.status)
    if to not in ALLOWED[current]:
        raise DomainError("bad_status_transition", thing="submission", current=current, target=to)
    sub.status = to
    if to in (S.scored, S.failed, S.cancelled):
        sub.finished_at = utcnow()
    db.add(sub)
    db.add(
        SubmissionEvent(
            submission_id=sub.id or 0,
            from_status=current,
            to_status=to,
            actor=actor,
            note=note[:4000],
        )
    )
    announce_status(db, sub)


def fail(
    db: Session,
    sub: Submission,
    category: FailureCategory,
    message: str,
    *,
    actor: str,
    message_zh: str | None = None,
) -> None:
    """Mark failed (the message in English, and in Chinese when given); faults of the
    platform or the evaluator give the quota back, and a mistake found before any score
    (refused on arrival, or invalid at its first evaluation) moves from the scoring quota to
    the day's failed attempts."""
    first_evaluation = category == FailureCategory.submission and not _ever_scored(db, sub)
    move(db, sub, S.failed, actor=actor, note=f"{category}: {message}")
    sub.failure_category = category
    sub.failure_message = message[:4000]
    sub.failure_message_zh = message_zh[:4000] if message_zh else None
    if category in REFUNDED_CATEGORIES and sub.charged:
        refund(sub)
    elif category == FailureCategory.rejected or first_evaluation:
        sub.charged = False
        sub.failed_charged = True


def _ever_scored(db: Session, sub: Submission) -> bool:
    """Whether the submission was scored before (a re-score found invalid stays charged)."""
    scored = select(SubmissionEvent.id).where(
        SubmissionEvent.submission_id == sub.id, SubmissionEvent.to_status == S.scored
    )
    return db.exec(scored).first() is not None


def refund(sub: Submission) -> None:
    sub.charged = False
    sub.refunded = True


def record_created(db: Session, sub: Submission, *, actor: str) -> None:
    db.add(
        SubmissionEvent(
            submission_id=sub.id or 0, from_status=None, to_status=sub.status, actor=actor
        )
    )
    announce_status(db, sub)


def announce_status(db: Session, sub: Submission) -> None:
    """Tell whoever listens (the team's live pages) once the status change commits."""
    domain_events.announce(
        db,
        "submission.status",
        submission_id=sub.id or 0,
        team_id=sub.team_id,
        phase_id=sub.phase_id,
        status=str(sub.status),
    )


def history(db: Session, submission_id: int) -> list[HistoryEntry]:
    events = db.exec(
        select(SubmissionEvent)
        .where(SubmissionEvent.submission_id == submission_id)
        .order_by(col(SubmissionEvent.id))
    )
    return [
        HistoryEntry(
            from_status=e.from_status, status=e.to_status, actor=e.actor, note=e.note, at=e.at
        )
        for e in events
    ]
