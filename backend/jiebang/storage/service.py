"""Storing uploads under unique keys with their sha256, and streaming them back."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import BinaryIO

from sqlmodel import Session

from jiebang.core.errors import ServiceUnavailable
from jiebang.storage.backend import FileTooLarge, ObjectStore, StorageUnavailable
from jiebang.storage.models import StoredObject

__all__ = ["FileTooLarge", "iter_object", "save_stream", "unique_key"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str) -> str:
    """A display-safe file name: no directories, no control characters, bounded length."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "file"
    return base[:255]


def unique_key(*, prefix: str, filename: str) -> str:
    """``prefix/<uuid>/<sanitised name>``: unique, never guessable, never colliding."""
    stem = _UNSAFE.sub("_", safe_filename(filename))[:100].strip("._") or "file"
    return f"{prefix}/{uuid.uuid4().hex}/{stem}"


def save_stream(
    *,
    db: Session,
    store: ObjectStore,
    stream: BinaryIO,
    filename: str,
    prefix: str,
    owner_id: int | None,
    content_type: str = "application/octet-stream",
    max_bytes: int | None = None,
) -> StoredObject:
    """Write the stream to storage and record its metadata (caller commits)."""
    key = unique_key(prefix=prefix, filename=filename)
    try:
        put = store.put_stream(key, stream, max_bytes=max_bytes)
    except StorageUnavailable as exc:
        raise ServiceUnavailable("storage_unavailable") from exc
    obj = StoredObject(
        key=put.key,
        sha256=put.sha256,
        size=put.size,
        filename=safe_filename(filename),
        content_type=content_type,
        owner_id=owner_id,
    )
    db.add(obj)
    db.flush()
    return obj


def iter_object(*, store: ObjectStore, obj: StoredObject) -> Iterator[bytes]:
    """The object's bytes, streamed."""
    try:
        yield from store.iter_chunks(obj.key)
    except StorageUnavailable as exc:
        raise ServiceUnavailable("storage_unavailable") from exc
