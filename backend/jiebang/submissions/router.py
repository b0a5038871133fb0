"""Submission endpoints for teams: start, upload parts, complete, cancel, read, select, quota."""

from __future__ import annotations

from fastapi import APIRouter, Request

from jiebang.auth.dependencies import CurrentUser, SessionDep
from jiebang.config import get_settings
from jiebang.contests import service as contest_service
from jiebang.core.errors import InvalidInput, NotFound, ServiceUnavailable
from jiebang.evaluation import dispatch, queue
from jiebang.storage.backend import ObjectMissing, StorageUnavailable
from jiebang.storage.config import get_store
from jiebang.storage.local import LocalStore, PartTooLarge
from jiebang.submissions import service, views
from jiebang.submissions.models import (
    CompleteRequest,
    PartReceived,
    Quota,
    SelectionChange,
    SubmissionCreated,
    SubmissionDetail,
    SubmissionPublic,
    SubmissionStart,
    UploadPlan,
)

router = APIRouter(tags=["submissions"])


@router.get("/phases/{phase_id}/quota", response_model=Quota)
def read_quota(phase_id: int, user: CurrentUser, db: SessionDep) -> Quota:
    """Your team's submissions left today and in total, and when the day resets."""
    phase = contest_service.get_phase(db=db, phase_id=phase_id, include_drafts=False)
    return service.quota_for(
        db=db, phase=phase, team=service.team_for(db=db, phase=phase, user=user)
    )


@router.post("/phases/{phase_id}/submissions", response_model=SubmissionCreated, status_code=201)
def start_submission(
    phase_id: int, body: SubmissionStart, user: CurrentUser, db: SessionDep
) -> SubmissionCreated:
    """Start a submission: returns where to PUT each part (presigned to storage, or via the API)."""
    phase = contest_service.get_phase(db=db, phase_id=phase_id, include_drafts=False)
    sub, plan = service.start(db=db, store=get_store(), phase=phase, user=user, body=body)
    return SubmissionCreated(submission=views.to_public(sub), upload=plan)


@router.get("/phases/{phase_id}/submissions/mine", response_model=list[SubmissionPublic])
def my_submissions(phase_id: int, user: CurrentUser, db: SessionDep) -> list[SubmissionPublic]:
    """Your team's submissions in this phase, newest first."""
    phase = contest_service.get_phase(db=db, phase_id=phase_id, include_drafts=False)
    team = service.team_for(db=db, phase=phase, user=user)
    subs = service.list_for_team(db=db, phase_id=phase_id, team_id=team.id or 0)
    reviews = views.reviews_of(db, [s.id or 0 for s in subs])
    return [views.to_public(s, reviews.get(s.id or 0)) for s in subs]


@router.get("/submissions/{submission_id}/upload", response_model=UploadPlan)
def resume_upload(submission_id: int, user: CurrentUser, db: SessionDep) -> UploadPlan:
    """The parts that arrived and where the rest go, to resume an interrupted upload."""
    sub = service.get_for_member(db=db, submission_id=submission_id, user=user)
    if sub.status != "uploading":
        raise NotFound("upload")
    return service.plan(store=get_store(), sub=sub)


@router.put("/uploads/{upload_id}/parts/{part_number}", response_model=PartReceived)
async def upload_part(
    upload_id: str, part_number: int, request: Request, user: CurrentUser, db: SessionDep
) -> PartReceived:
    """Receive one part (local store only), streamed to disk as it arrives."""
    sub = service.get_uploading(db=db, upload_id=upload_id, user=user)
    store = get_store()
    if not isinstance(store, LocalStore):
        raise NotFound("upload")  # with S3, parts go straight to storage through presigned URLs
    if not 1 <= part_number <= max(1, -(-sub.declared_size // sub.part_size)):
        raise InvalidInput(
            "part_number", "upload_incomplete", message=f"part {part_number} is out of range"
        )
    try:
        part = await store.put_part_async(
            sub.upload_key, sub.upload_id, part_number, request.stream()
        )
    except PartTooLarge as exc:
        raise InvalidInput("body", "upload_incomplete", message=str(exc)) from exc
    except ObjectMissing as exc:
        raise NotFound("upload") from exc
    except StorageUnavailable as exc:
        raise ServiceUnavailable("storage_unavailable") from exc
    return PartReceived(number=part.number, size=part.size, etag=part.etag)


@router.post("/submissions/{submission_id}/complete", response_model=SubmissionPublic)
def complete_submission(
    submission_id: int, body: CompleteRequest, user: CurrentUser, db: SessionDep
) -> SubmissionPublic:
    """Finish the upload: the platform verifies parts, size, sha256 and the archive, then queues it."""
    sub = service.get_for_member(db=db, submission_id=submission_id, user=user)
    sub = service.complete(
        db=db,
        store=get_store(),
        sub=sub,
        body=body,
        actor=f"user:{user.id}",
        max_attempts=get_settings().max_attempts,
    )
    dispatch.announce([job.id or 0 for job in queue.active_jobs(db, submission_id=sub.id or 0)], db)
    return views.to_public(sub)


@router.post("/submissions/{submission_id}/cancel", response_model=SubmissionPublic)
def cancel_submission(submission_id: int, user: CurrentUser, db: SessionDep) -> SubmissionPublic:
    """Cancel an upload or a queued submission (a queued one is refunded)."""
    sub = service.get_for_member(db=db, submission_id=submission_id, user=user)
    return views.to_public(
        service.cancel(db=db, store=get_store(), sub=sub, actor=f"user:{user.id}")
    )


@router.get("/submissions/{submission_id}", response_model=SubmissionDetail)
def read_submission(submission_id: int, user: CurrentUser, db: SessionDep) -> SubmissionDetail:
    """Status, public scores, per-item rows, plots, logs and history of your submission."""
    sub = service.get_for_member(db=db, submission_id=submission_id, user=user)
    return views.detail_for_team(db, sub)


@router.put("/submissions/{submission_id}/selection", response_model=SubmissionPublic)
def select_submission(
    submission_id: int, body: SelectionChange, user: CurrentUser, db: SessionDep
) -> SubmissionPublic:
    """Choose a scored submission for the private leaderboard (or drop it)."""
    sub = service.get_for_member(db=db, submission_id=submission_id, user=user)
    return views.to_public(service.set_selected(db=db, sub=sub, selected=body.selected))
