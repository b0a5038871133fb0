"""The Data tab's downloads on S3 (moto's server): the archive is a presigned redirect, and
single files are read in place with ranged GETs, so a broken download resumes."""

from __future__ import annotations

import contextlib
import hashlib
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from moto.server import ThreadedMotoServer

from jiebang.main import create_app
from jiebang.storage.config import get_store
from jiebang.storage.s3 import S3Store

from .test_track_data import _track


@pytest.fixture
def s3_client(platform_env: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    monkeypatch.setenv(
        "JIEBANG_STORAGE_URL", f"s3://key:secret@127.0.0.1:{port}/jb-{uuid.uuid4().hex[:8]}"
    )
    get_store.cache_clear()
    store = get_store()
    assert isinstance(store, S3Store)
    store.ensure_bucket()
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        yield client
    get_store.cache_clear()
    with contextlib.suppress(Exception):
        server.stop()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_archive_presigned_and_files_ranged_on_s3(
    s3_client: TestClient, make_user, tmp_path: Path
) -> None:
    from jiebang.auth.models import Role

    organiser = make_user(Role.organiser)
    track = _track(s3_client, organiser, tmp_path)
    data = s3_client.get(f"/api/v1/tracks/{track['id']}/data").json()
    archive = s3_client.get(data["archive"]["url"], follow_redirects=False)
    assert archive.status_code == 307 and "X-Amz-Signature" in archive.headers["location"]
    body = httpx.get(archive.headers["location"]).content
    assert hashlib.sha256(body).hexdigest() == data["archive"]["sha256"]
    readme = next(f for f in data["files"] if f["name"] == "README.txt")
    part = s3_client.get(readme["url"], headers={"Range": "bytes=5-"})
    assert part.status_code == 206 and part.content == b"items a-d\n"
    assert s3_client.get(readme["url"]).content == b"four items a-d\n"
