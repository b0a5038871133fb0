"""Object store on a local directory, the embedded default."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from jiebang.storage.backend import (
    CHUNK,
    FileTooLarge,
    ObjectMissing,
    PutResult,
    StorageUnavailable,
    UploadedPart,
)

_SAFE_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,511}$")


class LocalStore:
    """Keys map to files under ``root``; writes go to a temporary file, then rename."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self._uploads = self.root / ".uploads"
        self._uploads.mkdir(exist_ok=True)

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
        if not os.access(self.root, os.W_OK):
            raise StorageUnavailable(f"{self.root} is not writable")

    def local_path(self, key: str) -> Path:
        """The file behind a key; only the local backend has one."""
        return self._path(key)

    def create_multipart(self, key: str) -> str:
        self._path(key)  # validates the key before any state is created
        upload_id = uuid.uuid4().hex
        self._upload_dir(upload_id).mkdir(parents=True)
        (self._upload_dir(upload_id) / "key").write_text(key)
        return upload_id

    def presign_part(self, key: str, upload_id: str, part_number: int) -> str | None:
        return None

    def put_part(self, key: str, upload_id: str, part_number: int, stream: BinaryIO) -> UploadedPart:
        folder = self._upload_dir(upload_id)
        if not folder.is_dir() or (folder / "key").read_text() != key:
            raise ObjectMissing(upload_id)
        tmp = folder / f"{part_number:05d}.{uuid.uuid4().hex}.tmp"
        digest, size = hashlib.md5(usedforsecurity=False), 0
        try:
            with tmp.open("wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    digest.update(chunk)
                    out.write(chunk)
            (folder / f"{part_number:05d}.etag").write_text(digest.hexdigest())
            os.replace(tmp, folder / f"{part_number:05d}.part")
        except OSError as exc:
            raise StorageUnavailable(str(exc)) from exc
        finally:
            tmp.unlink(missing_ok=True)
        return UploadedPart(number=part_number, size=size, etag=digest.hexdigest())

    def list_parts(self, key: str, upload_id: str) -> list[UploadedPart]:
        folder = self._upload_dir(upload_id)
        if not folder.is_dir():
            raise ObjectMissing(upload_id)
        parts = []
        for path in sorted(folder.glob("*.part")):
            etag = path.with_suffix(".etag").read_text()
            parts.append(UploadedPart(number=int(path.stem), size=path.stat().st_size, etag=etag))
        return parts

    def complete_multipart(self, key: str, upload_id: str, parts: list[UploadedPart]) -> int:
        folder = self._upload_dir(upload_id)
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{upload_id}.assemble")
        try:
            with tmp.open("wb") as out:
                for part in sorted(parts, key=lambda p: p.number):
                    with (folder / f"{part.number:05d}.part").open("rb") as src:
                        shutil.copyfileobj(src, out, CHUNK)
            os.replace(tmp, target)
        except FileNotFoundError as exc:
            raise ObjectMissing(str(exc)) from exc
        except OSError as exc:
            raise StorageUnavailable(str(exc)) from exc
        finally:
            tmp.unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
        return target.stat().st_size

    def abort_multipart(self, key: str, upload_id: str) -> None:
        shutil.rmtree(self._upload_dir(upload_id), ignore_errors=True)

    def presign_get(self, key: str, *, expires_seconds: int = 3600) -> str | None:
        return None

