"""Scoring-program endpoints: organisers upload archives and read versions."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, File, Response, UploadFile
from pydantic import BaseModel

from jiebang.artifacts import images, runtime_build, service
from jiebang.artifacts.models import ScoringProgram, ScoringProgramPublic
from jiebang.auth.dependencies import CurrentUser, Judge, Organiser, SessionDep
from jiebang.core.errors import NotFound
from jiebang.judging import audit
from jiebang.runtimes import PythonRuntime
from jiebang.runtimes.builds import combined_state
from jiebang.runtimes.config import get_runtime_settings
from jiebang.runtimes.models import WorkerRuntimeState
from jiebang.storage.config import get_store

router = APIRouter(tags=["scoring programs"])
MAX_PROGRAM_UPLOAD = 512 * 1024 * 1024


@router.post(
    "/scoring-programs",
    response_model=ScoringProgramPublic,
    status_code=201,
    responses={200: {"description": "The same content was already published"}},
)
def upload_program(
    archive: Annotated[
        UploadFile, File(description="A zip or tar of evaluator.py or scorer.yaml and its files")
    ],
    organiser: Organiser,
    db: SessionDep,
    response: Response,
) -> ScoringProgram:
    """Publish a scoring program; each new content is a new version of its key."""
    with tempfile.TemporaryDirectory(prefix="jiebang-upload-") as work:
        path = Path(work) / "upload.bin"
        with path.open("wb") as out:
            shutil.copyfileobj(archive.file, out, 1024 * 1024)
        program, created = service.upload_archive(
            db=db,
            store=get_store(),
            archive=path,
            filename=archive.filename or "program.zip",
            user=organiser,
        )
    if created:
        audit.record(
            db=db,
            user=organiser,
            action="scoring_program.upload",
            details={
                "key": program.key,
                "version": program.version,
                "kind": program.kind,
                "sha256": program.sha256,
                "runtime": program.runtime,
            },
        )
    db.commit()
    db.refresh(program)
    if not created:
        response.status_code = 200
    return program


class RuntimeImagePublic(BaseModel):
    digest: str  # what a runtime declares: {"kind": "oci", "archive_digest": digest}
    size: int


@router.post(
    "/runtime-images",
    response_model=RuntimeImagePublic,
    status_code=201,
    responses={200: {"description": "The same image was already uploaded"}},
)
def upload_runtime_image(
    archive: Annotated[UploadFile, File(description="An OCI layout tar or docker save output")],
    user: CurrentUser,
    db: SessionDep,
    response: Response,
) -> RuntimeImagePublic:
    """Upload an OCI image archive for an ``oci`` runtime (organisers' scoring programs,
    teams' programs on code tracks); it is named by its sha256."""
    limit = get_runtime_settings().max_image_upload_bytes
    with tempfile.TemporaryDirectory(prefix="jiebang-image-") as work:
        path = Path(work) / "image.tar"
        with path.open("wb") as out:
            images.copy_capped(archive.file, out, limit=limit)
        obj, created = images.upload_image(db=db, store=get_store(), path=path, user=user)
    db.commit()
    if not created:
        response.status_code = 200
    return RuntimeImagePublic(digest=f"sha256:{obj.sha256}", size=obj.size)


@router.get("/scoring-programs", response_model=list[ScoringProgramPublic])
def list_programs(_: Judge, db: SessionDep) -> list[ScoringProgram]:
    """The newest version of every scoring program, built-in and uploaded."""
    return service.list_latest(db=db)


@router.get("/scoring-programs/{key}/versions", response_model=list[ScoringProgramPublic])
def list_versions(key: str, _: Judge, db: SessionDep) -> list[ScoringProgram]:
    """Every version of one key, oldest first (tracks pin one of them)."""
    found = service.versions(db=db, key=key)
    if not found:
        raise NotFound("scoring program")
    return found


@router.get("/scoring-programs/{key}/versions/{version}", response_model=ScoringProgramPublic)
def read_version(key: str, version: str, _: Judge, db: SessionDep) -> ScoringProgram:
    program = service.get_version(db=db, key=key, version=version)
    if program is None:
        raise NotFound("scoring program")
    return program


class RuntimeStatePublic(BaseModel):
    kind: str = "platform"  # platform | python | oci
    status: str  # ready | building | failed | absent (built on no worker, nor here, yet)
    message: str = ""
    message_zh: str = ""
    elapsed_seconds: float | None = None  # while building
    log_tail: str = ""  # while building: what the builder has said so far
    workers: list[WorkerRuntimeState] = []  # each reporting worker's own status
    # python: the time the index is read as of, and what the build installed (when known)
    exclude_newer: str | None = None
    resolved: list[str] = []


def _state(db: SessionDep, program: ScoringProgram) -> RuntimeStatePublic:
    spec = runtime_build.spec_of(program)
    state = combined_state(db=db, spec=spec)
    return RuntimeStatePublic(
        kind=spec.kind,
        status=state.status,
        message=state.message,
        message_zh=state.message_zh,
        elapsed_seconds=state.elapsed_seconds,
        log_tail=state.log_tail,
        workers=list(state.workers),
        exclude_newer=spec.exclude_newer if isinstance(spec, PythonRuntime) else None,
        resolved=list(state.resolved),
    )


@router.get("/scoring-programs/{key}/versions/{version}/runtime", response_model=RuntimeStatePublic)
def read_runtime_state(key: str, version: str, _: Judge, db: SessionDep) -> RuntimeStatePublic:
    """Whether the program's runtime is built (on a worker or here), being built, or failed
    (with the resolver's words)."""
    program = service.get_version(db=db, key=key, version=version)
    if program is None:
        raise NotFound("scoring program")
    return _state(db, program)


@router.post(
    "/scoring-programs/{key}/versions/{version}/runtime/build",
    response_model=RuntimeStatePublic,
    status_code=202,
)
def build_runtime(
    key: str, version: str, _: Organiser, db: SessionDep, tasks: BackgroundTasks
) -> RuntimeStatePublic:
    """Build the program's runtime now, in the background (a failed one is built again);
    poll ``GET …/runtime`` for its progress."""
    program = service.get_version(db=db, key=key, version=version)
    if program is None:
        raise NotFound("scoring program")
    spec = runtime_build.spec_of(program)
    state = combined_state(db=db, spec=spec)
    if state.status in ("absent", "failed"):
        image_key = runtime_build.image_key_for(db, spec)
        tasks.add_task(runtime_build.build, spec, store=get_store(), image_key=image_key)
    return _state(db, program)
