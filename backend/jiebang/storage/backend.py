"""The object-store interface shared by the local directory and S3/MinIO backends."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, Protocol

CHUNK = 1024 * 1024


class StorageUnavailable(Exception):
    """The store could not be reached or refused the operation; the caller should answer 503."""


class FileTooLarge(Exception):
    """A stream went past the byte limit it was given."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"stream exceeds {limit} bytes")
        self.limit = limit


class ObjectMissing(Exception):
    """No object under that key."""


class PartsInvalid(Exception):
    """Complete was given parts the store cannot join (e.g. a part other than the last is
    shorter than the part size); the message says which, for the client."""


@dataclass(frozen=True)
class PutResult:
    key: str
    size: int
    sha256: str


@dataclass(frozen=True)
class UploadedPart:
    number: int
    size: int
    etag: str


class ObjectStore(Protocol):
    """Streams in, streams out; nothing here holds a whole object in memory."""

    def put_stream(self, key: str, stream: BinaryIO, *, max_bytes: int | None = None) -> PutResult:
        """Write a stream under ``key`` and return its size and sha256."""
        ...

    def iter_chunks(self, key: str, chunk_size: int = CHUNK) -> Iterator[bytes]:
        """The object's bytes, chunk by chunk."""
        ...

    def size(self, key: str) -> int:
        """The object's size; ObjectMissing if absent."""
        ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None: ...

    def ping(self) -> None:
        """Raise StorageUnavailable unless the store answers."""
        ...

    # Multipart uploads: the same protocol for both backends.
    def create_multipart(self, key: str, *, part_size: int) -> str:
        """Start a multipart upload whose parts (all but the last) are ``part_size`` bytes."""
        ...

    def presign_part(self, key: str, upload_id: str, part_number: int) -> str | None:
        """A URL the client PUTs the part to directly, or None if parts go through the API."""
        ...

    def put_part(
        self, key: str, upload_id: str, part_number: int, stream: BinaryIO
    ) -> UploadedPart:
        """Receive one part through the API (local backend)."""
        ...

    def list_parts(self, key: str, upload_id: str) -> list[UploadedPart]: ...

    def complete_multipart(self, key: str, upload_id: str, parts: list[UploadedPart]) -> int:
        """Assemble the parts in order; return the object's size."""
        ...

    def abort_multipart(self, key: str, upload_id: str) -> None: ...

    def presign_get(self, key: str, *, expires_seconds: int = 3600) -> str | None:
        """A direct download URL, or None if downloads go through the API."""
        ...
