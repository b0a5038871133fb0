"""Completing an upload: claim it, verify parts, size, sha256 and the archive, then charge the
quota and queue the evaluation, atomically.

One request at a time may complete an upload: it claims the submission with a conditional
UPDATE (``completing_at``), so a concurrent complete answers 409 with the submission's state
instead of racing it to a unique key. The charge itself runs under the team's quota lock
(:func:`jiebang.submissions.quota.lock`), so parallel completes never pass the quota.
"""

from __future__ import annotations

import hashlib
import logging
import math
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col

from jiebang.contests.models import Phase, Track
from jiebang.core.errors import Conflict, Forbidden, InvalidInput, NotFound, ServiceUnavailable
from jiebang.core.i18n import Locale
from jiebang.db import utcnow
from jiebang.evaluation import queue
from jiebang.storage.backend import (
    ObjectMissing,
    ObjectStore,
    PartsInvalid,
    StorageUnavailable,
    UploadedPart,
)
from jiebang.storage.local import LocalStore
from jiebang.storage.models import StoredObject
from jiebang.submissions import lifecycle, views
from jiebang.submissions import quota as quota_service
from jiebang.submissions.archives import ArchivePolicy, ArchiveRejected, human_bytes
from jiebang.submissions.models import (
    CompleteRequest,
    FailureCategory,
    Submission,
    SubmissionStatus,
)

log = logging.getLogger(__name__)

CHUNK = 1024 * 1024
# a claim older than this belongs to a request that died; another complete may take over
CLAIM_EXPIRY = timedelta(minutes=30)


class CompleteConflict(Conflict):
    """409: another request completed this upload, or is completing it right now."""

    def __init__(self, sub: Submission) -> None:
        busy = sub.status == SubmissionStatus.uploading
        super().__init__("submission", key="complete_in_progress" if busy else "already_completed")
        self.extra = {"submission": views.to_public(sub).model_dump(mode="json")}


def complete(
    *,
    db: Session,
    store: ObjectStore,
    sub: Submission,
    body: CompleteRequest,
    actor: str,
    max_attempts: int,
    locale: Locale = "en",
) -> Submission:
    """Verify parts, size, sha256 and the archive, and only then charge and queue.

    A storage outage answers 503 and leaves the submission uploading, so the client can
    simply call complete again; nothing is charged or queued until every check passed. A
    file refused on arrival counts as a failed attempt, not against the scoring quota.
    """
    _claim(db, sub)
    try:
        return _complete_claimed(
            db=db,
            store=store,
            sub=sub,
            body=body,
            actor=actor,
            max_attempts=max_attempts,
            locale=locale,
        )
    except BaseException:
        db.rollback()
        try:
            _release(db, sub)
        except SQLAlchemyError:  # the claim expires by itself; keep the original error
            log.warning("could not release the complete claim of %s", sub.id, exc_info=True)
        raise


def _claim(db: Session, sub: Submission) -> None:
    """Take the submission for this request, or answer 409 with its current state."""
    now = utcnow()
    claimed = db.execute(
        update(Submission)
        .where(
            col(Submission.id) == sub.id,
            col(Submission.status) == SubmissionStatus.uploading,
            or_(
                col(Submission.completing_at).is_(None),
                col(Submission.completing_at) < now - CLAIM_EXPIRY,
            ),
        )
        .values(completing_at=now)
        .execution_options(synchronize_session=False)
    )
    db.commit()
    db.refresh(sub)
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise CompleteConflict(sub)


def _release(db: Session, sub: Submission) -> None:
    db.execute(
        update(Submission)
        .where(col(Submission.id) == sub.id)
        .values(completing_at=None)
        .execution_options(synchronize_session=False)
    )
    db.commit()


def _complete_claimed(
    *,
    db: Session,
    store: ObjectStore,
    sub: Submission,
    body: CompleteRequest,
    actor: str,
    max_attempts: int,
    locale: Locale,
) -> Submission:
    phase = db.get(Phase, sub.phase_id)
    assert phase is not None
    track = db.get(Track, phase.track_id)
    assert track is not None
    from jiebang.fact_sheets import service as fact_sheets  # the track's questions, if any

    fact_sheets.require_answered(db=db, submission=sub, track=track)
    try:
        if not store.exists(sub.upload_key):  # a retried complete finds the parts already joined
            parts = verified_parts(store, sub, body)
            store.complete_multipart(sub.upload_key, sub.upload_id, parts)
        with tempfile.TemporaryDirectory(prefix="jiebang-complete-") as scratch:
            sha, local = _sha256_and_local_copy(store, sub.upload_key, Path(scratch))
            if sha != sub.declared_sha256:
                _reject(
                    db,
                    sub,
                    f"sha256 {sha} does not match the declared {sub.declared_sha256}",
                    actor=actor,
                )
                store.delete(sub.upload_key)
                raise InvalidInput(
                    "sha256", "sha256_mismatch", actual=sha, declared=sub.declared_sha256
                )
            try:
                ArchivePolicy.from_mapping(archive_limits(track)).check(
                    local, filename=sub.filename
                )
            except ArchiveRejected as exc:
                _reject(db, sub, str(exc), actor=actor, message_zh=exc.text("zh-CN"))
                store.delete(sub.upload_key)
                raise InvalidInput("file", "archive_rejected", message=exc.text(locale)) from exc
    except ObjectMissing as exc:
        raise NotFound("upload") from exc
    except PartsInvalid as exc:
        raise InvalidInput("parts", "upload_incomplete", message=str(exc)) from exc
    except StorageUnavailable as exc:
        raise ServiceUnavailable("storage_unavailable") from exc
    return _charge_and_queue(
        db, sub=sub, phase=phase, track=track, sha=sha, actor=actor, max_attempts=max_attempts
    )


