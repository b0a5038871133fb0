"""The organiser console's bundle import: a zip of a bundle directory, validated, then imported."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from fastapi.responses import JSONResponse
from sqlmodel import SQLModel

from jiebang.auth.dependencies import OptionalUser, SessionDep
from jiebang.auth.models import User
from jiebang.bundles import downloads, formats, landing, trackdata
from jiebang.bundles.importer import import_bundle
from jiebang.bundles.loader import Problem
from jiebang.bundles.schema import CONTEST_FILE, LIST_FILE
from jiebang.bundles.trackdata import TrackData
from jiebang.bundles.validate import load_bundle
from jiebang.config import get_settings
from jiebang.contests import service as contest_service
from jiebang.contests.models import Track
from jiebang.core.errors import InvalidInput, NotFound
from jiebang.core.locale import RequestLocale
from jiebang.organisations.permissions import AnyOrganiser, is_contest_staff
from jiebang.storage.config import get_store
from jiebang.submissions.archives import ArchiveLimits, ArchivePolicy, ArchiveRejected, human_bytes

router = APIRouter(prefix="/admin", tags=["bundles"])
public_router = APIRouter(tags=["bundles"])


def bundle_policy() -> ArchivePolicy:
    """Bundles are the organiser's, so larger than a team's upload, but never unbounded."""
    settings = get_settings()
    return ArchivePolicy(
        ArchiveLimits(
            max_files=settings.bundle_max_files,
            max_unpacked_bytes=settings.bundle_max_unpacked_bytes,
            max_ratio=1_000,
        )
    )


def _save_bounded(upload: UploadFile, path: Path, *, limit: int) -> None:
    """Copy the request's file to ``path``, refusing it as soon as it passes ``limit`` bytes."""
    written = 0
    with path.open("wb") as out:
        while chunk := upload.file.read(1024 * 1024):
            written += len(chunk)
            if written > limit:
                raise InvalidInput("bundle", "file_too_large", limit=human_bytes(limit))
            out.write(chunk)


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
        UploadFile,
        File(description="A zip (or tar) of a challenge bundle, or of a Codabench bundle"),
    ],
    organiser: AnyOrganiser,
    db: SessionDep,
    locale: RequestLocale,
    organisation_id: Annotated[
        int | None,
        Form(description="The unit a new contest belongs to (none: the platform's own)"),
    ] = None,
) -> BundleImported | JSONResponse:
    """Validate and import a bundle; every problem is listed with its file, line and key.

    Any organiser may import: a platform organiser anything; a unit's organiser into a
    contest of that unit (``organisation_id``; a new contest becomes the unit's); a contest's
    organiser into that contest (bundles/landing.py)."""
    where = landing.landing_for(db=db, user=organiser, organisation_id=organisation_id)
    with tempfile.TemporaryDirectory(prefix="jiebang-bundle-") as scratch:
        upload = Path(scratch) / "bundle.zip"
        _save_bounded(bundle, upload, limit=get_settings().bundle_max_bytes)
        try:
            bundle_policy().extract(upload, Path(scratch) / "bundle", filename="bundle.zip")
        except ArchiveRejected as exc:
            raise InvalidInput("bundle", "archive_rejected", message=exc.text(locale)) from exc
        if formats.detect(Path(scratch) / "bundle") == "codabench":
            found, changes = formats.import_path(
                db=db,
                store=get_store(),
                path=Path(scratch) / "bundle",
                work=Path(scratch),
                user=organiser,
                publish=lambda folder: _publish_programs(db, folder, organiser),
                landing=where,
            )
            if found:
                return _problems(found)
            return BundleImported(changes=changes)
        root = _bundle_root(Path(scratch) / "bundle")
        landing.check_raw(db, where, root)
        _publish_programs(db, root, organiser)
        loaded = load_bundle(root)
        if not loaded.ok:
            return _problems(loaded.problems)
        landing.check_loaded(db, where, loaded)
        changes = import_bundle(
            db=db,
            store=get_store(),
            bundle=loaded,
            owner_id=organiser.id,
            organisation_id=organisation_id,
        )
    return BundleImported(changes=changes)


