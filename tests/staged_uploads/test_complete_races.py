"""A staged upload completed twenty times at once (SQLite and PostgreSQL): one completion
stores the file and makes it the phase's reference data, the others answer 404 (nothing left
to complete) or 409, never a 500, and one stored object is recorded for it."""

from __future__ import annotations

from collections import Counter

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from jiebang.db import get_engine
from jiebang.storage.models import StoredObject
from tests.concurrency import repeated
from tests.submissions.helpers import setup_phase, tar_bytes

from .test_resumable import _open, _put, small_parts  # noqa: F401 - the fixture

TIMES = 20


def _stored() -> int:
    with Session(get_engine()) as db:
        return db.exec(select(func.count()).select_from(StoredObject)).one()


def test_twenty_parallel_completes_of_one_upload_store_it_once(
    client: TestClient, organiser: dict[str, str]
) -> None:
    ids = setup_phase(client, organiser)
    data = tar_bytes({"truth.txt": b"a 1\nb 2\nc 3\nd 4\n", "pad.bin": bytes(range(256)) * 8})
    plan = _open(client, organiser, "reference", ids["phase"], data, "ref.tar").json()
    sent = _put(client, organiser, plan, data, [p["number"] for p in plan["parts"]])
    parts = [{"number": n, "etag": e} for n, e in sorted(sent.items())]
    url = f"/api/v1/staged-uploads/{plan['id']}/complete"
    before = _stored()
    answers = repeated(lambda: client.post(url, json={"parts": parts}, headers=organiser), TIMES)
    statuses = Counter(r.status_code for r in answers)
    assert statuses[200] == 1 and set(statuses) <= {200, 404, 409}, [
        r.text for r in answers if r.status_code not in (200, 404, 409)
    ]
    assert _stored() == before + 1
    refused = [r.json()["code"] for r in answers if r.status_code == 409]
    assert set(refused) <= {"staged_upload_completing"}
    data_tab = client.get(f"/api/v1/tracks/{ids['track']}/data", headers=organiser).json()
    assert data_tab["hidden"][0]["sha256"] == next(
        r.json()["sha256"] for r in answers if r.status_code == 200
    )
