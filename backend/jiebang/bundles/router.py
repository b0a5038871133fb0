"""The organiser console's bundle import: a zip of a bundle directory, validated, then imported."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from fastapi.responses import JSONResponse, StreamingResponse
from sqlmodel import SQLModel

from jiebang.auth.dependencies import OptionalUser, Organiser, SessionDep, is_staff
from jiebang.bundles.importer import import_bundle, latest_devkit
from jiebang.bundles.schema import CONTEST_FILE, LIST_FILE
from jiebang.bundles.validate import load_bundle
from jiebang.contests import service as contest_service
from jiebang.contests.models import Contest
from jiebang.core.errors import InvalidInput, NotFound
from jiebang.storage import service as storage_service
from jiebang.storage.config import get_store
from jiebang.submissions.archives import ArchiveLimits, ArchiveRejected, extract_archive

router = APIRouter(prefix="/admin", tags=["bundles"])
public_router = APIRouter(tags=["bundles"])
BUNDLE_LIMITS = ArchiveLimits(max_files=100_000, max_unpacked_bytes=16 * 1024**3, max_ratio=1_000)


class BundleImported(SQLModel):
    changes: list[str]


def _bundle_root(unpacked: Path) -> Path:
    """The folder holding the bundle's YAML: the zip's root, or its single top-level folder."""
    if any((unpacked / name).is_file() for name in (LIST_FILE, CONTEST_FILE)):
        return unpacked
    children = [p for p in unpacked.iterdir() if p.is_dir()]
    return children[0] if len(children) == 1 else unpacked


@router.post(
    "/bundles", response_model=BundleImported, responses={422: {"description": "Problems found"}}
)
def import_bundle_zip(
    bundle: Annotated[
        UploadFile, File(description="A zip (or tar) of a challenge bundle directory")
    ],
    organiser: Organiser,
    db: SessionDep,
) -> BundleImported | JSONResponse:
    """Validate and import a bundle; every problem is listed with its file, line and key."""
    with tempfile.TemporaryDirectory(prefix="jiebang-bundle-") as scratch:
        upload = Path(scratch) / "bundle.zip"
        with upload.open("wb") as out:
            shutil.copyfileobj(bundle.file, out, 1024 * 1024)
        try:
            extract_archive(upload, Path(scratch) / "bundle", BUNDLE_LIMITS, filename="bundle.zip")
        except ArchiveRejected as exc:
            raise InvalidInput("bundle", "archive_rejected", message=str(exc)) from exc
        loaded = load_bundle(_bundle_root(Path(scratch) / "bundle"))
        if not loaded.ok:
            problems = [
                {
                    "loc": ["body", "bundle", p.file, p.line, p.key],
                    "msg": p.message,
                    "type": "bundle",
                }
                for p in loaded.problems
            ]
            return JSONResponse({"detail": problems}, status_code=422)
        changes = import_bundle(db=db, store=get_store(), bundle=loaded, owner_id=organiser.id)
    return BundleImported(changes=changes)


@public_router.get("/tracks/{track_id}/devkit")
def download_devkit(track_id: int, db: SessionDep, user: OptionalUser) -> StreamingResponse:
    """The track's public development data (a tar whose checksums the bundle published)."""
    track = contest_service.get_track(db=db, track_id=track_id, include_drafts=is_staff(user))
    contest = db.get(Contest, track.contest_id)
    obj = latest_devkit(db, contest_slug=contest.slug, track_slug=track.slug) if contest else None
    if obj is None:
        raise NotFound("devkit")
    return StreamingResponse(
        storage_service.iter_object(store=get_store(), obj=obj),
        media_type="application/x-tar",
        headers={
            "Content-Disposition": f'attachment; filename="{track.slug}-devkit.tar"',
            "Content-Length": str(obj.size),
            "X-Content-SHA256": obj.sha256,
        },
    )