def _problems(found: list[Problem]) -> JSONResponse:
    problems = [
        {"loc": ["body", "bundle", p.file, p.line, p.key], "msg": p.message, "type": "bundle"}
        for p in found
    ]
    return JSONResponse({"detail": problems}, status_code=422)


def _publish_programs(db: SessionDep, root: Path, organiser: User) -> None:
    """A bundle's own scoring programs (``scoring_programs/<name>/``) enter the registry
    first, so that its tracks validate against them; each upload is audited."""
    from jiebang.artifacts.service import publish_bundle_programs
    from jiebang.judging import audit

    for program, created in publish_bundle_programs(
        db=db, store=get_store(), root=root, user=organiser
    ):
        if created:
            details = {"key": program.key, "version": program.version, "sha256": program.sha256}
            audit.record(db=db, user=organiser, action="scoring_program.upload", details=details)
    db.commit()


def _visible_track(db: SessionDep, track_id: int, user: OptionalUser) -> Track:
    staff = is_contest_staff(db, user, {"track_id": track_id})
    return contest_service.get_track(db=db, track_id=track_id, include_drafts=staff)


@public_router.get("/tracks/{track_id}/data", response_model=TrackData)
def read_track_data(
    track_id: int, request: Request, db: SessionDep, user: OptionalUser
) -> TrackData:
    """The track's public files (name, size, sha256, download link), the whole archive, the
    layout table generated from the data, a sample submission with the command that submits
    it; organisers and judges also see the hidden reference listed (never downloadable)."""
    track = _visible_track(db, track_id, user)
    api_base = str(request.base_url).rstrip("/") + "/api/v1"
    return trackdata.track_data(
        db=db,
        store=get_store(),
        track=track,
        api_base=api_base,
        staff=is_contest_staff(db, user, {"track_id": track_id}),
    )


@public_router.get("/tracks/{track_id}/data/archive")
@public_router.head("/tracks/{track_id}/data/archive", include_in_schema=False)
@public_router.get("/tracks/{track_id}/devkit")
@public_router.head("/tracks/{track_id}/devkit", include_in_schema=False)
def download_devkit(
    track_id: int, request: Request, db: SessionDep, user: OptionalUser
) -> Response:
    """All public files as one tar (HTTP Range resumes it; on S3 a presigned redirect)."""
    track = _visible_track(db, track_id, user)
    _, obj = trackdata.devkit_of(db, track)
    if obj is None:
        raise NotFound("devkit")
    return downloads.whole_object(
        request,
        store=get_store(),
        obj=obj,
        filename=f"{track.slug}-public.tar",
        media_type="application/x-tar",
    )


@public_router.get("/tracks/{track_id}/data/files/{name:path}")
@public_router.head("/tracks/{track_id}/data/files/{name:path}", include_in_schema=False)
def download_data_file(
    track_id: int, name: str, request: Request, db: SessionDep, user: OptionalUser
) -> Response:
    """One public file, read in place from the archive (HTTP Range resumes it)."""
    track = _visible_track(db, track_id, user)
    _, obj = trackdata.devkit_of(db, track)
    store = get_store()
    member = next(
        (m for m in (trackdata.tar_members(store, obj) if obj else []) if m.name == name), None
    )
    if obj is None or member is None:
        raise NotFound("file")
    return downloads.ranged(
        request,
        store=store,
        key=obj.key,
        offset=member.offset,
        size=member.size,
        sha256=member.sha256,
        filename=name.rsplit("/", 1)[-1],
    )


@public_router.get("/tracks/{track_id}/data/sample")
@public_router.head("/tracks/{track_id}/data/sample", include_in_schema=False)
def download_sample(
    track_id: int, request: Request, db: SessionDep, user: OptionalUser
) -> Response:
    """A sample submission that scores (the organisers' baseline), to try the whole path."""
    track = _visible_track(db, track_id, user)
    contest, _ = trackdata.devkit_of(db, track)
    obj = trackdata.latest_sample(db, contest_slug=contest.slug, track_slug=track.slug)
    if obj is None:
        raise NotFound("sample submission")
    return downloads.whole_object(
        request, store=get_store(), obj=obj, filename=obj.filename, media_type=obj.content_type
    )
