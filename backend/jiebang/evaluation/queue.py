"""The evaluation queue, kept in the database: enqueue, claim with a lease, heartbeat,
record, fail, and the watchdog that requeues jobs whose worker went silent."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from jiebang.artifacts import service as artifact_service
from jiebang.db import utcnow
from jiebang.evaluation import holds
from jiebang.evaluation.models import EvaluationJob, JobStatus, Score, WorkerHeartbeat
from jiebang.submissions import lifecycle
from jiebang.submissions.models import FailureCategory, Submission, SubmissionStatus


def enqueue(
    db: Session,
    sub: Submission,
    *,
    evaluator_key: str,
    evaluator_version: str,
    purpose: str,
    max_attempts: int,
) -> EvaluationJob:
    """Add a job for the submission (caller commits); a new submission of a team past its
    fault budget is held for an organiser instead of queued."""
    job = EvaluationJob(
        submission_id=sub.id or 0,
        evaluator_key=evaluator_key,
        evaluator_version=evaluator_version,
        purpose=purpose,
        max_attempts=max_attempts,
        gpus=artifact_service.gpus_for(
            db, phase_id=sub.phase_id, key=evaluator_key, version=evaluator_version
        ),
    )
    db.add(job)
    db.flush()
    if purpose == "initial":
        holds.hold_if_over_budget(db, sub, job)
    return job


def claim(
    db: Session, *, worker: str, lease_seconds: int, job_id: int | None = None, gpus: int = 0
) -> EvaluationJob | None:
    """Take a queued job (a given one, or the oldest) with a lease; None if there is none.

    The conditional UPDATE is the lock: of two workers racing for a job, one changes a row
    and the other changes none, on SQLite and PostgreSQL alike. A job needing more GPUs
    than the worker has (``gpus``) is left for a GPU worker.
    """
    for _ in range(5):
        query = select(EvaluationJob.id).where(
            EvaluationJob.status == JobStatus.queued, col(EvaluationJob.gpus) <= gpus
        )
        if job_id is not None:
            query = query.where(EvaluationJob.id == job_id)
        candidate = db.exec(query.order_by(col(EvaluationJob.id)).limit(1)).first()
        if candidate is None:
            return None
        now = utcnow()
        result = db.exec(
            update(EvaluationJob)
            .where(
                col(EvaluationJob.id) == candidate, col(EvaluationJob.status) == JobStatus.queued
            )
            .values(
                status=JobStatus.running,
                lease_owner=worker,
                lease_expires_at=now + timedelta(seconds=lease_seconds),
                heartbeat_at=now,
                started_at=now,
                attempts=EvaluationJob.attempts + 1,
            )
        )
        if result.rowcount == 1:
            job = db.get(EvaluationJob, candidate)
            assert job is not None
            db.refresh(job)
            sub = db.get(Submission, job.submission_id)
            assert sub is not None
            if sub.status == SubmissionStatus.queued:
                lifecycle.move(
                    db,
                    sub,
                    SubmissionStatus.running,
                    actor=f"worker:{worker}",
                    note=f"attempt {job.attempts}",
                )
            db.commit()
            return job
        db.rollback()
    return None


def heartbeat(db: Session, *, job_id: int, owner: str, lease_seconds: int) -> bool:
    """Extend the lease; False means the lease was lost and the worker must stop."""
    now = utcnow()
    result = db.exec(
        update(EvaluationJob)
        .where(
            col(EvaluationJob.id) == job_id,
            col(EvaluationJob.lease_owner) == owner,
            col(EvaluationJob.status) == JobStatus.running,
        )
        .values(lease_expires_at=now + timedelta(seconds=lease_seconds), heartbeat_at=now)
    )
    db.commit()
    return bool(result.rowcount == 1)


def holds_lease(job: EvaluationJob, owner: str) -> bool:
    return job.status == JobStatus.running and job.lease_owner == owner


def record_score(db: Session, *, job: EvaluationJob, score: Score) -> Score:
    """Store the job's score once: a duplicate delivery returns the score already stored."""
    existing = db.exec(select(Score).where(Score.job_id == job.id)).first()
    if existing is not None:
        return existing
    for old in db.exec(
        select(Score).where(Score.submission_id == job.submission_id, col(Score.is_current))
    ):
        old.is_current = False
        db.add(old)
    db.add(score)
    try:
        db.flush()
    except IntegrityError:
        db.rollback()
        found = db.exec(select(Score).where(Score.job_id == job.id)).one()
        return found
    job.status = JobStatus.done
    job.finished_at = utcnow()
    job.lease_owner = None
    db.add(job)
    return score


