"""Applications by units: both PDFs, the formal check, resubmission, the list's time zone."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from jiebang.challenge_lists.models import ChallengeItem
from jiebang.core import domain_events

from .helpers import PDF, apply_as_unit, make_unit, publish_list_with_item

Maker = Callable[..., dict[str, str]]


@pytest.fixture
def heard() -> Iterator[list[domain_events.DomainEvent]]:
    events: list[domain_events.DomainEvent] = []

    def listener(happened: list[domain_events.DomainEvent]) -> None:
        events.extend(happened)

    domain_events.listen(listener)
    yield events
    domain_events.unlisten(listener)


def test_apply_check_return_resubmit(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Maker,
    heard: list[domain_events.DomainEvent],
) -> None:
    issuer, other_issuer, applicant, outsider = make_user(), make_user(), make_user(), make_user()
    issuing = make_unit(client, issuer, "发榜单位")
    make_unit(client, other_issuer, "另一发榜单位")
    unit = make_unit(client, applicant, "揭榜单位")
    ids = publish_list_with_item(client, organiser, issuing)

    not_member = apply_as_unit(client, outsider, ids["item"], unit)
    assert not_member.status_code == 422
    assert not_member.json()["detail"][0]["loc"] == ["body", "organisation_id"]
    not_pdf = apply_as_unit(
        client,
        applicant,
        ids["item"],
        unit,
        files={
            "proposal": ("p.pdf", PDF, "application/pdf"),
            "commitment": ("c.docx", b"PK\x03\x04", "application/octet-stream"),
        },
    )
    assert not_pdf.status_code == 422
    assert not_pdf.json()["detail"][0]["loc"] == ["body", "commitment"]

    made = apply_as_unit(client, applicant, ids["item"], unit)
    assert made.status_code == 201, made.text
    app = made.json()
    assert app["applicant_org_id"] == unit and app["lead_name"] == "张三"
    assert [m["role"] for m in app["members"]] == ["算法", "工程"]
    assert app["budget_cny"] == 1_500_000 and app["has_commitment"] and app["team_id"] is None
    assert apply_as_unit(client, applicant, ids["item"], unit).status_code == 409

    check = f"/api/v1/applications/{app['id']}/formal-check"
    returned = {"complete": False, "missing_items": ["单位盖章", "预算明细"]}
    assert client.put(check, json=returned, headers=other_issuer).status_code == 403
    assert client.put(check, json=returned, headers=applicant).status_code == 403
    empty = client.put(check, json={"complete": False}, headers=issuer)
    assert empty.status_code == 422 and empty.json()["detail"][0]["loc"][-1] == "missing_items"
    sent_back = client.put(check, json=returned, headers=issuer)
    assert sent_back.status_code == 200, sent_back.text
    assert sent_back.json()["status"] == "returned"
    assert sent_back.json()["missing_items"] == ["单位盖章", "预算明细"]
    assert any(
        e.kind == "application.returned" and e.data["application_id"] == app["id"] for e in heard
    )
    # the applicant sees what is missing, amends and resubmits
    mine = client.get("/api/v1/applications/units/mine", headers=applicant).json()
    assert [a["status"] for a in mine] == ["returned"]
    again = client.put(
        f"/api/v1/applications/{app['id']}/resubmission",
        data={"budget_cny": "1200000"},
        files={"commitment": ("c2.pdf", PDF + b"%signed\n", "application/pdf")},
        headers=applicant,
    )
    assert again.status_code == 200, again.text
    assert again.json()["status"] == "submitted" and again.json()["budget_cny"] == 1_200_000
    assert (
        client.put(
            f"/api/v1/applications/{app['id']}/resubmission", data={}, headers=outsider
        ).status_code
        == 404
    )
    done = client.put(check, json={"complete": True}, headers=issuer)
    assert done.json()["status"] == "complete" and done.json()["missing_items"] == []
    letter = client.get(f"/api/v1/applications/{app['id']}/commitment", headers=applicant)
    assert letter.status_code == 200 and letter.content.endswith(b"%signed\n")
    assert (
        client.get(f"/api/v1/applications/{app['id']}/commitment", headers=outsider).status_code
        == 404
    )

    # past the deadline: refused, stating the deadline in the list's time zone
    item = db.get(ChallengeItem, ids["item"])
    assert item is not None
    item.application_deadline = datetime(2020, 5, 1, 16, 0, tzinfo=UTC)
    db.add(item)
    db.commit()
    late = apply_as_unit(client, outsider, ids["item"], make_unit(client, outsider, "迟到单位"))
    assert late.status_code == 403
    assert "2020-05-02 00:00" in late.json()["detail"] and "Asia/Shanghai" in late.json()["detail"]


def test_item_on_tracks_needs_a_team(
    client: TestClient,
    organiser: dict[str, str],
    make_user: Maker,
    published_contest: dict[str, int],
) -> None:
    applicant = make_user()
    unit = make_unit(client, applicant, "揭榜单位")
    lst = client.post(
        "/api/v1/challenge-lists",
        json={"year": 2026, "title_zh": "榜单", "title_en": "List", "timezone": "UTC"},
        headers=organiser,
    ).json()
    item = client.post(
        f"/api/v1/challenge-lists/{lst['id']}/items",
        json={
            "code": "T-1",
            "title_zh": "质量",
            "title_en": "Quality",
            "category": "vqa",
            "application_deadline": (datetime.now(UTC) + timedelta(days=3)).isoformat(),
            "targets": [
                {
                    "metric": "srocc",
                    "comparator": ">=",
                    "threshold": 0.9,
                    "track_id": published_contest["track"],
                }
            ],
        },
        headers=organiser,
    ).json()
    client.put(
        f"/api/v1/challenge-lists/{lst['id']}/status",
        json={"status": "published"},
        headers=organiser,
    )
    refused = apply_as_unit(client, applicant, item["id"], unit)
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "team_id"]
    team = client.post(
        f"/api/v1/contests/{published_contest['contest']}/teams",
        json={"name": "揭榜队"},
        headers=applicant,
    )
    assert team.status_code == 201, team.text
    made = apply_as_unit(client, applicant, item["id"], unit, team_id=str(team.json()["id"]))
    assert made.status_code == 201, made.text
    assert made.json()["team_name"] == "揭榜队"
