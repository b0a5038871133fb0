"""Organiser uploads in parts that were opened and never completed expire: after
JIEBANG_STAGED_UPLOAD_TTL_HOURS the housekeeper aborts them, deletes their parts from the
store (local folder, S3 multipart parts) and audits each; younger ones stay resumable."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from jiebang.db import get_engine, utcnow
from jiebang.evaluation import housekeeping
from jiebang.judging.models import AuditLog
from jiebang.staged_uploads import service
from jiebang.staged_uploads.config import get_staged_upload_settings
from jiebang.staged_uploads.models import StagedUpload
from jiebang.staged_uploads.sweep import sweep_expired
from jiebang.storage.backend import ObjectMissing
from jiebang.storage.config import get_store
from jiebang.storage.local import LocalStore
from tests.submissions.helpers import setup_phase
from tests.submissions.test_s3_path import moto, s3_client  # noqa: F401 - moto, its client

PART = 1024
DATA = bytes(range(256)) * 10  # three parts of 1 KiB


@pytest.fixture
def ttl_hours(monkeypatch: pytest.MonkeyPatch) -> Iterator[float]:
    monkeypatch.setenv("JIEBANG_STAGED_UPLOAD_TTL_HOURS", "6")
    get_staged_upload_settings.cache_clear()
    yield 6
    get_staged_upload_settings.cache_clear()


def _open(client: TestClient, headers: dict[str, str], phase_id: int) -> dict:
    body = {
        "purpose": "reference",
        "target_id": phase_id,
        "filename": "ref.tar",
        "size": len(DATA),
        "sha256": hashlib.sha256(DATA).hexdigest(),
    }
    opened = client.post("/api/v1/staged-uploads", json=body, headers=headers)
    assert opened.status_code == 201, opened.text
    return opened.json()


def _age(upload_id: int, hours: float) -> StagedUpload:
    with Session(get_engine(), expire_on_commit=False) as db:
        staged = db.get(StagedUpload, upload_id)
        assert staged is not None
        staged.created_at = utcnow() - timedelta(hours=hours)
        db.add(staged)
        db.commit()
        return staged


def _expiry_audits() -> list[AuditLog]:
    with Session(get_engine()) as db:
        return list(db.exec(select(AuditLog).where(AuditLog.action == "staged_upload.expired")))


def test_an_abandoned_upload_on_the_local_store_is_swept_by_the_housekeeper(
    client: TestClient,
    organiser: dict[str, str],
    ttl_hours: float,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(service, "part_size_for", lambda size: PART)
    ids = setup_phase(client, organiser)
    store = get_store()
    assert isinstance(store, LocalStore)
    abandoned = _open(client, organiser, ids["phase"])
    put = client.put(abandoned["parts"][0]["url"], content=DATA[:PART], headers=organiser)
    assert put.status_code == 200, put.text
    joined = _open(client, organiser, ids["phase"])  # parts joined, then the API died
    staged_joined = _age(joined["id"], ttl_hours + 1)
    for number in (1, 2, 3):
        chunk = DATA[(number - 1) * PART : number * PART]
        client.put(joined["parts"][number - 1]["url"], content=chunk, headers=organiser)
    listed = store.list_parts(staged_joined.upload_key, staged_joined.upload_id)
    store.complete_multipart(staged_joined.upload_key, staged_joined.upload_id, listed)
    assert store.exists(staged_joined.upload_key)
    with Session(get_engine()) as db:  # its completion was claimed when the API died
        claimed = db.get(StagedUpload, joined["id"])
        assert claimed is not None
        claimed.status = "completing"
        db.add(claimed)
        db.commit()
    recent = _open(client, organiser, ids["phase"])
    staged = _age(abandoned["id"], ttl_hours + 0.5)
    _age(recent["id"], ttl_hours - 0.5)  # younger than the TTL: still resumable
    folder = store.root / ".uploads" / staged.upload_id
    assert (folder / "meta").is_file()

    housekeeping.run_once()  # the periodic duty of `jiebang serve`

    assert not folder.exists()
    assert not store.exists(staged_joined.upload_key)
    url = f"/api/v1/staged-uploads/{abandoned['id']}"
    assert client.get(url, headers=organiser).status_code == 404
    late = client.put(abandoned["parts"][1]["url"], content=DATA[PART:], headers=organiser)
    assert late.status_code == 404
    resumed = client.get(f"/api/v1/staged-uploads/{recent['id']}", headers=organiser)
    assert resumed.status_code == 200 and resumed.json()["parts_received"] == []
    expires = datetime.fromisoformat(resumed.json()["expires_at"])  # the client is told when
    assert timedelta(0) < expires - utcnow() <= timedelta(hours=0.5)
    audits = sorted(_expiry_audits(), key=lambda a: a.details["id"])
    assert [a.details["id"] for a in audits] == [abandoned["id"], joined["id"]]
    assert audits[0].actor == "system" and audits[0].phase_id == ids["phase"]
    assert audits[0].details["filename"] == "ref.tar"
    assert audits[0].details["declared_size"] == len(DATA)
    with Session(get_engine()) as db:
        assert db.get(StagedUpload, abandoned["id"]).status == "expired"  # type: ignore[union-attr]
        assert db.get(StagedUpload, recent["id"]).status == "uploading"  # type: ignore[union-attr]
        # swept once: the next round finds nothing more
        ttl = timedelta(hours=ttl_hours)
        assert sweep_expired(db=db, store=store, older_than=ttl) == []
    assert len(_expiry_audits()) == 2


def test_an_abandoned_upload_on_s3_has_its_parts_aborted(
    s3_client: TestClient,  # noqa: F811
    organiser: dict[str, str],
    ttl_hours: float,
) -> None:
    client = s3_client
    ids = setup_phase(client, organiser)
    opened = _open(client, organiser, ids["phase"])
    assert "X-Amz-Signature" in opened["parts"][0]["url"]  # parts go straight to the bucket
    sent = httpx.put(opened["parts"][0]["url"], content=DATA)
    assert sent.status_code == 200, sent.text
    staged = _age(opened["id"], ttl_hours + 1)
    store = get_store()
    assert [p.size for p in store.list_parts(staged.upload_key, staged.upload_id)] == [len(DATA)]

    housekeeping.run_once()

    with pytest.raises(ObjectMissing):  # S3 has forgotten the upload and its parts
        store.list_parts(staged.upload_key, staged.upload_id)
    assert not store.exists(staged.upload_key)
    assert (
        client.get(f"/api/v1/staged-uploads/{opened['id']}", headers=organiser).status_code == 404
    )
    [audit] = _expiry_audits()
    assert audit.details["id"] == opened["id"] and audit.details["purpose"] == "reference"
