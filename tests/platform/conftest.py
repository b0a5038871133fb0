"""API-level fixtures: a real app, users of each role, and a published contest."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from jiebang.auth import service as user_service
from jiebang.auth.models import Role, UserCreate
from jiebang.main import create_app

PASSWORD = "correct horse battery"


@pytest.fixture
def client(platform_env: None) -> Iterator[TestClient]:
    with TestClient(create_app(), raise_server_exceptions=False) as c:
        yield c


def login(client: TestClient, email: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def make_user(client: TestClient, db: Session) -> Callable[..., dict[str, str]]:
    """Create a user of a role and return auth headers for them."""
    counter = iter(range(1, 10_000))

    def make(role: Role = Role.participant, name: str | None = None) -> dict[str, str]:
        n = next(counter)
        email = f"{role.value}{n}@example.org"
        user_service.create(
            db=db,
            user_in=UserCreate(
                email=email, display_name=name or f"{role.value} {n}", password=PASSWORD
            ),
            role=role,
        )
        return login(client, email)

    return make


@pytest.fixture
def organiser(make_user: Callable[..., dict[str, str]]) -> dict[str, str]:
    return make_user(Role.organiser)


@pytest.fixture
def judge(make_user: Callable[..., dict[str, str]]) -> dict[str, str]:
    return make_user(Role.judge)


@pytest.fixture
def participant(make_user: Callable[..., dict[str, str]]) -> dict[str, str]:
    return make_user(Role.participant)


def now() -> datetime:
    return datetime.now(UTC)


def contest_body(slug: str = "malanshan-2024") -> dict[str, Any]:
    return {
        "slug": slug,
        "title_zh": "马栏山杯",
        "title_en": "Malanshan Cup",
        "edition": "2024",
        "year": 2024,
    }


def phase_body(slug: str = "test") -> dict[str, Any]:
    return {
        "slug": slug,
        "title_zh": "测试阶段",
        "title_en": "Test phase",
        "starts_at": (now() - timedelta(days=1)).isoformat(),
        "ends_at": (now() + timedelta(days=30)).isoformat(),
        "public_item_ids": ["a", "b"],
        "private_item_ids": ["c", "d"],
    }


TRACK_BODY: dict[str, Any] = {
    "slug": "vqa",
    "title_zh": "视频质量评价",
    "title_en": "Video quality assessment",
    "evaluator_key": "quality_assessment",
    "evaluator_version": "1.0.0",
}


@pytest.fixture
def published_contest(client: TestClient, organiser: dict[str, str]) -> dict[str, Any]:
    """A published contest with one track and one open phase; returns their ids."""
    contest = client.post("/api/v1/contests", json=contest_body(), headers=organiser).json()
    track = client.post(
        f"/api/v1/contests/{contest['id']}/tracks", json=TRACK_BODY, headers=organiser
    )
    assert track.status_code == 201, track.text
    phase = client.post(
        f"/api/v1/tracks/{track.json()['id']}/phases", json=phase_body(), headers=organiser
    )
    assert phase.status_code == 201, phase.text
    assert (
        client.post(f"/api/v1/contests/{contest['id']}/publish", headers=organiser).status_code
        == 200
    )
    return {"contest": contest["id"], "track": track.json()["id"], "phase": phase.json()["id"]}
