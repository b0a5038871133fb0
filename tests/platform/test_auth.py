"""Registration, login, tokens and the errors around them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from jose import jwt

from jiebang.config import Settings

from .conftest import PASSWORD, login


def _register(client: TestClient, email: str = "ann@example.org", **extra: str) -> dict:
    body = {"email": email, "display_name": "Ann", "password": PASSWORD, **extra}
    return client.post("/api/v1/auth/register", json=body).json()


def test_register_login_and_me(client: TestClient) -> None:
    created = _register(client, locale="en")
    assert created["role"] == "participant" and "password_hash" not in created
    headers = login(client, "ANN@example.org")  # email match is case-insensitive
    me = client.get("/api/v1/auth/me", headers=headers).json()
    assert me["email"] == "ann@example.org" and me["locale"] == "en"


def test_password_is_stored_as_argon2(client: TestClient, db) -> None:
    from jiebang.auth import service

    _register(client)
    user = service.get_by_email(db=db, email="ann@example.org")
    assert user is not None and user.password_hash.startswith("$argon2id$")


def test_duplicate_email_is_409(client: TestClient) -> None:
    _register(client)
    again = client.post(
        "/api/v1/auth/register",
        json={"email": "ann@example.org", "display_name": "A2", "password": PASSWORD},
    )
    assert again.status_code == 409
    assert "already exists" in again.json()["detail"]


def test_wrong_password_is_401(client: TestClient) -> None:
    _register(client)
    response = client.post(
        "/api/v1/auth/login", json={"email": "ann@example.org", "password": "nope-nope"}
    )
    assert response.status_code == 401
    assert response.json()["detail"] == "Incorrect email or password"


def test_validation_errors_are_field_level_and_localised(client: TestClient) -> None:
    bad = {"email": "not-an-email", "display_name": "", "password": "short"}
    en = client.post("/api/v1/auth/register", json=bad)
    zh = client.post(
        "/api/v1/auth/register", json=bad, headers={"Accept-Language": "zh-CN,zh;q=0.9"}
    )
    assert en.status_code == zh.status_code == 422
    fields_en = {tuple(e["loc"]): e["msg"] for e in en.json()["detail"]}
    fields_zh = {tuple(e["loc"]): e["msg"] for e in zh.json()["detail"]}
    assert {("body", "email"), ("body", "display_name"), ("body", "password")} <= set(fields_en)
    assert fields_zh[("body", "password")] == "内容过短"
    assert fields_en[("body", "password")] != fields_zh[("body", "password")]


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        jwt.encode({"sub": "1", "typ": "access"}, "wrong-secret", algorithm="HS256"),
        # alg=none: must be refused because the accepted algorithm list is explicit
        "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiIxIiwidHlwIjoiYWNjZXNzIn0.",
    ],
)
def test_bad_tokens_are_401(client: TestClient, token: str) -> None:
    _register(client)
    response = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert "Traceback" not in response.text


def test_expired_token_is_401(client: TestClient) -> None:
    from jiebang.config import get_settings

    _register(client)
    past = datetime.now(UTC) - timedelta(hours=1)
    token = jwt.encode(
        {"sub": "1", "typ": "access", "iat": past - timedelta(hours=1), "exp": past},
        get_settings().secret_key,
        algorithm="HS256",
    )
    assert (
        client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )


def test_token_without_expiry_is_refused(client: TestClient) -> None:
    from jiebang.config import get_settings

    _register(client)
    token = jwt.encode({"sub": "1", "typ": "access"}, get_settings().secret_key, algorithm="HS256")
    assert (
        client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )


def test_login_attempts_are_rate_limited(client: TestClient) -> None:
    _register(client)
    codes = [
        client.post(
            "/api/v1/auth/login", json={"email": "ann@example.org", "password": "wrong-pw"}
        ).status_code
        for _ in range(12)
    ]
    assert codes[:10] == [401] * 10
    assert codes[10:] == [429, 429]
    # the right password is refused too while the window lasts
    ok = client.post("/api/v1/auth/login", json={"email": "ann@example.org", "password": PASSWORD})
    assert ok.status_code == 429 and "try again" in ok.json()["detail"]


def test_locale_preference_wins_over_header(client: TestClient) -> None:
    _register(client, locale="zh-CN")
    headers = login(client, "ann@example.org") | {"Accept-Language": "en"}
    response = client.get("/api/v1/contests/999", headers=headers)
    assert response.status_code == 404
    assert response.json()["detail"] == "未找到竞赛"


def test_default_secret_refused_outside_development() -> None:
    with pytest.raises(ValueError, match="JIEBANG_SECRET_KEY"):
        Settings(environment="production", secret_key="change-me-development-only")
    with pytest.raises(ValueError, match="JIEBANG_SECRET_KEY"):
        Settings(environment="test", secret_key="change-me-development-only")
    assert Settings(environment="development", secret_key="change-me-development-only")
