"""Reading stored tar archives in place: the member index (offsets, sizes, sha256) and byte
ranges of one object, from the local directory or S3 without unpacking anything."""

from __future__ import annotations

import hashlib
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, cast

from jiebang.storage.backend import CHUNK, ObjectStore
from jiebang.storage.local import LocalStore
from jiebang.storage.s3 import S3Store


@dataclass(frozen=True)
class Member:
    name: str
    offset: int  # of its data inside the tar
    size: int
    sha256: str


def iter_range(store: ObjectStore, key: str, start: int, length: int) -> Iterator[bytes]:
    """``length`` bytes of the object from ``start``, chunk by chunk."""
    if length <= 0:
        return
    if isinstance(store, LocalStore):
        with store.local_path(key).open("rb") as handle:
            handle.seek(start)
            left = length
            while left > 0 and (chunk := handle.read(min(CHUNK, left))):
                left -= len(chunk)
                yield chunk
        return
    if isinstance(store, S3Store):
        response = store.client.get_object(store.bucket, key, offset=start, length=length)
        try:
            yield from response.stream(CHUNK)
        finally:
            response.close()
            response.release_conn()
        return
    skipped, left = 0, length  # any other store: read through, keep the window
    for chunk in store.iter_chunks(key):
        if skipped + len(chunk) <= start:
            skipped += len(chunk)
            continue
        piece = chunk[max(0, start - skipped) : max(0, start - skipped) + left]
        skipped += len(chunk)
        left -= len(piece)
        if piece:
            yield piece
        if left <= 0:
            return


class _ChunkReader:
    """A read() over an iterator of chunks, for tarfile's streaming mode."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks, self.buffer = chunks, b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self.buffer) < size:
            chunk = next(self.chunks, b"")
            if not chunk:
                break
            self.buffer += chunk
        if size < 0:
            size = len(self.buffer)
        out, self.buffer = self.buffer[:size], self.buffer[size:]
        return out


_INDEXES: dict[tuple[int, str, str], tuple[Member, ...]] = {}
_MAX_INDEXES = 64


def _index(store: ObjectStore, key: str) -> tuple[Member, ...]:
    members = []
    stream = cast(IO[bytes], _ChunkReader(store.iter_chunks(key)))
    with tarfile.open(fileobj=stream, mode="r|") as tar:
        for info in tar:
            if not info.isfile():
                continue
            digest = hashlib.sha256()
            handle = tar.extractfile(info)
            assert handle is not None
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
            members.append(Member(info.name, info.offset_data, info.size, digest.hexdigest()))
    return tuple(sorted(members, key=lambda m: m.name))


def members(store: ObjectStore, key: str, sha256: str) -> list[Member]:
    """The regular files of the stored tar, sorted by name (computed once per object: a new
    object under a key has a new digest)."""
    cache_key = (id(store), key, sha256)
    if cache_key not in _INDEXES:
        if len(_INDEXES) >= _MAX_INDEXES:
            _INDEXES.pop(next(iter(_INDEXES)))
        _INDEXES[cache_key] = _index(store, key)
    return list(_INDEXES[cache_key])


def read_member(store: ObjectStore, key: str, member: Member, limit: int | None = None) -> bytes:
    """A member's bytes (its first ``limit`` bytes), for probing small headers and listings."""
    length = member.size if limit is None else min(limit, member.size)
    return b"".join(iter_range(store, key, member.offset, length))
