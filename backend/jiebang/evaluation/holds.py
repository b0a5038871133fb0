"""The per-team budget of refunded faults, and holding a team's new submissions past it.

A refunded fault (the platform or the organiser's evaluator failed) costs the team nothing,
so a team whose files make the worker fail deterministically could repeat it for free. Each
team may cause ``fault_budget_per_day`` of them in 24 hours; after that its new submissions
wait, held, until an organiser looks and releases them, which also restarts the budget.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from jiebang.config import get_settings
from jiebang.core.i18n import translate
from jiebang.db import utcnow
from jiebang.evaluation.models import EvaluationJob, FaultRelease, JobStatus
from jiebang.submissions import lifecycle
from jiebang.submissions.models import Submission, SubmissionStatus

WINDOW = timedelta(hours=24)
FAULT_CATEGORIES = ("infrastructure", "evaluator")


def faults_since(db: Session, *, team_id: int, now: datetime) -> tuple[int, datetime]:
    """Refunded faults the team caused in the window (since its last release, if later)."""
    since = now - WINDOW
    released = db.exec(
        select(func.max(FaultRelease.released_at)).where(FaultRelease.team_id == team_id)
    ).one()
    if released is not None and released > since:
        since = released
    count = db.exec(
        select(func.count()).where(
            Submission.team_id == team_id,
            col(Submission.failure_category).in_(FAULT_CATEGORIES),
            col(Submission.refunded),
            col(Submission.finished_at) >= since,
        )
    ).one()
    return int(count), since


def hold_if_over_budget(db: Session, sub: Submission, job: EvaluationJob) -> bool:
    """Hold a new submission's job when its team has used its fault budget (caller commits)."""
    budget = get_settings().fault_budget_per_day
    if budget <= 0 or sub.status != SubmissionStatus.queued:
        return False
    faults, _ = faults_since(db, team_id=sub.team_id, now=utcnow())
    if faults < budget:
        return False
    job.status = JobStatus.held
    db.add(job)
    params = {"faults": faults, "budget": budget}
    note = f"{translate('held_for_faults', 'en', **params)} / "
    note += translate("held_for_faults", "zh-CN", **params)
    lifecycle.move(db, sub, SubmissionStatus.held, actor="system:fault-budget", note=note)
    return True


def held_submissions(db: Session, *, team_id: int | None = None) -> list[Submission]:
    query = select(Submission).where(Submission.status == SubmissionStatus.held)
    if team_id is not None:
        query = query.where(Submission.team_id == team_id)
    return list(db.exec(query.order_by(col(Submission.id))))


def release(db: Session, *, team_id: int, user_id: int, note: str) -> list[int]:
    """Queue the team's held jobs again and restart its budget; return the released jobs."""
    released: list[int] = []
    subs = held_submissions(db, team_id=team_id)
    for sub in subs:
        jobs = db.exec(
            select(EvaluationJob).where(
                EvaluationJob.submission_id == sub.id, EvaluationJob.status == JobStatus.held
            )
        ).all()
        for job in jobs:
            job.status = JobStatus.queued
            job.announced_at = None
            db.add(job)
            released.append(job.id or 0)
        lifecycle.move(
            db,
            sub,
            SubmissionStatus.queued,
            actor=f"user:{user_id}",
            note=f"released by an organiser{': ' + note if note else ''}",
        )
    db.add(FaultRelease(team_id=team_id, released_by=user_id, submissions=len(subs), note=note))
    db.commit()
    return released
