"""Submissions: start an upload, receive parts, cancel, select (completing: completion.py)."""

from __future__ import annotations

import contextlib
import math

from sqlmodel import Session, col, select

from jiebang.auth.models import User
from jiebang.contests.models import Contest, Phase, SubmissionKind, Track
from jiebang.core.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    ServiceUnavailable,
)
from jiebang.db import save, utcnow
from jiebang.evaluation import queue
from jiebang.sandbox import bubblewrap_available
from jiebang.storage.backend import ObjectMissing, ObjectStore, StorageUnavailable
from jiebang.storage.service import safe_filename, unique_key
from jiebang.submissions import completion, lifecycle
from jiebang.submissions import quota as quota_service
from jiebang.submissions.archives import human_bytes
from jiebang.submissions.models import (
    PartReceived,
    PartTarget,
    Quota,
    Submission,
    SubmissionStart,
    SubmissionStatus,
    UploadPlan,
)
from jiebang.teams import service as team_service
from jiebang.teams.models import Team

MIN_PART = 16 * 1024 * 1024
MAX_PARTS = 10_000
CHUNK = 1024 * 1024


def part_size_for(size: int) -> int:
    """16 MiB parts, larger when needed to stay within S3's 10,000-part limit."""
    return max(MIN_PART, math.ceil(size / MAX_PARTS / CHUNK) * CHUNK)


def context_of(db: Session, phase: Phase) -> tuple[Track, Contest]:
    track = db.get(Track, phase.track_id)
    assert track is not None
    contest = db.get(Contest, track.contest_id)
    assert contest is not None
    return track, contest


def quota_for(*, db: Session, phase: Phase, team: Team) -> Quota:
    track, _ = context_of(db, phase)
    return quota_service.for_team(db=db, phase=phase, track=track, team_id=team.id or 0)


def _refuse_upload(db: Session, phase: Phase, team: Team, *, size: int) -> None:
    refusal = quota_service.upload_refusal(quota_for(db=db, phase=phase, team=team), size=size)
    if refusal is not None:
        key, params = refusal
        raise Forbidden(key, **params)


def team_for(*, db: Session, phase: Phase, user: User) -> Team:
    _, contest = context_of(db, phase)
    team = team_service.team_of(db=db, contest_id=contest.id or 0, user_id=user.id or 0)
    if team is None:
        raise Forbidden("not_in_team")
    return team


def start(
    *, db: Session, store: ObjectStore, phase: Phase, user: User, body: SubmissionStart
) -> tuple[Submission, UploadPlan]:
    """Open a multipart upload for a new submission, after every check that can fail early."""
    track, _ = context_of(db, phase)
    now = utcnow()
    if not phase.starts_at <= now < phase.ends_at:
        raise Forbidden("phase_not_open")
    team = team_for(db=db, phase=phase, user=user)
    if not team.approved:
        raise Forbidden("team_not_approved")
    if track.submission_kind == SubmissionKind.code and not bubblewrap_available():
        raise ServiceUnavailable(
            "code_track_closed", reason="bubblewrap is not installed on the workers"
        )
    if body.size > track.max_submission_bytes:
        raise InvalidInput("size", "file_too_large", limit=human_bytes(track.max_submission_bytes))
    _refuse_upload(db, phase, team, size=body.size)  # early, before storage is touched
    part_size = part_size_for(body.size)
    key = unique_key(prefix=f"submissions/phase-{phase.id}", filename=body.filename)
    try:
        upload_id = store.create_multipart(key, part_size=part_size)
    except StorageUnavailable as exc:
        raise ServiceUnavailable("storage_unavailable") from exc
    # Again under the team's quota lock, held until the commit below: two starts cannot both
    # take the last open-upload slot. No storage call runs while the lock is held.
    quota_service.lock(db, phase_id=phase.id or 0, team_id=team.id or 0)
    try:
        _refuse_upload(db, phase, team, size=body.size)
    except Forbidden:
        db.rollback()
        with contextlib.suppress(ObjectMissing, StorageUnavailable):  # best effort
            store.abort_multipart(key, upload_id)
        raise
    sub = Submission(
        phase_id=phase.id or 0,
        team_id=team.id or 0,
        submitter_id=user.id or 0,
        filename=safe_filename(body.filename),
        description=body.description,
        declared_size=body.size,
        declared_sha256=body.sha256,
        upload_key=key,
        upload_id=upload_id,
        part_size=part_size,
    )
    db.add(sub)
    db.flush()
    lifecycle.record_created(db, sub, actor=f"user:{user.id}")
    db.commit()
    db.refresh(sub)
    return sub, plan(store=store, sub=sub)


