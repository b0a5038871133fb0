"""Both object-store backends, through the same interface: local directory and S3 (moto server)."""

from __future__ import annotations

import hashlib
import io
import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from jiebang.storage.backend import FileTooLarge, ObjectMissing, ObjectStore, StorageUnavailable
from jiebang.storage.local import LocalStore
from jiebang.storage.s3 import S3Store


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"127.0.0.1:{port}"
    server.stop()


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    if request.param == "local":
        return LocalStore(tmp_path / "objects")
    endpoint = request.getfixturevalue("moto_endpoint")
    s3 = S3Store(f"s3://testing:testing@{endpoint}/bucket-{uuid.uuid4().hex[:12]}")
    s3.ensure_bucket()
    return s3


def test_put_stream_records_sha256_and_streams_back(store: ObjectStore) -> None:
    data = os.urandom(3 * 1024 * 1024 + 17)
    put = store.put_stream("objects/a/file.bin", io.BytesIO(data))
    assert put.size == len(data) and put.sha256 == hashlib.sha256(data).hexdigest()
    chunks = list(store.iter_chunks("objects/a/file.bin", chunk_size=1024 * 1024))
    assert b"".join(chunks) == data and max(len(c) for c in chunks) <= 1024 * 1024
    assert store.size("objects/a/file.bin") == len(data)
    store.delete("objects/a/file.bin")
    assert not store.exists("objects/a/file.bin")


def test_missing_object(store: ObjectStore) -> None:
    with pytest.raises(ObjectMissing):
        store.size("nothing/here")


def test_put_stream_enforces_limit(store: ObjectStore) -> None:
    with pytest.raises(FileTooLarge):
        store.put_stream("big/x", io.BytesIO(b"x" * 5000), max_bytes=4096)
    assert not store.exists("big/x")


def test_multipart_roundtrip_and_resume_listing(store: ObjectStore) -> None:
    part_size = 5 * 1024 * 1024  # S3's minimum for all but the last part
    payload = [os.urandom(part_size), os.urandom(part_size), os.urandom(1234)]
    upload = store.create_multipart("uploads/x/result.zip", part_size=part_size)
    store.put_part("uploads/x/result.zip", upload, 2, io.BytesIO(payload[1]))
    store.put_part("uploads/x/result.zip", upload, 1, io.BytesIO(payload[0]))
    # an interrupted client asks which parts arrived, then sends only the rest
    seen = store.list_parts("uploads/x/result.zip", upload)
    assert [(p.number, p.size) for p in seen] == [(1, part_size), (2, part_size)]
    store.put_part("uploads/x/result.zip", upload, 3, io.BytesIO(payload[2]))
    parts = store.list_parts("uploads/x/result.zip", upload)
    size = store.complete_multipart("uploads/x/result.zip", upload, parts)
    assert size == sum(map(len, payload))
    assert b"".join(store.iter_chunks("uploads/x/result.zip")) == b"".join(payload)


def test_multipart_abort(store: ObjectStore) -> None:
    upload = store.create_multipart("uploads/y/a.bin", part_size=1024)
    store.put_part("uploads/y/a.bin", upload, 1, io.BytesIO(b"abc"))
    store.abort_multipart("uploads/y/a.bin", upload)
    with pytest.raises(ObjectMissing):
        store.list_parts("uploads/y/a.bin", upload)


def test_s3_presigned_part_upload(moto_endpoint: str, tmp_path: Path) -> None:
    import httpx

    s3 = S3Store(f"s3://testing:testing@{moto_endpoint}/presign-{uuid.uuid4().hex[:12]}")
    s3.ensure_bucket()
    upload = s3.create_multipart("k/file.bin", part_size=5 * 1024 * 1024)
    url = s3.presign_part("k/file.bin", upload, 1)
    assert url is not None and "partNumber=1" in url
    response = httpx.put(url, content=b"hello presigned world")
    assert response.status_code == 200
    parts = s3.list_parts("k/file.bin", upload)
    s3.complete_multipart("k/file.bin", upload, parts)
    assert b"".join(s3.iter_chunks("k/file.bin")) == b"hello presigned world"


def test_s3_unreachable_is_storage_unavailable() -> None:
    s3 = S3Store(f"s3://a:b@127.0.0.1:{_free_port()}/bucket")
    with pytest.raises(StorageUnavailable):
        s3.ping()


def test_local_store_refuses_escaping_keys(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "objects")
    for key in ("../outside", "/abs/path", "a/../../b"):
        with pytest.raises(ValueError, match="unsafe object key"):
            store.put_stream(key, io.BytesIO(b"x"))
