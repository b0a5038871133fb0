"""Object store on S3-compatible storage (MinIO in production) through the `minio` client.

The SDK keeps its low-level multipart calls private (underscore names); they are the
documented S3 operations CreateMultipartUpload, ListParts, CompleteMultipartUpload and
AbortMultipartUpload, and this module is the only place that touches them.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

import urllib3
from minio import Minio
from minio.datatypes import Part
from minio.error import S3Error

from jiebang.storage.backend import (
    CHUNK,
    FileTooLarge,
    ObjectMissing,
    PartsInvalid,
    PutResult,
    StorageUnavailable,
    UploadedPart,
)

_PART = 16 * 1024 * 1024
_PROBE_KEY = "_jiebang/readyz-probe"
_PROBE = b"jiebang readiness probe\n"
_NETWORK_ERRORS = (urllib3.exceptions.HTTPError, OSError)


class _HashingReader:
    """Wraps a stream, hashing and counting what the client reads, enforcing a limit."""

    def __init__(self, stream: BinaryIO, max_bytes: int | None) -> None:
        self.stream, self.max_bytes = stream, max_bytes
        self.digest, self.size = hashlib.sha256(), 0

    def read(self, n: int = -1) -> bytes:
        chunk = self.stream.read(n)
        self.size += len(chunk)
        if self.max_bytes is not None and self.size > self.max_bytes:
            raise FileTooLarge(self.max_bytes)
        self.digest.update(chunk)
        return chunk


class S3Store:
    def __init__(self, url: str, *, secure: bool = False) -> None:
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.hostname or not parts.path.strip("/"):
            raise ValueError("storage URL must look like s3://KEY:SECRET@host:port/bucket")
        self.bucket = parts.path.strip("/")
        endpoint = parts.hostname + (f":{parts.port}" if parts.port else "")
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=5, read=60),
            retries=urllib3.Retry(total=2, backoff_factor=0.2, status_forcelist=[502, 503, 504]),
        )
        self.client = Minio(
            endpoint,
            access_key=unquote(parts.username or ""),
            secret_key=unquote(parts.password or ""),
            secure=secure,
            region="us-east-1",
            http_client=http,
        )

    def ensure_bucket(self) -> None:
        with _translated():
            if not self.client.bucket_exists(self.bucket):
                self.client.make_bucket(self.bucket)

    def put_stream(self, key: str, stream: BinaryIO, *, max_bytes: int | None = None) -> PutResult:
        reader = _HashingReader(stream, max_bytes)
        with _translated():
            self.client.put_object(self.bucket, key, reader, length=-1, part_size=_PART)  # type: ignore[arg-type]
        return PutResult(key=key, size=reader.size, sha256=reader.digest.hexdigest())

    def iter_chunks(self, key: str, chunk_size: int = CHUNK) -> Iterator[bytes]:
        with _translated():
            response = self.client.get_object(self.bucket, key)
        try:
            yield from response.stream(chunk_size)
        finally:
            response.close()
            response.release_conn()

    def size(self, key: str) -> int:
        with _translated():
            return int(self.client.stat_object(self.bucket, key).size or 0)

    def exists(self, key: str) -> bool:
        try:
            self.size(key)
        except ObjectMissing:
            return False
        return True

    def delete(self, key: str) -> None:
        with _translated():
            self.client.remove_object(self.bucket, key)

    def ping(self) -> None:
        """Write a small object: a bucket that exists but refuses writes (full disk,
        read-only policy, quota) fails here too."""
        with _translated():
            if not self.client.bucket_exists(self.bucket):
                raise StorageUnavailable(f"bucket {self.bucket} does not exist")
            self.client.put_object(self.bucket, _PROBE_KEY, io.BytesIO(_PROBE), len(_PROBE))

    def create_multipart(self, key: str, *, part_size: int) -> str:
        with _translated():
            return self.client._create_multipart_upload(self.bucket, key, {})

    def presign_part(self, key: str, upload_id: str, part_number: int) -> str | None:
        with _translated():
            return self.client.get_presigned_url(
                "PUT",
                self.bucket,
                key,
                expires=timedelta(hours=12),
                extra_query_params={"uploadId": upload_id, "partNumber": str(part_number)},
            )

    def put_part(
        self, key: str, upload_id: str, part_number: int, stream: BinaryIO
    ) -> UploadedPart:
        data = stream.read()  # one part, bounded by the part size the API hands out
        with _translated():
            etag = self.client._upload_part(self.bucket, key, data, None, upload_id, part_number)
        return UploadedPart(number=part_number, size=len(data), etag=etag.strip('"'))

    def list_parts(self, key: str, upload_id: str) -> list[UploadedPart]:
        found: list[UploadedPart] = []
        marker: str | None = None
        with _translated():
            while True:
                result = self.client._list_parts(
                    self.bucket, key, upload_id, part_number_marker=marker
                )
                found += [
                    UploadedPart(number=p.part_number, size=p.size or 0, etag=p.etag.strip('"'))
                    for p in result.parts
                ]
                if not result.is_truncated:
                    return found
                marker = str(result.next_part_number_marker)

    def complete_multipart(self, key: str, upload_id: str, parts: list[UploadedPart]) -> int:
        ordered = [Part(p.number, p.etag) for p in sorted(parts, key=lambda p: p.number)]
        with _translated():
            self.client._complete_multipart_upload(self.bucket, key, upload_id, ordered)
        return self.size(key)

    def abort_multipart(self, key: str, upload_id: str) -> None:
        with _translated():
            self.client._abort_multipart_upload(self.bucket, key, upload_id)

    def presign_get(self, key: str, *, expires_seconds: int = 3600) -> str | None:
        with _translated():
            return self.client.presigned_get_object(
                self.bucket, key, expires=timedelta(seconds=expires_seconds)
            )


@contextmanager
def _translated() -> Iterator[None]:
    """Map SDK and network errors onto the storage interface's two exceptions."""
    try:
        yield
    except S3Error as exc:
        if exc.code in ("NoSuchKey", "NoSuchUpload", "NoSuchObject", "InvalidPart"):
            raise ObjectMissing(exc.message) from exc
        if exc.code in ("EntityTooSmall", "InvalidPartOrder"):
            raise PartsInvalid(exc.message) from exc
        raise StorageUnavailable(f"{exc.code}: {exc.message}") from exc
    except _NETWORK_ERRORS as exc:
        raise StorageUnavailable(str(exc)) from exc