def _charge_and_queue(
    db: Session,
    *,
    sub: Submission,
    phase: Phase,
    track: Track,
    sha: str,
    actor: str,
    max_attempts: int,
) -> Submission:
    """Under the team's quota lock: the current state and counts, then the charge."""
    quota_service.lock(db, phase_id=sub.phase_id, team_id=sub.team_id)
    db.refresh(sub)
    if sub.status != SubmissionStatus.uploading:  # e.g. cancelled meanwhile
        raise CompleteConflict(sub)
    quota = quota_service.for_team(db=db, phase=phase, track=track, team_id=sub.team_id)
    refused = quota_service.refusal(quota, failed_attempts=False)
    if refused is not None:
        key, params = refused
        raise Forbidden(key, **params)
    obj = StoredObject(
        key=sub.upload_key,
        sha256=sha,
        size=sub.declared_size,
        filename=sub.filename,
        owner_id=sub.submitter_id,
    )
    db.add(obj)
    db.flush()
    sub.object_id = obj.id
    sub.charged = True
    sub.queued_at = utcnow()
    sub.completing_at = None
    lifecycle.move(db, sub, SubmissionStatus.queued, actor=actor, note="upload verified")
    queue.enqueue(
        db,
        sub,
        evaluator_key=track.evaluator_key,
        evaluator_version=track.evaluator_version,
        purpose="initial",
        max_attempts=max_attempts,
    )
    db.commit()
    db.refresh(sub)
    return sub


def _reject(
    db: Session, sub: Submission, message: str, *, actor: str, message_zh: str | None = None
) -> None:
    """Refused on arrival: failed, and counted as one of the day's failed attempts."""
    lifecycle.fail(db, sub, FailureCategory.rejected, message, actor=actor, message_zh=message_zh)
    sub.completing_at = None
    db.commit()


def archive_limits(track: Track) -> dict[str, Any] | None:
    """The track's ``archive`` sandbox limits (over the policy's defaults)."""
    limits = track.sandbox_limits if isinstance(track.sandbox_limits, dict) else {}
    archive = limits.get("archive")
    return dict(archive) if isinstance(archive, dict) else None


def verified_parts(
    store: ObjectStore, sub: Submission, body: CompleteRequest
) -> list[UploadedPart]:
    """The stored parts the client listed, after checking that they are all there, are the
    writes the client means, and (but for the last) are exactly one part size each."""
    stored = {p.number: p for p in store.list_parts(sub.upload_key, sub.upload_id)}
    count = max(1, math.ceil(sub.declared_size / sub.part_size))
    wanted = sorted(body.parts, key=lambda p: p.number)
    if [p.number for p in wanted] != list(range(1, count + 1)):
        raise InvalidInput("parts", "upload_incomplete", message=f"expected parts 1..{count}")
    missing = [p.number for p in wanted if p.number not in stored]
    if missing:
        raise InvalidInput(
            "parts", "upload_incomplete", message=f"parts {missing[:10]} have not arrived"
        )
    wrong = [p.number for p in wanted if stored[p.number].etag.strip('"') != p.etag.strip('"')]
    if wrong:
        raise InvalidInput(
            "parts",
            "upload_incomplete",
            message=f"parts {wrong[:10]} differ from what arrived; send them again",
        )
    for n in range(1, count + 1):
        size = stored[n].size
        if n < count and size < sub.part_size:
            raise InvalidInput(
                "parts",
                "part_too_short",
                number=n,
                size=size,
                part_size=sub.part_size,
                part_size_human=human_bytes(sub.part_size),
            )
        if size > sub.part_size:
            raise InvalidInput(
                "parts", "part_too_long", number=n, size=size, part_size=sub.part_size
            )
    total = sum(stored[n].size for n in range(1, count + 1))
    if total != sub.declared_size:
        raise InvalidInput("parts", "size_mismatch", actual=total, declared=sub.declared_size)
    return [stored[n] for n in range(1, count + 1)]


def _sha256_and_local_copy(store: ObjectStore, key: str, scratch: Path) -> tuple[str, Path]:
    """Hash the object; S3 objects are streamed to a scratch file so archives can be inspected."""
    digest = hashlib.sha256()
    if isinstance(store, LocalStore):
        path = store.local_path(key)
        received = store.received_sha256(key)
        if received is not None:
            return received, path
        with path.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
        return digest.hexdigest(), path
    path = scratch / "upload"
    with path.open("wb") as out:
        for chunk in store.iter_chunks(key):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest(), path
