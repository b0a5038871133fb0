"""Publishing scoring programs: check, pack deterministically, describe, store, version."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from jiebang.artifacts import images
from jiebang.artifacts.describe import DescribeFailed, describe_in_sandbox
from jiebang.artifacts.manifest import ManifestRefused, find_manifest, read_manifest
from jiebang.artifacts.models import KIND_COMMAND, KIND_EVALUATOR, ProgramRef, ScoringProgram
from jiebang.artifacts.packing import PackingRefused, pack
from jiebang.auth.models import User
from jiebang.core.errors import DomainError
from jiebang.core.i18n import current_locale
from jiebang.db import utcnow
from jiebang.runtimes import stamp_exclude_newer
from jiebang.storage.backend import ObjectStore, StorageUnavailable
from jiebang.storage.models import StoredObject
from jiebang.submissions.archives import (
    ArchiveLimits,
    ArchiveRejected,
    extract_archive,
)

PROGRAM_LIMITS = ArchiveLimits(max_files=10_000, max_unpacked_bytes=2 * 1024**3, max_ratio=1000)
WORKER_PATH = "/api/v1/worker/scoring-programs/{sha256}"
_MANIFEST_FIELDS = {
    "jiebang": {"command", "metrics"},
    "codabench": {"command", "metrics", "contract", "codabench"},  # issue 16
}
_described: dict[str, dict[str, Any]] = {}  # sha256 -> spec: describing is pure per content


class ProgramRejected(DomainError):
    """422: the upload is not a usable scoring program; names the file and the problem."""

    status_code = 422

    def __init__(self, file: str, en: str, zh: str) -> None:
        super().__init__("scoring_program_rejected", file=file, problem=en)
        self.extra = {"file": file, "problem_en": en, "problem_zh": zh}
        self.zh = zh

    def message(self) -> str:
        if current_locale.get() == "zh-CN":
            return f"评分程序被拒绝：{self.params['file']}：{self.zh}"
        return super().message()


class VersionTaken(DomainError):
    status_code = 409

    def __init__(self, key: str, version: str) -> None:
        super().__init__("scoring_program_version_taken", name=key, version=version)


def upload_archive(
    *, db: Session, store: ObjectStore, archive: Path, filename: str, user: User | None
) -> tuple[ScoringProgram, bool]:
    """Unpack an uploaded archive and publish the program in it; (program, created)."""
    with tempfile.TemporaryDirectory(prefix="jiebang-program-") as work:
        folder = Path(work) / "program"
        try:
            extract_archive(archive, folder, PROGRAM_LIMITS, filename=filename)
        except ArchiveRejected as exc:
            raise ProgramRejected(filename, str(exc), exc.zh or str(exc)) from exc
        if not _has_entry_point(folder):
            children = [c for c in folder.iterdir() if not c.name.startswith(".")]
            if len(children) == 1 and children[0].is_dir() and _has_entry_point(children[0]):
                folder = children[0]
        _refuse_unknown_image(db, folder)
        return publish_folder(db=db, store=store, folder=folder, user=user)


def _refuse_unknown_image(db: Session, folder: Path) -> None:
    """An ``oci`` runtime must name an image uploaded here (POST /runtime-images): say so at
    upload, naming the field, rather than failing later on a worker as a platform fault."""
    path = find_manifest(folder)
    if path is None:
        return
    try:
        runtime = read_manifest(path).runtime
    except ManifestRefused:
        return  # publish_folder reports the manifest's own problem
    digest = str(runtime.get("archive_digest") or "")
    if runtime.get("kind") != "oci" or not digest:
        return
    if images.image_object(db=db, hex_digest=digest.removeprefix("sha256:")) is None:
        raise ProgramRejected(
            path.name,
            f"runtime.archive_digest: no image {digest} was uploaded here; upload the image "
            "archive first (POST /api/v1/runtime-images) and declare the digest it answers",
            f"runtime.archive_digest：此处未上传过镜像 {digest}；请先上传镜像归档"
            "（POST /api/v1/runtime-images），再声明其返回的摘要",
        )


def _has_entry_point(folder: Path) -> bool:
    return (folder / "evaluator.py").is_file() or find_manifest(folder) is not None


def publish_folder(
    *,
    db: Session,
    store: ObjectStore,
    folder: Path,
    user: User | None,
    builtin: bool = False,
    key: str | None = None,
) -> tuple[ScoringProgram, bool]:
    """Publish ``folder`` as a new version of its key (or return the identical one)."""
    with tempfile.TemporaryDirectory(prefix="jiebang-pack-") as work:
        tar = Path(work) / "program.tar"
        try:
            sha256 = pack(folder, tar)
        except PackingRefused as exc:
            raise ProgramRejected(exc.file, exc.en, exc.zh) from exc
        fields = _describe(folder, sha256, key=key)
        found = _same_content(db, fields["key"], sha256)
        if found is not None:
            return found, False
        fields["runtime"] = _runtime_as_of(db, fields["key"], fields["runtime"])
        revision = 1 + len(versions(db=db, key=fields["key"]))
        version = fields.pop("version") or str(revision)
        if db.exec(
            select(ScoringProgram.id).where(
                ScoringProgram.key == fields["key"], ScoringProgram.version == version
            )
        ).first():
            # an identical upload may have committed since the look-up above took its snapshot
            found = _same_content(db, fields["key"], sha256)
            if found is not None:
                return found, False
            raise VersionTaken(fields["key"], version)
        fields["spec"]["version"] = version
        key_ = fields["key"]
        try:
            obj = _store(db=db, store=store, tar=tar, sha256=sha256, key=key_, user=user)
            program = ScoringProgram(
                **fields,
                version=version,
                revision=revision,
                sha256=sha256,
                size=obj.size,
                object_id=obj.id or 0,
                builtin=builtin,
                created_by=user.id if user else None,
            )
            db.add(program)
            db.flush()
        except IntegrityError:  # another request published the same content or version meanwhile
            db.rollback()
            same = _same_content(db, key_, sha256)
            if same is not None:
                return same, False
            raise VersionTaken(key_, version) from None
        return program, True


def _same_content(db: Session, key: str, sha256: str) -> ScoringProgram | None:
    """The version of ``key`` already published with exactly this content, if any."""
    return db.exec(
        select(ScoringProgram).where(ScoringProgram.key == key, ScoringProgram.sha256 == sha256)
    ).first()


def described_spec(folder: Path, sha256: str) -> dict[str, Any]:
    """The evaluator's spec, described in the sandbox once per content hash."""
    spec = _described.get(sha256)
    if spec is None:
        spec = describe_in_sandbox(folder)
        _described[sha256] = spec
    return dict(spec)


