"""The production storage path against moto's S3 server: presigned parts, then an outage."""

from __future__ import annotations

import contextlib
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from moto.server import ThreadedMotoServer
from sqlmodel import Session, func, select

from jiebang.evaluation.models import EvaluationJob
from jiebang.main import create_app
from jiebang.storage.config import get_store
from jiebang.storage.models import StoredObject
from jiebang.storage.s3 import S3Store

from .helpers import drain, put_parts, setup_phase, start, team_headers

GOOD = b"a 1.5\nb 2\nc 3\nd 4\n"


@pytest.fixture
def moto() -> Iterator[ThreadedMotoServer]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    server.port = port  # type: ignore[attr-defined]
    yield server
    with contextlib.suppress(Exception):  # some tests stop it themselves
        server.stop()


@pytest.fixture
def s3_client(
    fixture_evaluators: None, moto: ThreadedMotoServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TestClient]:
    monkeypatch.setenv(
        "JIEBANG_STORAGE_URL", f"s3://key:secret@127.0.0.1:{moto.port}/jb-{uuid.uuid4().hex[:8]}"
    )  # type: ignore[attr-defined]
    get_store.cache_clear()
    store = get_store()
    assert isinstance(store, S3Store)
    store.ensure_bucket()
    with TestClient(create_app(), raise_server_exceptions=False) as c:
        yield c
    get_store.cache_clear()


def test_presigned_upload_and_scoring_through_s3(
    s3_client: TestClient, organiser, make_user, tmp_path: Path
) -> None:
    ids = setup_phase(s3_client, organiser)
    team = team_headers(s3_client, make_user, ids["contest"])
    started = start(s3_client, team, ids["phase"], GOOD).json()
    assert started["upload"]["direct"] is True
    assert "X-Amz-Signature" in started["upload"]["parts"][0]["url"]
    parts = put_parts(s3_client, team, started["upload"], GOOD)
    done = s3_client.post(
        f"/api/v1/submissions/{started['submission']['id']}/complete",
        json={"parts": parts},
        headers=team,
    )
    assert done.status_code == 200, done.text
    assert drain(s3_client, tmp_path) == 1  # the worker downloads through presigned URLs
    detail = s3_client.get(
        f"/api/v1/submissions/{started['submission']['id']}", headers=team
    ).json()
    assert detail["status"] == "scored" and detail["scores"] == {"mae": 0.25}


def test_storage_outage_during_complete_is_a_clean_503(
    s3_client: TestClient, organiser, make_user, moto: ThreadedMotoServer, db: Session
) -> None:
    ids = setup_phase(s3_client, organiser)
    team = team_headers(s3_client, make_user, ids["contest"])
    started = start(s3_client, team, ids["phase"], GOOD).json()
    parts = put_parts(s3_client, team, started["upload"], GOOD)
    objects_before = db.exec(select(func.count()).select_from(StoredObject)).one()
    moto.stop()
    response = s3_client.post(
        f"/api/v1/submissions/{started['submission']['id']}/complete",
        json={"parts": parts},
        headers=team,
    )
    assert response.status_code == 503
    assert "retry" in response.json()["detail"] or "重试" in response.json()["detail"]
    detail = s3_client.get(
        f"/api/v1/submissions/{started['submission']['id']}", headers=team
    ).json()
    assert detail["status"] == "uploading" and not detail["charged"]  # nothing half-created
    assert db.exec(select(func.count()).select_from(StoredObject)).one() == objects_before
    assert db.exec(select(func.count()).select_from(EvaluationJob)).one() == 0
