"""Readiness endpoints: a track's sample submission, "check this track", what is missing."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from pydantic import BaseModel

from jiebang.auth.dependencies import SessionDep
from jiebang.bundles import trackdata
from jiebang.bundles.trackdata import sample_prefix
from jiebang.config import get_settings
from jiebang.contests import service as contests
from jiebang.contests.models import Contest
from jiebang.judging import audit
from jiebang.organisations.permissions import ContestOrganiser, ContestStaff
from jiebang.readiness import devkit, service
from jiebang.readiness.models import MissingItem, TrackCheck, TrackCheckPublic
from jiebang.storage import service as storage_service
from jiebang.storage.config import get_store
from jiebang.storage.models import StoredObject

router = APIRouter(tags=["readiness"])


class Readiness(BaseModel):
    ready: bool
    missing: list[MissingItem]


@router.put("/tracks/{track_id}/sample", response_model=None)
def upload_sample(
    track_id: int,
    file: Annotated[UploadFile, File(description="A submission that should score")],
    organiser: ContestOrganiser,
    db: SessionDep,
) -> dict[str, object]:
    """Store the track's sample submission (the Data tab offers it; the check scores it)."""
    track = contests.get_track(db=db, track_id=track_id, include_drafts=True)
    contest = db.get(Contest, track.contest_id)
    assert contest is not None
    obj: StoredObject = storage_service.save_stream(
        db=db,
        store=get_store(),
        stream=file.file,
        filename=file.filename or "sample.bin",
        prefix=sample_prefix(contest.slug, track.slug),
        owner_id=organiser.id,
        max_bytes=track.max_submission_bytes,
    )
    db.commit()
    return {"id": obj.id, "filename": obj.filename, "size": obj.size, "sha256": obj.sha256}


class DevkitStored(BaseModel):
    id: int
    filename: str
    size: int
    sha256: str
    files: int  # how many files teams will see on the Data tab


@router.put("/tracks/{track_id}/devkit", response_model=DevkitStored)
def upload_devkit(
    track_id: int,
    archive: Annotated[
        UploadFile, File(description="The public development kit: a zip, a tar, or one file")
    ],
    organiser: ContestOrganiser,
    db: SessionDep,
) -> DevkitStored:
    """Store the track's public devkit (starting kit) that teams download on the Data tab."""
    track = contests.get_track(db=db, track_id=track_id, include_drafts=True)
    contest = db.get(Contest, track.contest_id)
    assert contest is not None
    with tempfile.TemporaryDirectory(prefix="jiebang-devkit-upload-") as work:
        path = Path(work) / "upload.bin"
        with path.open("wb") as out:
            shutil.copyfileobj(archive.file, out, 1024 * 1024)
        obj, created = devkit.store_devkit(
            db=db,
            store=get_store(),
            upload=path,
            filename=archive.filename or "devkit.zip",
            contest=contest,
            track=track,
            user=organiser,
        )
    if created:
        audit.record(
            db=db,
            user=organiser,
            action="track.devkit",
            details={"track_id": track.id, "sha256": obj.sha256, "size": obj.size},
        )
    db.commit()
    files = len(trackdata.tar_members(get_store(), obj))
    return DevkitStored(
        id=obj.id or 0, filename=obj.filename, size=obj.size, sha256=obj.sha256, files=files
    )


@router.post("/tracks/{track_id}/check", response_model=TrackCheckPublic)
def check_track(track_id: int, organiser: ContestOrganiser, db: SessionDep) -> TrackCheck:
    """Run the real pipeline on the sample submission; the result and the scoring program's
    stderr are kept for the organisers."""
    track = contests.get_track(db=db, track_id=track_id, include_drafts=True)
    settings = get_settings()
    work = (settings.work_dir or settings.var_dir / "work") / "checks"
    check = service.run_check(db=db, store=get_store(), track=track, user=organiser, work_root=work)
    audit.record(
        db=db,
        user=organiser,
        action="track.check",
        details={"track_id": track.id, "status": check.status, "check_id": check.id},
    )
    db.commit()
    return check


@router.get("/tracks/{track_id}/checks", response_model=list[TrackCheckPublic])
def list_checks(track_id: int, _: ContestStaff, db: SessionDep) -> list[TrackCheck]:
    """The track's checks, newest first."""
    contests.get_track(db=db, track_id=track_id, include_drafts=True)
    return service.list_checks(db=db, track_id=track_id)


@router.get("/contests/{contest_id}/readiness", response_model=Readiness)
def contest_readiness(contest_id: int, _: ContestStaff, db: SessionDep) -> Readiness:
    """What each track still lacks before the contest may be published."""
    contest = contests.get_contest(db=db, contest_id=contest_id, include_drafts=True)
    missing = service.missing_for_contest(db, contest)
    return Readiness(ready=not missing, missing=missing)
