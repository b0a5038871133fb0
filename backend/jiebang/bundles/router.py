"""The organiser console's bundle import: a zip of a bundle directory, validated, then imported."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from fastapi.responses import JSONResponse
from sqlmodel import SQLModel

from jiebang.auth.dependencies import Organiser, SessionDep
from jiebang.bundles.importer import import_bundle
from jiebang.bundles.schema import CONTEST_FILE, LIST_FILE
from jiebang.bundles.validate import load_bundle
from jiebang.core.errors import InvalidInput
from jiebang.storage.config import get_store
from jiebang.submissions.archives import ArchiveLimits, ArchiveRejected, extract_archive

router = APIRouter(prefix="/admin", tags=["bundles"])
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
