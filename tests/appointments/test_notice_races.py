"""Public notices fired in parallel (SQLite and PostgreSQL): twenty proposals for one item open
one notice (the others a 409 in the user's words), twenty appointments award and tell each
appointee once; never a 500."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from jiebang.appointments.models import NoticeAppointee, PublicNotice
from jiebang.db import get_engine
from tests.concurrency import repeated
from tests.organisations.helpers import apply_as_unit, make_unit, publish_list_with_item

Maker = Callable[..., dict[str, str]]
Headers = dict[str, str]
TIMES = 20


def _checked(client: TestClient, issuer: Headers, lead: Headers, item: int, unit: int) -> int:
    app = apply_as_unit(client, lead, item, unit)
    assert app.status_code == 201, app.text
    checked = client.put(
        f"/api/v1/applications/{app.json()['id']}/formal-check",
        json={"complete": True},
        headers=issuer,
    )
    assert checked.status_code == 200, checked.text
    return int(app.json()["id"])


def _count(model: Any, *where: Any) -> int:
    with Session(get_engine()) as db:
        return db.exec(select(func.count()).select_from(model).where(*where)).one()


def test_parallel_proposals_open_one_notice_and_appointments_award_once(
    client: TestClient, organiser: Headers, make_user: Maker
) -> None:
    issuer, lead_a, lead_b = make_user(), make_user(), make_user()
    issuing = make_unit(client, issuer, "发榜单位")
    unit_a, unit_b = make_unit(client, lead_a, "甲单位"), make_unit(client, lead_b, "乙单位")
    item = publish_list_with_item(client, organiser, issuing)["item"]
    base = f"/api/v1/challenge-items/{item}"
    app_a = _checked(client, issuer, lead_a, item, unit_a)
    app_b = _checked(client, issuer, lead_b, item, unit_b)
    now = datetime.now(UTC)
    period = {
        "starts_at": (now - timedelta(days=8)).isoformat(),
        "ends_at": (now - timedelta(minutes=5)).isoformat(),
    }

    both = {"application_ids": [app_a, app_b]} | period
    answers = repeated(lambda: client.post(f"{base}/notice", json=both, headers=issuer), TIMES)
    assert Counter(r.status_code for r in answers) == {201: 1, 409: TIMES - 1}, [
        r.text for r in answers if r.status_code >= 500
    ]
    assert _count(PublicNotice, PublicNotice.item_id == item) == 1
    assert _count(NoticeAppointee) == 2
    refused = next(r for r in answers if r.status_code == 409)
    assert refused.json()["code"] == "conflict" and "已存在" in refused.json()["detail"]

    finals = repeated(lambda: client.post(f"{base}/appointment", headers=issuer), TIMES)
    assert {r.status_code for r in finals} == {200}, [r.text for r in finals]
    assert {r.json()["status"] for r in finals} == {"final"}
    for lead in (lead_a, lead_b):
        told = client.get("/api/v1/notifications", headers=lead).json()
        assert [n["kind"] for n in told].count("application.appointed") == 1
