"""The worker API: claim, heartbeat, fetch inputs, report. Workers hold a token, not DB access."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Response
from fastapi.responses import StreamingResponse

from jiebang.auth.dependencies import SessionDep
from jiebang.config import get_settings
from jiebang.contests.models import Phase
from jiebang.core.errors import Conflict, NotFound, Unauthorized
from jiebang.evaluation import jobs, queue
from jiebang.evaluation.models import ClaimRequest, EvaluationJob, JobResult, JobSpec, LeaseRequest
from jiebang.runtimes import builds as runtime_builds
from jiebang.runtimes.models import RuntimeBuildReport
from jiebang.storage import service as storage_service
from jiebang.storage.config import get_store
from jiebang.storage.models import StoredObject
from jiebang.submissions.models import Submission


def require_worker(authorization: Annotated[str | None, Header()] = None) -> None:
    expected = f"Worker {get_settings().effective_worker_token}"
    if not authorization or not hmac.compare_digest(authorization.encode(), expected.encode()):
        raise Unauthorized("bad_worker_token")


router = APIRouter(prefix="/worker", tags=["worker"], dependencies=[Depends(require_worker)])


def _job(db: SessionDep, job_id: int) -> EvaluationJob:
    job = db.get(EvaluationJob, job_id)
    if job is None:
        raise NotFound("job")
    return job


@router.post("/claim", response_model=JobSpec, responses={204: {"description": "Nothing to do"}})
def claim(body: ClaimRequest, db: SessionDep) -> JobSpec | Response:
    """Lease the given queued job, or the oldest one."""
    settings = get_settings()
    job = queue.claim(
        db,
        worker=body.worker,
        lease_seconds=settings.lease_seconds,
        job_id=body.job_id,
        gpus=body.gpu_count,
    )
    queue.note_worker(
        db,
        name=body.worker,
        job_id=job.id if job else None,
        sandbox=body.sandbox,
        gpu_count=body.gpu_count,
        gpu_model=body.gpu_model,
    )
    if job is None:
        return Response(status_code=204)
    return jobs.spec_for(db, store=get_store(), job=job, lease_seconds=settings.lease_seconds)


@router.post("/jobs/{job_id}/heartbeat", status_code=204)
def heartbeat(job_id: int, body: LeaseRequest, db: SessionDep) -> Response:
    """Extend the lease; 409 tells the worker that the job has moved on without it."""
    if not queue.heartbeat(
        db, job_id=job_id, owner=body.lease_owner, lease_seconds=get_settings().lease_seconds
    ):
        raise Conflict("job", key="lease_lost")
    return Response(status_code=204)


@router.post("/jobs/{job_id}/result", status_code=204)
def report(job_id: int, body: JobResult, db: SessionDep) -> Response:
    """Record the outcome once (idempotent for duplicate deliveries)."""
    jobs.record(db, job=_job(db, job_id), body=body)
    return Response(status_code=204)


@router.post("/runtime-builds", status_code=204)
def runtime_build(body: RuntimeBuildReport, db: SessionDep) -> Response:
    """How a worker's build of a runtime goes (building, ready, failed): organisers see it
    from any API process, and publishing refuses a runtime that failed."""
    runtime_builds.record(db=db, report=body)
    db.commit()
    return Response(status_code=204)


def _stream(db: SessionDep, object_id: int | None) -> StreamingResponse:
    obj = db.get(StoredObject, object_id) if object_id else None
    if obj is None:
        raise NotFound("object")
    return StreamingResponse(
        storage_service.iter_object(store=get_store(), obj=obj),
        media_type="application/octet-stream",
        headers={"Content-Length": str(obj.size), "X-Content-SHA256": obj.sha256},
    )


@router.get("/jobs/{job_id}/submission")
def submission_file(job_id: int, lease_owner: str, db: SessionDep) -> StreamingResponse:
    """The team's upload, for the worker holding the lease."""
    job = _job(db, job_id)
    if not queue.holds_lease(job, lease_owner):
        raise Conflict("job", key="lease_lost")
    sub = db.get(Submission, job.submission_id)
    return _stream(db, sub.object_id if sub else None)


@router.get("/jobs/{job_id}/reference")
def reference_file(job_id: int, lease_owner: str, db: SessionDep) -> StreamingResponse:
    """The phase's hidden reference archive, for the worker holding the lease."""
    job = _job(db, job_id)
    if not queue.holds_lease(job, lease_owner):
        raise Conflict("job", key="lease_lost")
    sub = db.get(Submission, job.submission_id)
    phase = db.get(Phase, sub.phase_id) if sub else None
    return _stream(db, phase.reference_object_id if phase else None)


@router.get("/runtime-images/{sha256}")
def runtime_image_file(sha256: str, db: SessionDep) -> StreamingResponse:
    """An uploaded OCI image archive, by the sha256 of the file (workers cache it)."""
    from jiebang.artifacts import images

    obj = images.image_object(db=db, hex_digest=sha256)
    return _stream(db, obj.id if obj else None)


@router.get("/scoring-programs/{sha256}")
def scoring_program_file(sha256: str, db: SessionDep) -> StreamingResponse:
    """A scoring program's deterministic archive, by its sha256 (workers cache it by hash)."""
    from jiebang.artifacts import service as artifact_service

    program = artifact_service.by_sha256(db=db, sha256=sha256.lower())
    return _stream(db, program.object_id if program else None)
