"""A track's data as teams meet it: the public files (each downloadable, and as one archive),
the layout table generated from them, a sample submission and the command that submits it.
Organisers and judges also see the hidden reference listed; it is never served to anyone."""

from __future__ import annotations

import json
import tarfile

from sqlmodel import Session, SQLModel, col, select

from jiebang.bundles import layout as layout_mod
from jiebang.bundles import tarindex
from jiebang.bundles.importer import latest_devkit
from jiebang.contests.models import Contest, Phase, Track
from jiebang.storage.backend import ObjectStore, StorageUnavailable
from jiebang.storage.models import StoredObject

SAMPLE_PREFIX = "samples"
# layout tables by (devkit, reference, evaluator, config): probing headers once per archive
_LAYOUTS: dict[tuple[str, str, str, str], list[layout_mod.LayoutRow]] = {}


class DataFile(SQLModel):
    name: str
    size: int
    sha256: str
    url: str | None = None  # None: listed only (hidden reference)


class DataArchive(SQLModel):
    filename: str
    size: int
    sha256: str
    url: str  # Range requests resume a broken download (on S3: a presigned redirect)


class SampleSubmission(SQLModel):
    filename: str
    size: int
    sha256: str
    url: str
    command: str  # the exact CLI command that submits it
    login_command: str


class HiddenReference(SQLModel):
    phase_id: int
    phase_slug: str
    filename: str
    size: int
    sha256: str
    files: list[DataFile]  # never downloadable


class TrackData(SQLModel):
    track_id: int
    contest_slug: str
    track_slug: str
    target: str  # contest-slug/track-slug, what `jiebang submit` accepts
    archive: DataArchive | None
    files: list[DataFile]
    layout: list[layout_mod.LayoutRow]
    sample: SampleSubmission | None
    hidden: list[HiddenReference] | None = None  # organisers and judges only


def sample_prefix(contest_slug: str, track_slug: str) -> str:
    return f"{SAMPLE_PREFIX}/{contest_slug}/{track_slug}"


def latest_sample(db: Session, *, contest_slug: str, track_slug: str) -> StoredObject | None:
    """The newest sample submission stored for a track."""
    prefix = sample_prefix(contest_slug, track_slug) + "/"
    query = (
        select(StoredObject)
        .where(col(StoredObject.key).startswith(prefix))
        .order_by(col(StoredObject.id).desc())
    )
    return db.exec(query).first()


def devkit_of(db: Session, track: Track) -> tuple[Contest, StoredObject | None]:
    contest = db.get(Contest, track.contest_id)
    assert contest is not None
    return contest, latest_devkit(db, contest_slug=contest.slug, track_slug=track.slug)


def tar_members(store: ObjectStore, obj: StoredObject) -> list[tarindex.Member]:
    """The archive's files; an object that is not a tar (e.g. a zip upload) lists nothing."""
    try:
        return tarindex.members(store, obj.key, obj.sha256)
    except (tarfile.TarError, EOFError):
        return []


def _reader(store: ObjectStore, obj: StoredObject) -> layout_mod.Reader:
    return lambda member, limit: tarindex.read_member(store, obj.key, member, limit)


def _hidden(db: Session, store: ObjectStore, track: Track) -> list[HiddenReference]:
    out = []
    phases = db.exec(select(Phase).where(Phase.track_id == track.id).order_by(col(Phase.id)))
    for phase in phases:
        obj = db.get(StoredObject, phase.reference_object_id) if phase.reference_object_id else None
        if obj is None:
            continue
        files = [
            DataFile(name=m.name, size=m.size, sha256=m.sha256) for m in tar_members(store, obj)
        ]
        out.append(
            HiddenReference(
                phase_id=phase.id or 0,
                phase_slug=phase.slug,
                filename=obj.filename,
                size=obj.size,
                sha256=obj.sha256,
                files=files,
            )
        )
    return out


def _first_reference(db: Session, track: Track) -> StoredObject | None:
    phase = db.exec(
        select(Phase)
        .where(Phase.track_id == track.id, col(Phase.reference_object_id).is_not(None))
        .order_by(col(Phase.starts_at))
    ).first()
    return db.get(StoredObject, phase.reference_object_id) if phase else None


def track_data(
    *, db: Session, store: ObjectStore, track: Track, api_base: str, staff: bool
) -> TrackData:
    """Everything the Data tab shows, built from the stored archives."""
    contest, devkit = devkit_of(db, track)
    base = f"{api_base}/tracks/{track.id}/data"
    files: list[DataFile] = []
    rows: list[layout_mod.LayoutRow] = []
    archive = None
    if devkit is not None:
        try:
            members = tar_members(store, devkit)
        except StorageUnavailable:
            members = []
        files = [
            DataFile(name=m.name, size=m.size, sha256=m.sha256, url=f"{base}/files/{m.name}")
            for m in members
        ]
        reference = _first_reference(db, track)
        cache_key = (
            devkit.sha256,
            reference.sha256 if reference else "",
            track.evaluator_key,
            json.dumps(track.evaluator_config, sort_keys=True, default=str),
        )
        if cache_key not in _LAYOUTS:
            if len(_LAYOUTS) >= 64:
                _LAYOUTS.pop(next(iter(_LAYOUTS)))
            _LAYOUTS[cache_key] = layout_mod.layout(
                members,
                _reader(store, devkit),
                evaluator=track.evaluator_key,
                config=track.evaluator_config,
                reference=tar_members(store, reference) if reference else None,
                read_reference=_reader(store, reference) if reference else None,
            )
        rows = [row.model_copy() for row in _LAYOUTS[cache_key]]
        archive = DataArchive(
            filename=f"{track.slug}-public.tar",
            size=devkit.size,
            sha256=devkit.sha256,
            url=f"{base}/archive",
        )
    target = f"{contest.slug}/{track.slug}"
    sample_obj = latest_sample(db, contest_slug=contest.slug, track_slug=track.slug)
    sample = (
        SampleSubmission(
            filename=sample_obj.filename,
            size=sample_obj.size,
            sha256=sample_obj.sha256,
            url=f"{base}/sample",
            command=f"jiebang submit {target} {sample_obj.filename}",
            login_command=f"jiebang login --api {api_base.removesuffix('/api/v1')}",
        )
        if sample_obj
        else None
    )
    return TrackData(
        track_id=track.id or 0,
        contest_slug=contest.slug,
        track_slug=track.slug,
        target=target,
        archive=archive,
        files=files,
        layout=rows,
        sample=sample,
        hidden=_hidden(db, store, track) if staff else None,
    )
