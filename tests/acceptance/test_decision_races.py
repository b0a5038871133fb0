"""Acceptance decisions fired in parallel (SQLite and PostgreSQL): twenty decisions for one
appointee record one (the others a 409 in the user's words, never a 500), audit and tell once,
and leave no stored document behind for the refused ones."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import httpx
from fastapi.testclient import TestClient
from sqlmodel import Session, col, func, select

from jiebang.acceptance.models import AcceptanceDecision
from jiebang.db import get_engine
from jiebang.judging.models import AuditLog
from jiebang.storage.models import StoredObject
from tests.acceptance.helpers import appointed_item
from tests.concurrency import repeated
from tests.organisations.helpers import PDF

Maker = Callable[..., dict[str, str]]
Headers = dict[str, str]
TIMES = 20


def _count(model: type, *where: object) -> int:
    with Session(get_engine()) as db:
        return db.exec(select(func.count()).select_from(model).where(*where)).one()


def test_twenty_parallel_decisions_for_one_appointee_record_one(
    client: TestClient, organiser: Headers, make_user: Maker
) -> None:
    issuer, lead, reviewer = make_user(), make_user(), make_user()
    item = appointed_item(client, organiser, issuer, lead, reviewer)
    url = f"/api/v1/challenge-items/{item.item}/acceptance/decision"
    documents = _count(StoredObject)

    def decide() -> httpx.Response:
        return client.post(
            url,
            data={"outcome": "accepted", "note": "达标"},
            files={"document": ("acceptance.pdf", PDF, "application/pdf")},
            headers=issuer,
        )

    answers = repeated(decide, TIMES)
    assert Counter(r.status_code for r in answers) == {201: 1, 409: TIMES - 1}, [
        r.text for r in answers if r.status_code >= 500
    ]
    refused = next(r for r in answers if r.status_code == 409)
    assert refused.json()["code"] == "acceptance_decided"
    assert _count(AcceptanceDecision, AcceptanceDecision.item_id == item.item) == 1
    assert _count(AuditLog, col(AuditLog.action) == "acceptance.decided") == 1
    assert _count(StoredObject) == documents + 1
    told = client.get("/api/v1/notifications", headers=lead).json()
    assert [n["kind"] for n in told].count("acceptance.decided") == 1