def finish_failed(db: Session, *, job: EvaluationJob, message: str) -> None:
    job.status = JobStatus.failed
    job.finished_at = utcnow()
    job.last_error = message[:4000]
    job.lease_owner = None
    db.add(job)


def requeue_expired(db: Session) -> tuple[list[int], list[int]]:
    """The watchdog: requeue running jobs whose lease ran out, or fail them after the last
    attempt as an infrastructure fault (which refunds the team). Returns (requeued, failed)."""
    now = utcnow()
    expired = db.exec(
        select(EvaluationJob).where(
            EvaluationJob.status == JobStatus.running, col(EvaluationJob.lease_expires_at) < now
        )
    ).all()
    requeued, failed = [], []
    for job in expired:
        sub = db.get(Submission, job.submission_id)
        assert sub is not None
        owner = job.lease_owner
        if job.attempts < job.max_attempts:
            job.status = JobStatus.queued
            job.lease_owner = None
            job.announced_at = None
            job.last_error = f"lease of {owner} expired (attempt {job.attempts})"
            if sub.status == SubmissionStatus.running:
                lifecycle.move(
                    db, sub, SubmissionStatus.queued, actor="system:watchdog", note=job.last_error
                )
            requeued.append(job.id or 0)
        else:
            finish_failed(
                db, job=job, message=f"worker {owner} stopped responding on every attempt"
            )
            if sub.status in (SubmissionStatus.running, SubmissionStatus.queued):
                lifecycle.fail(
                    db,
                    sub,
                    FailureCategory.infrastructure,
                    f"The evaluation was interrupted {job.attempts} times by platform faults; "
                    "your quota has been refunded.",
                    actor="system:watchdog",
                )
            failed.append(job.id or 0)
        db.add(job)
    db.commit()
    return requeued, failed


def unannounced_job_ids(db: Session, *, stale_after_seconds: float) -> list[int]:
    """Queued jobs never announced, or announced so long ago that the message may be lost."""
    cutoff = utcnow() - timedelta(seconds=stale_after_seconds)
    ids: list[int | None] = list(
        db.exec(
            select(col(EvaluationJob.id))
            .where(
                EvaluationJob.status == JobStatus.queued,
                or_(
                    col(EvaluationJob.announced_at).is_(None),
                    col(EvaluationJob.announced_at) < cutoff,
                ),
            )
            .order_by(col(EvaluationJob.id))
        )
    )
    return [i for i in ids if i is not None]


def mark_announced(db: Session, job_ids: list[int]) -> None:
    if job_ids:
        db.exec(
            update(EvaluationJob)
            .where(col(EvaluationJob.id).in_(job_ids))
            .values(announced_at=utcnow())
        )
        db.commit()


def note_worker(
    db: Session,
    *,
    name: str,
    job_id: int | None,
    sandbox: str,
    gpu_count: int = 0,
    gpu_model: str = "",
) -> None:
    beat = db.get(WorkerHeartbeat, name) or WorkerHeartbeat(name=name)
    beat.seen_at = utcnow()
    beat.current_job_id = job_id
    beat.sandbox = sandbox[:200]
    beat.gpu_count = gpu_count
    beat.gpu_model = gpu_model[:200]
    db.add(beat)
    db.commit()


def gpus_of(db: Session, job_ids: list[int]) -> dict[int, int]:
    """Job id -> GPUs asked for, for the jobs among ``job_ids`` that need any."""
    rows = db.exec(
        select(EvaluationJob.id, EvaluationJob.gpus).where(
            col(EvaluationJob.id).in_(job_ids), col(EvaluationJob.gpus) > 0
        )
    )
    return {job_id or 0: gpus for job_id, gpus in rows}


def active_jobs(db: Session, *, submission_id: int) -> list[EvaluationJob]:
    return list(
        db.exec(
            select(EvaluationJob).where(
                EvaluationJob.submission_id == submission_id,
                col(EvaluationJob.status).in_(
                    [JobStatus.queued, JobStatus.held, JobStatus.running]
                ),
            )
        )
    )


def cancel_job(db: Session, *, job: EvaluationJob) -> None:
    job.status = JobStatus.cancelled
    job.finished_at = utcnow()
    job.lease_owner = None
    db.add(job)
