"""A track's public development kit (starting kit) uploaded in the browser.

Whatever the organiser uploads (a zip, a tar or tar.gz, or one plain file) is checked like
a submission archive (no escaping paths, no links, bounded size and ratio), then stored as
a deterministic tar under the track's devkit prefix: the Data tab lists its files and
serves each one, and the whole archive, from that tar without unpacking it.
"""

from __future__ import annotations

import hashlib
import tarfile
import tempfile
from pathlib import Path

from sqlmodel import Session

from jiebang.auth.models import User
from jiebang.bundles.data import files_under
from jiebang.bundles.importer import devkit_prefix, latest_devkit
from jiebang.contests.models import Contest, Track
from jiebang.core.errors import InvalidInput, ServiceUnavailable
from jiebang.core.i18n import current_locale
from jiebang.storage import service as storage_service
from jiebang.storage.backend import ObjectStore, StorageUnavailable
from jiebang.storage.models import StoredObject
from jiebang.submissions.archives import ArchiveLimits, ArchiveRejected, extract_archive

DEVKIT_LIMITS = ArchiveLimits(max_files=100_000, max_unpacked_bytes=64 * 1024**3, max_ratio=1000)


class DevkitRejected(InvalidInput):
    """422 on ``archive``: the upload is not a safe archive (the reason in the reader's words)."""

    def __init__(self, problem: ArchiveRejected) -> None:
        super().__init__("archive", "validation_message", message=str(problem))
        self.problem = problem

    def message(self) -> str:
        return self.problem.text(current_locale.get())


def write_deterministic_tar(folder: Path, dest: Path) -> str:
    """Write every file under ``folder`` to ``dest`` (names sorted, no times or owners);
    return its sha256, which then depends only on the names and contents."""
    with tarfile.open(dest, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for rel in files_under(folder):
            info = tarfile.TarInfo(rel)
            info.size = (folder / rel).stat().st_size
            info.mode, info.mtime, info.uid, info.gid = 0o644, 0, 0, 0
            with (folder / rel).open("rb") as handle:
                tar.addfile(info, handle)
    digest = hashlib.sha256()
    with dest.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def store_devkit(
    *,
    db: Session,
    store: ObjectStore,
    upload: Path,
    filename: str,
    contest: Contest,
    track: Track,
    user: User | None,
) -> tuple[StoredObject, bool]:
    """Store ``upload`` as the track's devkit; (object, created). The caller commits."""
    with tempfile.TemporaryDirectory(prefix="jiebang-devkit-") as work:
        folder = Path(work) / "kit"
        try:
            extract_archive(upload, folder, DEVKIT_LIMITS, filename=filename)
        except ArchiveRejected as exc:
            raise DevkitRejected(exc) from exc
        tar = Path(work) / "devkit.tar"
        sha256 = write_deterministic_tar(folder, tar)
        current = latest_devkit(db, contest_slug=contest.slug, track_slug=track.slug)
        if current is not None and current.sha256 == sha256:
            return current, False
        name = f"{track.slug}-public.tar"
        key = storage_service.unique_key(
            prefix=devkit_prefix(contest.slug, track.slug), filename=name
        )
        try:
            with tar.open("rb") as handle:
                put = store.put_stream(key, handle)
        except StorageUnavailable as exc:
            raise ServiceUnavailable("storage_unavailable") from exc
    obj = StoredObject(
        key=put.key,
        sha256=put.sha256,
        size=put.size,
        filename=name,
        content_type="application/x-tar",
        owner_id=user.id if user else None,
    )
    db.add(obj)
    db.flush()
    return obj, True
