"""Object store on a local directory, the embedded default."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import re
import shutil
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

from jiebang.storage.backend import (
    CHUNK,
    FileTooLarge,
    ObjectMissing,
    PartsInvalid,
    PutResult,
    StorageUnavailable,
    UploadedPart,
)
from jiebang.storage.prefix_digest import PrefixDigests

log = logging.getLogger(__name__)


class PartTooLarge(Exception):
    def __init__(self, part_size: int) -> None:
        super().__init__(f"a part may hold at most {part_size} bytes")
        self.part_size = part_size


WRITE_BATCH = 1024 * 1024
IOV_MAX = 512
_SAFE_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,511}$")


class LocalStore:
    """Keys map to files under ``root``; writes go to a temporary file, then rename."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self._uploads = self.root / ".uploads"
        self._uploads.mkdir(exist_ok=True)
        self._digests = PrefixDigests()
        self._hasher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="upload-sha256")
        self._received: dict[str, str] = {}

    def _path(self, key: str) -> Path:
        if not _SAFE_KEY.match(key) or ".." in key.split("/"):
            raise ValueError(f"unsafe object key {key!r}")
        return self.root / key

    def _upload_dir(self, upload_id: str) -> Path:
        if not re.fullmatch(r"[0-9a-f]{32}", upload_id):
            raise ObjectMissing(upload_id)
        return self._uploads / upload_id

    def put_stream(self, key: str, stream: BinaryIO, *, max_bytes: int | None = None) -> PutResult:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.part")
        digest, size = hashlib.sha256(), 0
        try:
            with tmp.open("wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise FileTooLarge(max_bytes)
                    digest.update(chunk)
                    out.write(chunk)
            os.replace(tmp, target)
        except OSError as exc:
            raise StorageUnavailable(str(exc)) from exc
        finally:
            tmp.unlink(missing_ok=True)
        return PutResult(key=key, size=size, sha256=digest.hexdigest())

    def iter_chunks(self, key: str, chunk_size: int = CHUNK) -> Iterator[bytes]:
        path = self._path(key)
        if not path.is_file():
            raise ObjectMissing(key)
        with path.open("rb") as fh:
            while chunk := fh.read(chunk_size):
                yield chunk

    def size(self, key: str) -> int:
        path = self._path(key)
        if not path.is_file():
            raise ObjectMissing(key)
        return path.stat().st_size

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def ping(self) -> None:
        """Write, flush and remove a small file: a full disk or a read-only folder fails here
        (permission bits alone say nothing about free space, nor about root)."""
        probe = self._uploads / f".readyz-{uuid.uuid4().hex}"
        try:
            fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                os.write(fd, b"jiebang readiness probe\n" * 8)
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            raise StorageUnavailable(f"{self.root} cannot be written: {exc.strerror}") from exc
        finally:
            with contextlib.suppress(OSError):
                probe.unlink()

    def local_path(self, key: str) -> Path:
        """The file behind a key; only the local backend has one."""
        return self._path(key)

    # Multipart: parts are written in place, at their offset in one data file, so completing
    # an upload is a rename rather than another copy of every byte.
    def create_multipart(self, key: str, *, part_size: int) -> str:
        self._path(key)  # validates the key before any state is created
        upload_id = uuid.uuid4().hex
        folder = self._upload_dir(upload_id)
        folder.mkdir(parents=True)
        (folder / "meta").write_text(f"{part_size}\n{key}")
        (folder / "data").touch()
        return upload_id

    def _meta(self, key: str, upload_id: str) -> tuple[Path, int]:
        folder = self._upload_dir(upload_id)
        try:
            part_size, stored_key = (folder / "meta").read_text().split("\n", 1)
        except FileNotFoundError as exc:
            raise ObjectMissing(upload_id) from exc
        if stored_key != key:
            raise ObjectMissing(upload_id)
        return folder, int(part_size)

    def presign_part(self, key: str, upload_id: str, part_number: int) -> str | None:
        return None

    def put_part(
        self, key: str, upload_id: str, part_number: int, stream: BinaryIO
    ) -> UploadedPart:
        writer = self._part_writer(key, upload_id, part_number)
        with writer:
            while chunk := stream.read(CHUNK):
                writer.write(chunk)
        self._advance_digest(upload_id, writer.folder, writer.part_size)
        return writer.part()

    async def put_part_async(
        self, key: str, upload_id: str, part_number: int, chunks: AsyncIterator[bytes]
    ) -> UploadedPart:
        """Receive a part from an HTTP request body, writing each chunk as it arrives.

        The upload's sha256 then advances in the background (see prefix_digest), so the
        response does not wait for it and the next part can already arrive."""
        writer = self._part_writer(key, upload_id, part_number)
        with writer:
            await _write_in_batches(writer, chunks)
        self._hasher.submit(self._advance_digest, upload_id, writer.folder, writer.part_size)
        return writer.part()

    def _part_writer(self, key: str, upload_id: str, part_number: int) -> _PartWriter:
        folder, part_size = self._meta(key, upload_id)
        digest = self._digests.peek(upload_id)
        if digest is not None and _stored_part(folder, part_number) is not None:
            digest.forget_from(part_number)  # a retry; a first arrival has nothing to forget
        return _PartWriter(folder, part_number, part_size)

    def _advance_digest(self, upload_id: str, folder: Path, part_size: int) -> None:
        try:
            self._digests.get(upload_id, part_size).advance(
                folder / "data", lambda n: _stored_part(folder, n)
            )
        except OSError:
            if not folder.exists():  # completed or aborted meanwhile: nothing left to hash
                return
            log.warning("upload %s: sha256 deferred to complete", upload_id, exc_info=True)

    def received_sha256(self, key: str) -> str | None:
        """The sha256 computed while the object's parts arrived, once, right after complete."""
        return self._received.pop(key, None)

    def list_parts(self, key: str, upload_id: str) -> list[UploadedPart]:
        folder, _ = self._meta(key, upload_id)
        parts = []
        for path in sorted(folder.glob("*.etag")):
            size, etag = path.read_text().split()
            parts.append(UploadedPart(number=int(path.stem), size=int(size), etag=etag))
        return parts

    def complete_multipart(self, key: str, upload_id: str, parts: list[UploadedPart]) -> int:
        folder, part_size = self._meta(key, upload_id)
        ordered = sorted(parts, key=lambda p: p.number)
        if [p.number for p in ordered] != list(range(1, len(ordered) + 1)):
            raise PartsInvalid(f"parts must be numbered 1..{len(ordered)}")
        short = [p for p in ordered[:-1] if p.size != part_size]
        if short:
            raise PartsInvalid(
                f"part {short[0].number} holds {short[0].size} bytes; every part except the "
                f"last must hold exactly {part_size} bytes"
            )
        total = sum(p.size for p in ordered)
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        self._advance_digest(upload_id, folder, part_size)  # whatever is not hashed yet
        digest = self._digests.pop(upload_id)
        sha256 = digest.result([p.etag for p in ordered], total) if digest else None
        try:
            os.truncate(folder / "data", total)
            os.replace(folder / "data", target)
        except OSError as exc:
            raise StorageUnavailable(str(exc)) from exc
        shutil.rmtree(folder, ignore_errors=True)
        if sha256 is not None:
            self._received[key] = sha256
        return total

    def abort_multipart(self, key: str, upload_id: str) -> None:
        self._digests.pop(upload_id)
        shutil.rmtree(self._upload_dir(upload_id), ignore_errors=True)

    def stale_uploads(self, older_than_seconds: float) -> list[str]:
        """Upload ids untouched for longer than the given age, for the janitor."""

        cutoff = time.time() - older_than_seconds
        return [
            p.name for p in self._uploads.iterdir() if p.is_dir() and p.stat().st_mtime < cutoff
        ]

    def presign_get(self, key: str, *, expires_seconds: int = 3600) -> str | None:
        return None


async def _write_in_batches(writer: _PartWriter, chunks: AsyncIterator[bytes]) -> None:
    """Gather socket-sized chunks into batches written by a worker thread, one batch in
    flight while the next arrives: the event loop only receives, and the disk writes run on
    the other core. Memory stays at two batches per part in flight."""
    in_flight: asyncio.Future[None] | None = None
    batch: list[bytes] = []
    size = received = 0
    try:
        async for chunk in chunks:
            received += len(chunk)
            if received > writer.part_size:  # refuse before buffering more
                raise PartTooLarge(writer.part_size)
            batch.append(chunk)
            size += len(chunk)
            if size >= WRITE_BATCH:
                if in_flight is not None:
                    await in_flight
                in_flight = asyncio.ensure_future(asyncio.to_thread(writer.write_many, batch))
                batch, size = [], 0
        if in_flight is not None:
            await in_flight
        if batch:
            await asyncio.to_thread(writer.write_many, batch)
    finally:
        # The writer's file is closed right after: never leave a thread writing to it.
        if in_flight is not None and not in_flight.done():
            await asyncio.wait([in_flight])


def _stored_part(folder: Path, number: int) -> tuple[int, str] | None:
    """(size, receipt) of a part that finished arriving, or None."""
    try:
        size, receipt = (folder / f"{number:05d}.etag").read_text().split()
    except (FileNotFoundError, ValueError):
        return None
    return int(size), receipt


class _PartWriter:
    """Writes one part at its offset in the upload's data file.

    The etag is a receipt (a fresh token per write), not a content hash: it tells complete
    which write of each part it is assembling. Content is checked once, by the whole-file
    sha256 the client declared, so bytes are not hashed twice on their way in.
    """

    def __init__(self, folder: Path, number: int, part_size: int) -> None:
        self.folder, self.number, self.part_size = folder, number, part_size
        self.receipt = uuid.uuid4().hex
        self.size = 0
        self.fd = -1

    def __enter__(self) -> _PartWriter:
        (self.folder / f"{self.number:05d}.etag").unlink(
            missing_ok=True
        )  # a retried part starts over
        try:
            self.fd = os.open(self.folder / "data", os.O_WRONLY)
        except OSError as exc:
            raise StorageUnavailable(str(exc)) from exc
        return self

    def write(self, chunk: bytes) -> None:
        self.write_many([chunk])

    def write_many(self, chunks: list[bytes]) -> None:
        """Write the chunks in order after what is already written (one pwritev, no join)."""
        total = sum(map(len, chunks))
        if self.size + total > self.part_size:
            raise PartTooLarge(self.part_size)
        offset = (self.number - 1) * self.part_size + self.size
        views = [memoryview(c) for c in chunks]
        try:
            while views:
                written = os.pwritev(self.fd, views[:IOV_MAX], offset)
                offset += written
                while views and written >= len(views[0]):
                    written -= len(views[0])
                    views.pop(0)
                if views and written:
                    views[0] = views[0][written:]
        except OSError as exc:
            raise StorageUnavailable(str(exc)) from exc
        self.size += total

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        os.close(self.fd)
        if exc_type is None:
            (self.folder / f"{self.number:05d}.etag").write_text(f"{self.size} {self.receipt}")

    def part(self) -> UploadedPart:
        return UploadedPart(number=self.number, size=self.size, etag=self.receipt)
