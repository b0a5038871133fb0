"""A participant cannot tell a draft challenge item from one that does not exist."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def _draft_item(client: TestClient, organiser: dict[str, str]) -> int:
    lst = client.post(
        "/api/v1/challenge-lists",
        json={"year": 2033, "title_zh": "草稿榜单", "title_en": "Draft list"},
        headers=organiser,
    )
    assert lst.status_code == 201, lst.text
    item = client.post(
        f"/api/v1/challenge-lists/{lst.json()['id']}/items",
        json={"code": "D1", "title_zh": "草稿", "title_en": "Draft", "category": "video",
              "application_deadline": "2033-06-01T00:00:00+08:00"},
        headers=organiser,
    )  # fmt: skip
    assert item.status_code == 201, item.text
    return int(item.json()["id"])


def _answer(client: TestClient, method: str, url: str, **kwargs: Any) -> tuple[int, Any]:
    response = client.request(method, url, **kwargs)
    return response.status_code, response.json()


def test_a_draft_item_answers_like_a_missing_one(
    client: TestClient, organiser: dict[str, str], participant: dict[str, str]
) -> None:
    draft = _draft_item(client, organiser)
    missing = draft + 1000
    form = {
        "data": {"team_id": "1"},
        "files": {"proposal": ("p.pdf", b"%PDF-1.4", "application/pdf")},
    }
    for headers in (participant, {}):
        for method, suffix, kwargs in (
            ("GET", "", {}),
            ("GET", "/targets-met", {}),
            ("POST", "/applications", form),
        ):
            if method == "POST" and not headers:
                continue  # applying needs a token: 401 for both
            seen = _answer(client, method, f"/api/v1/challenge-items/{draft}{suffix}",
                           headers=headers, **kwargs)  # fmt: skip
            unseen = _answer(client, method, f"/api/v1/challenge-items/{missing}{suffix}",
                             headers=headers, **kwargs)  # fmt: skip
            assert seen == unseen, (method, suffix)
            assert seen[0] == 404
    # the organiser still sees the draft
    assert client.get(f"/api/v1/challenge-items/{draft}", headers=organiser).status_code == 200