def _describe(folder: Path, sha256: str, *, key: str | None) -> dict[str, Any]:
    """Kind, key, version (None: numbered), spec, manifest, runtime and GPUs of a folder."""
    if (folder / "evaluator.py").is_file():
        try:
            spec = described_spec(folder, sha256)
        except DescribeFailed as exc:
            zh = f"运行 describe 失败（需要 SPEC 与 evaluate(ctx)）：{exc.detail}"
            raise ProgramRejected("evaluator.py", exc.detail, zh) from exc
        program_key = key or str(spec["key"])
        return {
            "kind": KIND_EVALUATOR,
            "key": program_key,
            "version": str(spec.get("version") or "") or None,
            "spec": dict(spec) | {"key": program_key},
            "manifest": {},
            "runtime": {"kind": "platform"},
            "gpus": 0,
        }
    path = find_manifest(folder)
    if path is None:
        raise ProgramRejected(
            "scorer.yaml",
            "missing: a scoring program needs evaluator.py (a Jiebang evaluator) or "
            "scorer.yaml / scorer.json (a command scorer)",
            "缺少该文件：评分程序需要 evaluator.py（揭榜评测器）或 scorer.yaml / scorer.json（命令评分程序）",
        )
    try:
        manifest = read_manifest(path)
    except ManifestRefused as exc:
        raise ProgramRejected(exc.file, exc.en, exc.zh) from exc
    program = manifest.command[0]
    if not program.startswith("/") and "/" in program and not (folder / program).is_file():
        raise ProgramRejected(
            path.name,
            f"command: {program} is not a file of the program",
            f"command：{program} 不是程序中的文件",
        )
    return {
        "kind": KIND_COMMAND,
        "key": key or manifest.key,
        "version": manifest.version,
        "spec": manifest.described(manifest.version or ""),
        "manifest": manifest.model_dump(mode="json", include=_MANIFEST_FIELDS[manifest.contract]),
        "runtime": manifest.runtime,
        "gpus": manifest.gpus,
    }


def _runtime_as_of(db: Session, key: str, runtime: dict[str, Any]) -> dict[str, Any]:
    """``runtime`` with the moment its index is read as of, where it names none: that of an
    earlier version declaring the same Python and requirements (so a fixed scorer keeps its
    environment), else this upload's time (``runtimes.stamp_exclude_newer``)."""
    if runtime.get("exclude_newer"):
        return runtime
    for earlier in reversed(versions(db=db, key=key)):
        same = dict(earlier.runtime or {})
        stamp = same.pop("exclude_newer", None)
        if stamp and same == runtime:
            return runtime | {"exclude_newer": stamp}
    return stamp_exclude_newer(runtime, utcnow())


