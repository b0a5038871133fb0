"""Shared steps: units, a published list with an item issued by a unit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
VALID_CODE = "91350100M000100Y43"


def me(client: TestClient, headers: dict[str, str]) -> int:
    return int(client.get("/api/v1/auth/me", headers=headers).json()["id"])


def make_unit(
    client: TestClient, headers: dict[str, str], name: str, code: str | None = None
) -> int:
    body: dict[str, Any] = {"name_zh": name, "name_en": name, "org_type": "enterprise"}
    if code:
        body["credit_code"] = code
    response = client.post("/api/v1/organisations", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def publish_list_with_item(
    client: TestClient, organiser: dict[str, str], unit_id: int | None, year: int = 2025
) -> dict[str, int]:
    lst = client.post(
        "/api/v1/challenge-lists",
        json={"year": year, "title_zh": "榜单", "title_en": "List"},
        headers=organiser,
    )
    assert lst.status_code == 201, lst.text
    item = client.post(
        f"/api/v1/challenge-lists/{lst.json()['id']}/items",
        json={
            "code": "AV-01",
            "title_zh": "编码",
            "title_en": "Codec",
            "category": "codec",
            "reward_zh": "100 万元",
            "reward_en": "CNY 1 million",
            "application_deadline": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
            "issuing_unit_id": unit_id,
        },
        headers=organiser,
    )
    assert item.status_code == 201, item.text
    published = client.put(
        f"/api/v1/challenge-lists/{lst.json()['id']}/status",
        json={"status": "published"},
        headers=organiser,
    )
    assert published.status_code == 200, published.text
    return {"list": lst.json()["id"], "item": item.json()["id"]}


def apply_as_unit(
    client: TestClient, headers: dict[str, str], item_id: int, unit_id: int, **extra: Any
) -> Any:
    files = extra.pop(
        "files",
        {
            "proposal": ("proposal.pdf", PDF, "application/pdf"),
            "commitment": ("commitment.pdf", PDF, "application/pdf"),
        },
    )
    data = {
        "organisation_id": str(unit_id),
        "lead_name": "张三",
        "lead_email": "lead@example.org",
        "members": '[{"name": "李四", "role": "算法"}, {"name": "王五", "role": "工程"}]',
        "budget_cny": "1500000",
    } | extra
    return client.post(
        f"/api/v1/challenge-items/{item_id}/unit-applications",
        data=data,
        files=files,
        headers=headers,
    )
