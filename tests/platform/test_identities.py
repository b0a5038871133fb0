"""Identities: one address is one person, however it is typed; names cannot hide text."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from .conftest import PASSWORD, login


def _register(client: TestClient, email: str, name: str = "Ann") -> Any:
    return client.post(
        "/api/v1/auth/register", json={"email": email, "display_name": name, "password": PASSWORD}
    )


def test_emails_are_compared_after_nfkc_and_case_folding(client: TestClient) -> None:
    assert _register(client, "ann@example.org").status_code == 201
    again = _register(client, "ＡＮＮ@Example.ORG")  # full-width letters
    assert again.status_code == 409 and again.json()["code"] == "conflict"
    login(client, "ＡＮＮ@EXAMPLE.org")  # and the same account signs in
    assert _register(client, "STRASSE@example.org").status_code == 201
    assert _register(client, "straße@example.org").status_code == 409  # ß folds to ss


@pytest.mark.parametrize(
    "lookalike",
    [
        "ıan@example.org",  # dotless ı
        "ian@exаmple.org",  # Cyrillic а in the domain
        "іan@example.org",  # Cyrillic і in the local part
        "ian@examplе.org",  # Cyrillic е at the end of the label
    ],
)
def test_lookalikes_of_an_existing_address_are_refused(client: TestClient, lookalike: str) -> None:
    assert _register(client, "ian@example.org").status_code == 201
    response = _register(client, lookalike)
    assert response.status_code in (409, 422), response.text
    body = response.json()
    if response.status_code == 409:
        assert body["code"] == "email_lookalike" and "look" in body["detail"]
    else:
        assert body["detail"][0]["loc"] == ["body", "email"]
        assert body["detail"][0]["type"] == "email_mixed_scripts"
    zh = client.post(
        "/api/v1/auth/register",
        json={"email": lookalike, "display_name": "Ian", "password": PASSWORD},
        headers={"Accept-Language": "zh-CN"},
    )
    assert "形" in str(zh.json()["detail"])


def test_a_dotless_i_address_is_a_lookalike_and_its_message_says_so(client: TestClient) -> None:
    assert _register(client, "ian@example.org").status_code == 201
    response = _register(client, "ıan@example.org")
    assert response.status_code == 409
    assert response.json()["code"] == "email_lookalike"


def test_other_scripts_are_welcome_on_their_own(client: TestClient) -> None:
    for email in ("张三abc@example.org", "андрей@пример.рф", "müller@example.de"):
        assert _register(client, email).status_code == 201, email


@pytest.mark.parametrize(
    "name",
    ["Ann\x07", "Ann\u202egnp.exe", "A\u200bnn", "Ann\u2066x\u2069", "A\ufeffnn", "Ann\u2028"],
)
def test_display_names_refuse_control_bidi_and_invisible_characters(
    client: TestClient, name: str
) -> None:
    response = _register(client, "ann@example.org", name=name)
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["loc"] == ["body", "display_name"] and error["type"] == "display_name_characters"
    assert _register(client, "ann@example.org", name="Ann 安").status_code == 201
    headers = login(client, "ann@example.org")
    patch = client.patch("/api/v1/auth/me", json={"display_name": name}, headers=headers)
    assert patch.status_code == 422


def test_team_names_refuse_the_same_characters(
    client: TestClient, participant: dict[str, str], published_contest: dict[str, Any]
) -> None:
    url = f"/api/v1/contests/{published_contest['contest']}/teams"
    response = client.post(url, json={"name": "Team\u202eA"}, headers=participant)
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "display_name_characters"
    assert client.post(url, json={"name": "揭榜 Team"}, headers=participant).status_code == 201
