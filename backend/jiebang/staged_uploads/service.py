"""Organiser uploads in parts: create (the key follows the purpose), plan (parts and what
arrived, to resume), complete (parts joined, size and sha256 checked, then the purpose's
own action: the phase's reference, the track's sample or devkit, a scoring program)."""

from __future__ import annotations

import hashlib
import math
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlmodel import Session

from jiebang.artifacts import service as artifact_service
from jiebang.auth.models import User
from jiebang.bundles.trackdata import sample_prefix
from jiebang.contests import service as contests
from jiebang.contests.models import Contest
from jiebang.core.errors import Conflict, InvalidInput, NotFound, ServiceUnavailable
from jiebang.judging import audit
from jiebang.organisations import permissions
from jiebang.organisations.models import ScopedRole
from jiebang.readiness import devkit
from jiebang.sandbox.result import format_bytes
from jiebang.staged_uploads.config import get_staged_upload_settings
from jiebang.staged_uploads.models import (
    PartReceived,
    PartTarget,
    StagedComplete,
    StagedUpload,
    StagedUploadCreate,
    StagedUploadPlan,
)
from jiebang.storage import service as storage_service
from jiebang.storage.backend import (
    CHUNK,
    ObjectMissing,
    ObjectStore,
    PartsInvalid,
    StorageUnavailable,
    UploadedPart,
)
from jiebang.storage.models import StoredObject
from jiebang.submissions.service import part_size_for

LOCAL_PART_URL = "/api/v1/staged-uploads/{id}/parts/{n}"


def _prefix(db: Session, body: StagedUploadCreate) -> str:
    """Where the joined file lives; reference and sample keys are the ones readers look up."""
    if body.purpose == "reference":
        contests.get_phase(db=db, phase_id=body.target_id, include_drafts=True)
        return f"references/phase-{body.target_id}"
    if body.purpose in ("sample", "devkit"):
        track = contests.get_track(db=db, track_id=body.target_id, include_drafts=True)
        if body.purpose == "sample" and body.size > track.max_submission_bytes:
            raise InvalidInput(
                "size", "file_too_large", limit=format_bytes(track.max_submission_bytes)
            )
        contest = db.get(Contest, track.contest_id)
        assert contest is not None
        if body.purpose == "sample":
            return sample_prefix(contest.slug, track.slug)
    return f"staged/{body.purpose}"


def _require_organiser(db: Session, body: StagedUploadCreate, user: User) -> None:
    """Organisers of the phase's or track's contest; programs: the platform's organisers
    (as ``POST /scoring-programs``)."""
    path = {"reference": "phase_id", "sample": "track_id", "devkit": "track_id"}.get(body.purpose)
    scopes = permissions.scopes_from_path(db, {path: body.target_id}) if path else []
    permissions.require(db, user, [ScopedRole.organiser], scopes)


def create(
    *, db: Session, store: ObjectStore, body: StagedUploadCreate, user: User
) -> StagedUpload:
    """Open a multipart upload for ``body`` (the caller commits)."""
    prefix = _prefix(db, body)
    _require_organiser(db, body, user)
    key = storage_service.unique_key(prefix=prefix, filename=body.filename)
    part_size = part_size_for(body.size)
    try:
        upload_id = store.create_multipart(key, part_size=part_size)
    except StorageUnavailable as exc:
        raise ServiceUnavailable("storage_unavailable") from exc
    staged = StagedUpload(
        owner_id=user.id or 0,
        purpose=body.purpose,
        target_id=body.target_id,
        filename=storage_service.safe_filename(body.filename),
        declared_size=body.size,
        declared_sha256=body.sha256,
        upload_key=key,
        upload_id=upload_id,
        part_size=part_size,
    )
    db.add(staged)
    db.flush()
    return staged


def get_own(*, db: Session, upload_id: int, user: User) -> StagedUpload:
    """The user's own unfinished upload, or 404."""
    staged = db.get(StagedUpload, upload_id)
    if staged is None or staged.owner_id != user.id or staged.status != "uploading":
        raise NotFound("upload")
    return staged


COMPLETING = "completing"


