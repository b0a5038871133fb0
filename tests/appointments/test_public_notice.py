"""Public notice (公示): period in working days, objections during it, answers, appointment."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from jiebang.appointments.models import PublicNotice
from jiebang.calendars.working_days import WorkingCalendar, add_working_days
from jiebang.core import domain_events
from tests.organisations.helpers import PDF, apply_as_unit, make_unit, publish_list_with_item

Maker = Callable[..., dict[str, str]]


@pytest.fixture
def heard() -> Iterator[list[str]]:
    kinds: list[str] = []

    def listener(happened: list[domain_events.DomainEvent]) -> None:
        kinds.extend(e.kind for e in happened)

    domain_events.listen(listener)
    yield kinds
    domain_events.unlisten(listener)


def test_working_days_skip_weekends() -> None:
    friday = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)  # 18:00 in Shanghai, a Friday
    ends = add_working_days(friday, 5, zone="Asia/Shanghai", calendar=WorkingCalendar.weekdays).ends
    assert ends.strftime("%Y-%m-%d %H:%M %a") == "2026-12-11 18:00 Fri"


def test_notice_objection_answer_appointment(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Maker,
    heard: list[str],
) -> None:
    issuer, applicant, other_issuer, citizen = make_user(), make_user(), make_user(), make_user()
    issuing = make_unit(client, issuer, "发榜单位")
    make_unit(client, other_issuer, "另一发榜单位")
    unit = make_unit(client, applicant, "揭榜单位")
    ids = publish_list_with_item(client, organiser, issuing)
    app = apply_as_unit(client, applicant, ids["item"], unit).json()
    client.put(
        f"/api/v1/applications/{app['id']}/formal-check", json={"complete": True}, headers=issuer
    )
    notice_url = f"/api/v1/challenge-items/{ids['item']}/notice"
    now = datetime.now(UTC)
    backwards = client.post(
        notice_url,
        json={
            "application_id": app["id"],
            "starts_at": now.isoformat(),
            "ends_at": (now - timedelta(days=1)).isoformat(),
        },
        headers=issuer,
    )
    assert backwards.status_code == 422
    assert backwards.json()["detail"][0]["loc"] == ["body", "ends_at"]
    assert "公示期" in backwards.json()["detail"][0]["msg"]
    body = {"application_id": app["id"]}
    assert client.post(notice_url, json=body, headers=other_issuer).status_code == 403
    proposed = client.post(notice_url, json=body, headers=issuer)
    assert proposed.status_code == 201, proposed.text
    notice = proposed.json()
    assert notice["appointee_zh"] == "揭榜单位" and notice["reward_zh"] == "100 万元"
    assert notice["status"] == "in_notice" and notice["timezone"] == "Asia/Shanghai"
    assert datetime.fromisoformat(notice["ends_at"]) - now >= timedelta(days=5)
    assert client.get(notice_url, headers=citizen).status_code == 200

    objected = client.post(
        f"{notice_url}/objections",
        data={"text": "申报单位业绩材料存疑"},
        files={"document": ("evidence.pdf", PDF, "application/pdf")},
        headers=citizen,
    )
    assert objected.status_code == 201, objected.text
    assert objected.json()["has_document"]
    appoint_url = f"/api/v1/challenge-items/{ids['item']}/appointment"
    too_early = client.post(appoint_url, headers=issuer)
    assert too_early.status_code == 400 and too_early.json()["code"] == "notice_not_over"

    # the period ends: objections are refused with its end shown; one is still unanswered
    row = db.exec(select(PublicNotice)).one()
    row.ends_at = datetime(2026, 1, 9, 10, 0, tzinfo=UTC)
    db.add(row)
    db.commit()
    late = client.post(f"{notice_url}/objections", data={"text": "迟到的异议"}, headers=citizen)
    assert late.status_code == 403 and "2026-01-09 18:00" in late.json()["detail"]
    unanswered = client.post(appoint_url, headers=issuer)
    assert unanswered.status_code == 400 and unanswered.json()["code"] == "objections_open"
    answer_url = f"{notice_url}/objections/{objected.json()['id']}/answer"
    assert client.put(answer_url, json={"answer": "已核实"}, headers=citizen).status_code == 403
    answered = client.put(answer_url, json={"answer": "经核实材料真实有效"}, headers=issuer)
    assert answered.status_code == 200
    assert answered.json()["objections"][0]["answer"] == "经核实材料真实有效"
    final = client.post(appoint_url, headers=issuer)
    assert final.status_code == 200, final.text
    assert final.json()["status"] == "final"
    mine = client.get(f"/api/v1/applications/{app['id']}", headers=applicant).json()
    assert mine["status"] == "awarded"
    for kind in ("appointment.proposed", "objection.filed", "objection.answered"):
        assert kind in heard
    assert "application.appointed" in heard