def plan(*, store: ObjectStore, sub: Submission) -> UploadPlan:
    """Where each part goes, and which parts already arrived (for resuming)."""
    count = max(1, math.ceil(sub.declared_size / sub.part_size))
    try:
        received = store.list_parts(sub.upload_key, sub.upload_id)
        direct = store.presign_part(sub.upload_key, sub.upload_id, 1) is not None
        targets = [
            PartTarget(
                number=n,
                url=_part_url(store, sub, n)
                if direct
                else f"/api/v1/uploads/{sub.upload_id}/parts/{n}",
            )
            for n in range(1, count + 1)
        ]
    except ObjectMissing as exc:
        raise NotFound("upload") from exc
    except StorageUnavailable as exc:
        raise ServiceUnavailable("storage_unavailable") from exc
    return UploadPlan(
        upload_id=sub.upload_id,
        part_size=sub.part_size,
        direct=direct,
        parts=targets,
        parts_received=[PartReceived(number=p.number, size=p.size, etag=p.etag) for p in received],
    )


def _part_url(store: ObjectStore, sub: Submission, n: int) -> str:
    url = store.presign_part(sub.upload_key, sub.upload_id, n)
    assert url is not None
    return url


def get_uploading(*, db: Session, upload_id: str, user: User) -> Submission:
    """The uploading submission of the user's team with this upload id, else 404."""
    sub = db.exec(select(Submission).where(Submission.upload_id == upload_id)).first()
    if sub is None or sub.status != SubmissionStatus.uploading:
        raise NotFound("upload")
    get_for_member(db=db, submission_id=sub.id or 0, user=user)
    return sub


def get_for_member(*, db: Session, submission_id: int, user: User) -> Submission:
    """A submission of one of the user's teams; 404 otherwise."""
    sub = db.get(Submission, submission_id)
    if sub is None:
        raise NotFound("submission")
    team = db.get(Team, sub.team_id)
    if (
        team is None
        or team_service.team_of(db=db, contest_id=team.contest_id, user_id=user.id or 0) != team
    ):
        raise NotFound("submission")
    return sub


def cancel(*, db: Session, store: ObjectStore, sub: Submission, actor: str) -> Submission:
    """Cancel an upload or a queued (or held) submission; a queued one is refunded.

    Runs under the team's quota lock, on the submission's current state, so that it cannot
    interleave with the charge of a complete."""
    quota_service.lock(db, phase_id=sub.phase_id, team_id=sub.team_id)
    db.refresh(sub)
    completing = sub.completing_at is not None and (
        utcnow() - sub.completing_at < completion.CLAIM_EXPIRY
    )
    if sub.status == SubmissionStatus.uploading and completing:
        db.rollback()
        raise completion.CompleteConflict(sub)
    was_uploading = sub.status == SubmissionStatus.uploading
    if not was_uploading and sub.status not in (SubmissionStatus.queued, SubmissionStatus.held):
        db.rollback()
        raise DomainError("not_cancellable")
    for job in queue.active_jobs(db, submission_id=sub.id or 0):
        queue.cancel_job(db, job=job)
    lifecycle.move(db, sub, SubmissionStatus.cancelled, actor=actor)
    if sub.charged:
        lifecycle.refund(sub)
    db.commit()  # releases the lock before storage is called
    db.refresh(sub)
    if was_uploading:
        with contextlib.suppress(ObjectMissing, StorageUnavailable):  # best effort
            store.abort_multipart(sub.upload_key, sub.upload_id)
    return sub


def set_selected(*, db: Session, sub: Submission, selected: bool) -> Submission:
    """Choose (or drop) a submission for the private leaderboard, up to the phase's limit."""
    phase = db.get(Phase, sub.phase_id)
    assert phase is not None
    if utcnow() >= phase.ends_at:
        raise Forbidden("selection_closed")
    if selected and sub.status != SubmissionStatus.scored:
        raise DomainError("only_scored_selectable")
    if selected and not sub.selected:
        count = len(
            db.exec(
                select(Submission.id).where(
                    Submission.phase_id == sub.phase_id,
                    Submission.team_id == sub.team_id,
                    col(Submission.selected),
                )
            ).all()
        )
        if count >= phase.max_selected:
            raise Conflict("submission", key="selection_full", limit=phase.max_selected)
    sub.selected = selected
    return save(db, sub)


def list_for_team(*, db: Session, phase_id: int, team_id: int) -> list[Submission]:
    return list(
        db.exec(
            select(Submission)
            .where(Submission.phase_id == phase_id, Submission.team_id == team_id)
            .order_by(col(Submission.id).desc())
        )
    )
