"""Resumable organiser uploads: POST to open, PUT parts (local store; S3 takes presigned
PUTs), GET to see what arrived after a break, POST complete to finish. Opening asks the
contest's scope (organisers of the phase's or track's contest); the rest is the owner's."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from jiebang.auth.dependencies import SessionDep
from jiebang.core.errors import InvalidInput, NotFound, ServiceUnavailable
from jiebang.organisations.permissions import AnyOrganiser
from jiebang.staged_uploads import service
from jiebang.staged_uploads.models import (
    PartReceived,
    StagedComplete,
    StagedUploadCreate,
    StagedUploadPlan,
)
from jiebang.storage.backend import ObjectMissing, StorageUnavailable
from jiebang.storage.config import get_store
from jiebang.storage.local import LocalStore, PartTooLarge

router = APIRouter(tags=["staged uploads"])


@router.post("/staged-uploads", response_model=StagedUploadPlan, status_code=201)
def open_upload(
    body: StagedUploadCreate, organiser: AnyOrganiser, db: SessionDep
) -> StagedUploadPlan:
    """Start an upload in parts of a track's reference data, sample, devkit or a program."""
    store = get_store()
    staged = service.create(db=db, store=store, body=body, user=organiser)
    db.commit()
    return service.plan(store=store, staged=staged)


@router.get("/staged-uploads/{upload_id}", response_model=StagedUploadPlan)
def resume_upload(upload_id: int, organiser: AnyOrganiser, db: SessionDep) -> StagedUploadPlan:
    """The parts that arrived and where the rest go, to resume an interrupted upload."""
    staged = service.get_own(db=db, upload_id=upload_id, user=organiser)
    return service.plan(store=get_store(), staged=staged)


@router.put("/staged-uploads/{upload_id}/parts/{part_number}", response_model=PartReceived)
async def upload_part(
    upload_id: int, part_number: int, request: Request, organiser: AnyOrganiser, db: SessionDep
) -> PartReceived:
    """Receive one part (local store only), streamed to disk as it arrives."""
    staged = service.get_own(db=db, upload_id=upload_id, user=organiser)
    store = get_store()
    if not isinstance(store, LocalStore):
        raise NotFound("upload")  # with S3, parts go straight to storage
    if not 1 <= part_number <= service.part_count(staged):
        raise InvalidInput(
            "part_number", "upload_incomplete", message=f"part {part_number} is out of range"
        )
    try:
        part = await store.put_part_async(
            staged.upload_key, staged.upload_id, part_number, request.stream()
        )
    except PartTooLarge as exc:
        raise InvalidInput("body", "upload_incomplete", message=str(exc)) from exc
    except ObjectMissing as exc:
        raise NotFound("upload") from exc
    except StorageUnavailable as exc:
        raise ServiceUnavailable("storage_unavailable") from exc
    return PartReceived(number=part.number, size=part.size, etag=part.etag)


@router.post("/staged-uploads/{upload_id}/complete")
def complete_upload(
    upload_id: int, body: StagedComplete, organiser: AnyOrganiser, db: SessionDep
) -> dict[str, Any]:
    """Join the parts, check size and sha256, and store the file as what it is for; answers
    what the one-shot upload of that purpose answers."""
    staged = service.get_own(db=db, upload_id=upload_id, user=organiser)
    service.claim_completion(db=db, staged=staged)  # one completion at a time
    try:
        result = service.complete(
            db=db, store=get_store(), staged=staged, body=body, user=organiser
        )
        db.commit()
    except BaseException:
        service.release_completion(db=db, staged=staged)
        raise
    return result
