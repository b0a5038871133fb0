"""Submission endpoints for teams: start, upload parts, complete, cancel, read, select, quota."""

from __future__ import annotations

from fastapi import APIRouter, Request

from jiebang.auth.dependencies import CurrentUser, SessionDep
from jiebang.config import get_settings
from jiebang.contests import service as contest_service
from jiebang.core.errors import InvalidInput, NotFound, ServiceUnavailable
from jiebang.core.locale import RequestLocale
from jiebang.evaluation import dispatch, queue
from jiebang.storage.backend import ObjectMissing, StorageUnavailable
from jiebang.storage.config import get_store
from jiebang.storage.local import LocalStore, PartTooLarge
from jiebang.submissions import completion, rows, service, views
from jiebang.submissions.models import (
    CompleteRequest,
    PartReceived,
    Quota,
    SelectionChange,
    SubmissionConflict,
    SubmissionCreated,
    SubmissionDetail,
    SubmissionPublic,
    SubmissionRow,
    SubmissionStart,
    UploadPlan,
)

router = APIRouter(tags=["submissions"])


@router.get("/phases/{phase_id}/quota", response_model=Quota)
def read_quota(phase_id: int, user: CurrentUser, db: SessionDep) -> Quota:
    """Your team's scoring submissions left today and in total, failed attempts left today,
    unfinished uploads held open, and when the day resets."""
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


@router.get("/phases/{phase_id}/submissions/mine", response_model=list[SubmissionRow])
def my_submissions(
    phase_id: int, user: CurrentUser, db: SessionDep, locale: RequestLocale
) -> list[SubmissionRow]:
    """Your team's submissions in this phase, newest first: status, the public split's values
    of the board's columns, the failure reason in your language, and your note."""
    phase = contest_service.get_phase(db=db, phase_id=phase_id, include_drafts=False)
    team = service.team_for(db=db, phase=phase, user=user)
    subs = service.list_for_team(db=db, phase_id=phase_id, team_id=team.id or 0)
    return rows.team_rows(db, phase=phase, subs=subs, locale=locale)


@router.get("/phases/{phase_id}/results/mine", response_model=rows.FinalStanding)
def my_final_standing(phase_id: int, user: CurrentUser, db: SessionDep) -> rows.FinalStanding:
    """Your team's final rank, award and prize in the published results (private split)."""
    phase = contest_service.get_phase(db=db, phase_id=phase_id, include_drafts=False)
    team = service.team_for(db=db, phase=phase, user=user)
    return rows.final_standing(db, phase=phase, team_id=team.id or 0)


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


@router.post(
    "/submissions/{submission_id}/complete",
    response_model=SubmissionPublic,
    responses={409: {"model": SubmissionConflict, "description": "Already (being) completed"}},
)
def complete_submission(
    submission_id: int,
    body: CompleteRequest,
    user: CurrentUser,
    db: SessionDep,
    locale: RequestLocale,
) -> SubmissionPublic:
    """Finish the upload: the platform verifies parts, size, sha256 and the archive, then
    charges the quota and queues it. A complete that another request already did (or is
    doing) answers 409 with the submission's current state."""
    sub = service.get_for_member(db=db, submission_id=submission_id, user=user)
    sub = completion.complete(
        db=db,
        store=get_store(),
        sub=sub,
        body=body,
        actor=f"user:{user.id}",
        max_attempts=get_settings().max_attempts,
        locale=locale,
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
def read_submission(
    submission_id: int, user: CurrentUser, db: SessionDep, locale: RequestLocale
) -> SubmissionDetail:
    """Status, public scores, per-item rows, plots, your program's logs and history of your
    submission; a failure's reason comes in your language."""
    sub = service.get_for_member(db=db, submission_id=submission_id, user=user)
    return views.detail_for_team(db, sub, locale)


@router.put("/submissions/{submission_id}/selection", response_model=SubmissionPublic)
def select_submission(
    submission_id: int, body: SelectionChange, user: CurrentUser, db: SessionDep
) -> SubmissionPublic:
    """Choose a scored submission for the private leaderboard (or drop it)."""
    sub = service.get_for_member(db=db, submission_id=submission_id, user=user)
    return views.to_public(service.set_selected(db=db, sub=sub, selected=body.selected))