def _store(
    *, db: Session, store: ObjectStore, tar: Path, sha256: str, key: str, user: User | None
) -> StoredObject:
    object_key = f"programs/{sha256}/{key}.tar"
    existing = db.exec(select(StoredObject).where(StoredObject.key == object_key)).first()
    if existing is not None:
        return existing
    try:
        with tar.open("rb") as fh:
            put = store.put_stream(object_key, fh)
    except StorageUnavailable as exc:
        from jiebang.core.errors import ServiceUnavailable

        raise ServiceUnavailable("storage_unavailable") from exc
    obj = StoredObject(
        key=put.key,
        sha256=put.sha256,
        size=put.size,
        filename=f"{key}.tar",
        content_type="application/x-tar",
        owner_id=user.id if user else None,
    )
    db.add(obj)
    db.flush()
    return obj


def versions(*, db: Session, key: str) -> list[ScoringProgram]:
    """Every version of ``key``, oldest first."""
    query = select(ScoringProgram).where(ScoringProgram.key == key)
    return list(db.exec(query.order_by(col(ScoringProgram.revision))))


def latest(*, db: Session, key: str) -> ScoringProgram | None:
    query = select(ScoringProgram).where(ScoringProgram.key == key)
    return db.exec(query.order_by(col(ScoringProgram.revision).desc()).limit(1)).first()


def get_version(*, db: Session, key: str, version: str) -> ScoringProgram | None:
    query = select(ScoringProgram).where(
        ScoringProgram.key == key, ScoringProgram.version == version
    )
    return db.exec(query).first()


def by_sha256(*, db: Session, sha256: str) -> ScoringProgram | None:
    return db.exec(select(ScoringProgram).where(ScoringProgram.sha256 == sha256)).first()


def list_latest(*, db: Session) -> list[ScoringProgram]:
    """The newest version of every key, by key."""
    newest: dict[str, ScoringProgram] = {}
    for program in db.exec(select(ScoringProgram).order_by(col(ScoringProgram.revision))):
        newest[program.key] = program
    return [newest[k] for k in sorted(newest)]


def ref_for(*, db: Session, store: ObjectStore, program: ScoringProgram) -> ProgramRef:
    """What a worker is told about a pinned program: hash, where to fetch it, how to run it."""
    obj = db.get(StoredObject, program.object_id)
    url = store.presign_get(obj.key, expires_seconds=6 * 3600) if obj else None
    return ProgramRef(
        key=program.key,
        version=program.version,
        kind=program.kind,
        sha256=program.sha256,
        url=url or WORKER_PATH.format(sha256=program.sha256),
        manifest=dict(program.manifest),
        runtime=dict(program.runtime) or {"kind": "platform"},
        gpus=program.gpus,
    )


def gpus_for(db: Session, *, phase_id: int, key: str, version: str) -> int:
    """GPUs a job of this phase asks for: the pinned program's, or the track's ``gpus`` limit."""
    from jiebang.contests.models import Phase, Track

    phase = db.get(Phase, phase_id)
    track = db.get(Track, phase.track_id) if phase else None
    limits = track.sandbox_limits if track and isinstance(track.sandbox_limits, dict) else {}
    asked = limits.get("gpus", 0)
    program = get_version(db=db, key=key, version=version)
    return max(program.gpus if program else 0, asked if isinstance(asked, int) else 0)


BUNDLE_PROGRAMS_DIR = "scoring_programs"


def publish_bundle_programs(
    *, db: Session, store: ObjectStore, root: Path, user: User | None
) -> list[tuple[ScoringProgram, bool]]:
    """Publish every folder under a bundle's ``scoring_programs/`` (caller commits), so that
    its tracks may name them; a refused one names its folder and file."""
    folder = root / BUNDLE_PROGRAMS_DIR
    if not folder.is_dir() or folder.is_symlink():
        return []
    published = []
    for child in sorted(folder.iterdir()):
        if not child.is_dir() or child.is_symlink():
            continue
        try:
            published.append(publish_folder(db=db, store=store, folder=child, user=user))
        except ProgramRejected as exc:
            where = f"{BUNDLE_PROGRAMS_DIR}/{child.name}/{exc.params['file']}"
            raise ProgramRejected(where, exc.params["problem"], exc.zh) from exc
    return published
