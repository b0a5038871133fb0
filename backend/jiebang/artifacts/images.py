"""OCI image archives uploaded for ``oci`` runtimes: stored by the sha256 of the file.

An organiser uploads one for a scoring program's runtime, a team for its program on a
code track; both then declare ``{"kind": "oci", "archive_digest": "sha256:<hex>"}`` and
workers fetch the archive by that digest (``GET /api/v1/worker/runtime-images/{hex}``),
caching it, and unpack it with ``runtimes.prepare`` (the safe unpack lives there).
"""

from __future__ import annotations

import hashlib
import tarfile
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from jiebang.auth.models import User
from jiebang.core.errors import InvalidInput, ServiceUnavailable
from jiebang.sandbox.result import format_bytes
from jiebang.storage.backend import ObjectStore, StorageUnavailable
from jiebang.storage.models import StoredObject

IMAGE_KEY = "runtime-images/{hex}.tar"
WORKER_IMAGE_PATH = "/api/v1/worker/runtime-images/{hex}"


def image_key(hex_digest: str) -> str:
    return IMAGE_KEY.format(hex=hex_digest)


def copy_capped(source: BinaryIO, out: BinaryIO, *, limit: int) -> int:
    """Copy an upload, refusing it (422 on ``archive``, the limit named) past ``limit`` bytes."""
    copied = 0
    for block in iter(lambda: source.read(1024 * 1024), b""):
        copied += len(block)
        if copied > limit:
            raise InvalidInput("archive", "runtime_image_too_large", limit=format_bytes(limit))
        out.write(block)
    return copied


def _looks_like_image(path: Path) -> bool:
    """An OCI layout tar (``oci-layout`` + ``index.json``) or ``docker save`` output."""
    try:
        with tarfile.open(path) as archive:
            names = {name.removeprefix("./") for name in archive.getnames()}
    except (tarfile.TarError, OSError):
        return False
    return {"oci-layout", "index.json"} <= names or "manifest.json" in names


def upload_image(
    *, db: Session, store: ObjectStore, path: Path, user: User | None
) -> tuple[StoredObject, bool]:
    """Store ``path`` content-addressed; (object, created). The caller commits."""
    if not _looks_like_image(path):
        raise InvalidInput("archive", "runtime_image_invalid")
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    key = image_key(digest.hexdigest())
    found = db.exec(select(StoredObject).where(StoredObject.key == key)).first()
    if found is not None:
        return found, False
    try:
        with path.open("rb") as handle:
            put = store.put_stream(key, handle)
    except StorageUnavailable as exc:
        raise ServiceUnavailable("storage_unavailable") from exc
    obj = StoredObject(
        key=put.key,
        sha256=put.sha256,
        size=put.size,
        filename="image.tar",
        content_type="application/x-tar",
        owner_id=user.id if user else None,
    )
    db.add(obj)
    try:
        db.flush()
    except IntegrityError:  # the same image uploaded at the same moment
        db.rollback()
        again = db.exec(select(StoredObject).where(StoredObject.key == key)).first()
        assert again is not None
        return again, False
    return obj, True


def image_object(*, db: Session, hex_digest: str) -> StoredObject | None:
    return db.exec(
        select(StoredObject).where(StoredObject.key == image_key(hex_digest.lower()))
    ).first()
