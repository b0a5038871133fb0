"""A list's time zone changes while it is a draft: validated, refused once published, audited."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from jiebang.judging.models import AuditLog

EN = {"Accept-Language": "en"}


def _draft(client: TestClient, organiser: dict[str, str], zone: str = "Asia/Shanghai") -> int:
    body = {"year": 2027, "title_zh": "榜单", "title_en": "List", "timezone": zone}
    created = client.post("/api/v1/challenge-lists", json=body, headers=organiser)
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


def _patch(client: TestClient, headers: dict[str, str], list_id: int, **body: Any) -> Any:
    return client.patch(f"/api/v1/challenge-lists/{list_id}", json=body, headers=headers)


def test_a_draft_list_moves_to_another_zone_and_its_deadlines_read_in_it(
    client: TestClient, organiser: dict[str, str], db: Session
) -> None:
    list_id = _draft(client, organiser)
    moved = _patch(client, organiser, list_id, timezone="Europe/London")
    assert moved.status_code == 200, moved.text
    assert moved.json()["timezone"] == "Europe/London"
    assert client.get(f"/api/v1/challenge-lists/{list_id}", headers=organiser).json()[
        "timezone"
    ] == ("Europe/London")

    # a deadline without an offset is now read in London (GMT in January)
    item = client.post(
        f"/api/v1/challenge-lists/{list_id}/items",
        json={
            "code": "TZ-1",
            "title_zh": "项目",
            "title_en": "Item",
            "category": "video",
            "application_deadline": "2027-01-10T17:00:00",
        },
        headers=organiser,
    )
    assert item.status_code == 201, item.text
    assert item.json()["deadline_timezone"] == "Europe/London"
    deadline = datetime.fromisoformat(item.json()["application_deadline"])
    assert deadline.astimezone(UTC) == datetime(2027, 1, 10, 17, 0, tzinfo=UTC)

    entry = db.exec(select(AuditLog).where(AuditLog.action == "challenge_list.edit")).one()
    assert entry.details == {
        "id": list_id,
        "changes": {"timezone": {"before": "Asia/Shanghai", "after": "Europe/London"}},
    }
    assert entry.actor_id is not None


def test_an_unknown_zone_is_refused_naming_the_field_in_the_users_locale(
    client: TestClient, organiser: dict[str, str]
) -> None:
    list_id = _draft(client, organiser)
    zh = _patch(client, organiser, list_id, timezone="Asia/Shangai")  # the organiser reads zh-CN
    assert zh.status_code == 422, zh.text
    [error] = zh.json()["detail"]
    assert error["loc"] == ["body", "timezone"]
    assert error["msg"] == "时区须为 IANA 时区名称，例如 Asia/Shanghai"

    client.patch("/api/v1/auth/me", json={"locale": "en"}, headers=organiser)
    en = _patch(client, organiser | EN, list_id, timezone="Asia/Shangai")
    assert en.status_code == 422, en.text
    assert en.json()["detail"][0]["msg"] == (
        "Time zone: Asia/Shangai is not an IANA time zone name such as Asia/Shanghai"
    )
    # the same check at creation
    created = client.post(
        "/api/v1/challenge-lists",
        json={"year": 2028, "title_zh": "榜", "title_en": "L", "timezone": "UTC+8"},
        headers=organiser | EN,
    )
    assert created.status_code == 422
    assert created.json()["detail"][0]["loc"] == ["body", "timezone"]
    assert client.get(f"/api/v1/challenge-lists/{list_id}", headers=organiser).json()[
        "timezone"
    ] == ("Asia/Shanghai")


def test_a_published_list_keeps_its_zone_until_it_is_back_in_draft(
    client: TestClient, organiser: dict[str, str], db: Session
) -> None:
    list_id = _draft(client, organiser)
    status = f"/api/v1/challenge-lists/{list_id}/status"
    assert client.put(status, json={"status": "published"}, headers=organiser).status_code == 200

    refused = _patch(client, organiser, list_id, timezone="Europe/London")
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "list_timezone_fixed"
    assert "Asia/Shanghai" in refused.json()["detail"]
    assert "退回草稿" in refused.json()["detail"]
    # the other fields, and the same zone, still go through
    same = _patch(client, organiser, list_id, timezone="Asia/Shanghai", title_en="List 2027")
    assert same.status_code == 200, same.text
    assert same.json()["title_en"] == "List 2027"

    assert client.put(status, json={"status": "closed"}, headers=organiser).status_code == 200
    assert _patch(client, organiser, list_id, timezone="UTC").status_code == 409
    assert client.put(status, json={"status": "published"}, headers=organiser).status_code == 200
    assert client.put(status, json={"status": "draft"}, headers=organiser).status_code == 200
    moved = _patch(client, organiser, list_id, timezone="UTC")
    assert moved.status_code == 200, moved.text

    actions = db.exec(select(AuditLog).where(AuditLog.action == "challenge_list.edit")).all()
    assert [list(e.details["changes"]) for e in actions] == [["title_en"], ["timezone"]]


def test_a_participant_cannot_move_a_list(
    client: TestClient, organiser: dict[str, str], make_user: Any
) -> None:
    list_id = _draft(client, organiser)
    assert _patch(client, make_user(), list_id, timezone="UTC").status_code == 403