def claim_completion(*, db: Session, staged: StagedUpload) -> None:
    """Mark the upload as being completed, committed before any part is joined, so that one
    request completes it; another at the same moment gets a 409 in the user's words."""
    table = StagedUpload.__table__  # type: ignore[attr-defined]
    claimed = db.execute(
        update(table)
        .where(table.c.id == staged.id, table.c.status == "uploading")
        .values(status=COMPLETING)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        db.rollback()
        raise Conflict("upload", key="staged_upload_completing")
    db.commit()
    staged.status = COMPLETING


def release_completion(*, db: Session, staged: StagedUpload) -> None:
    """A completion that failed leaves the upload to be completed again (commits)."""
    db.rollback()
    table = StagedUpload.__table__  # type: ignore[attr-defined]
    db.execute(
        update(table)
        .where(table.c.id == staged.id, table.c.status == COMPLETING)
        .values(status="uploading")
    )
    db.commit()


def part_count(staged: StagedUpload) -> int:
    return max(1, math.ceil(staged.declared_size / staged.part_size))


def plan(*, store: ObjectStore, staged: StagedUpload) -> StagedUploadPlan:
    """Where each part goes, and which parts already arrived."""
    try:
        received = store.list_parts(staged.upload_key, staged.upload_id)
        targets = []
        for n in range(1, part_count(staged) + 1):
            url = store.presign_part(staged.upload_key, staged.upload_id, n)
            targets.append(
                PartTarget(number=n, url=url or LOCAL_PART_URL.format(id=staged.id, n=n))
            )
    except ObjectMissing as exc:
        raise NotFound("upload") from exc
    except StorageUnavailable as exc:
        raise ServiceUnavailable("storage_unavailable") from exc
    return StagedUploadPlan(
        id=staged.id or 0,
        purpose=staged.purpose,
        filename=staged.filename,
        size=staged.declared_size,
        part_size=staged.part_size,
        parts=targets,
        parts_received=[PartReceived(number=p.number, size=p.size, etag=p.etag) for p in received],
        expires_at=staged.created_at + timedelta(hours=get_staged_upload_settings().ttl_hours),
    )


def _join(store: ObjectStore, staged: StagedUpload, body: StagedComplete) -> None:
    stored = {p.number: p for p in store.list_parts(staged.upload_key, staged.upload_id)}
    wanted = sorted(body.parts, key=lambda p: p.number)
    count = part_count(staged)
    if [p.number for p in wanted] != list(range(1, count + 1)):
        raise InvalidInput("parts", "upload_incomplete", message=f"expected parts 1..{count}")
    missing = [p.number for p in wanted if p.number not in stored]
    if missing:
        raise InvalidInput(
            "parts", "upload_incomplete", message=f"parts {missing[:10]} are missing"
        )
    parts: list[UploadedPart] = []
    for p in wanted:
        if stored[p.number].etag.strip('"') != p.etag.strip('"'):
            raise InvalidInput("parts", "upload_incomplete", message=f"part {p.number} differs")
        parts.append(stored[p.number])
    store.complete_multipart(staged.upload_key, staged.upload_id, parts)


def _hash(store: ObjectStore, key: str, dest: Path | None) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    out = dest.open("wb") if dest else None
    try:
        for chunk in store.iter_chunks(key, CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if out:
                out.write(chunk)
    finally:
        if out:
            out.close()
    return digest.hexdigest(), size


def complete(
    *, db: Session, store: ObjectStore, staged: StagedUpload, body: StagedComplete, user: User
) -> dict[str, Any]:
    """Join the parts, check them against what was declared, and do what the upload is for."""
    with tempfile.TemporaryDirectory(prefix="jiebang-staged-") as work:
        local = Path(work) / "upload.bin"
        keep_local = staged.purpose in ("devkit", "program")
        try:
            if not store.exists(staged.upload_key):  # a retried complete finds them joined
                _join(store, staged, body)
            sha, size = _hash(store, staged.upload_key, local if keep_local else None)
        except ObjectMissing as exc:
            raise NotFound("upload") from exc
        except PartsInvalid as exc:
            raise InvalidInput("parts", "upload_incomplete", message=str(exc)) from exc
        except StorageUnavailable as exc:
            raise ServiceUnavailable("storage_unavailable") from exc
        if sha != staged.declared_sha256 or size != staged.declared_size:
            store.delete(staged.upload_key)
            staged.status = "completed"
            db.add(staged)
            db.commit()
            raise InvalidInput(
                "sha256", "sha256_mismatch", actual=sha, declared=staged.declared_sha256
            )
        staged.status = "completed"
        db.add(staged)
        if keep_local:
            result = _finish_from_file(db=db, store=store, staged=staged, path=local, user=user)
            store.delete(staged.upload_key)
            return result
    obj = StoredObject(
        key=staged.upload_key,
        sha256=sha,
        size=size,
        filename=staged.filename,
        owner_id=user.id,
    )
    db.add(obj)
    db.flush()
    if staged.purpose == "reference":
        phase = contests.get_phase(db=db, phase_id=staged.target_id, include_drafts=True)
        phase.reference_object_id = obj.id
        db.add(phase)
    return {"id": obj.id, "filename": obj.filename, "size": obj.size, "sha256": obj.sha256}


def _finish_from_file(
    *, db: Session, store: ObjectStore, staged: StagedUpload, path: Path, user: User
) -> dict[str, Any]:
    if staged.purpose == "devkit":
        track = contests.get_track(db=db, track_id=staged.target_id, include_drafts=True)
        contest = db.get(Contest, track.contest_id)
        assert contest is not None
        obj, created = devkit.store_devkit(
            db=db,
            store=store,
            upload=path,
            filename=staged.filename,
            contest=contest,
            track=track,
            user=user,
        )
        if created:
            details = {"track_id": track.id, "sha256": obj.sha256, "size": obj.size}
            audit.record(db=db, user=user, action="track.devkit", details=details)
        from jiebang.bundles import trackdata

        files = len(trackdata.tar_members(store, obj))
        return {
            "id": obj.id,
            "filename": obj.filename,
            "size": obj.size,
            "sha256": obj.sha256,
            "files": files,
        }
    program, created = artifact_service.upload_archive(
        db=db, store=store, archive=path, filename=staged.filename, user=user
    )
    if created:
        facts: dict[str, Any] = {
            "key": program.key,
            "version": program.version,
            "kind": program.kind,
            "sha256": program.sha256,
            "runtime": program.runtime,
        }
        audit.record(db=db, user=user, action="scoring_program.upload", details=facts)
    db.flush()
    return program.model_dump(mode="json", exclude={"object_id", "created_by"})
