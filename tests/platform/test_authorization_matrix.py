"""One check per role and organiser-only endpoint: participants and judges get 403."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from jiebang.auth.models import Role

from .conftest import TRACK_BODY, contest_body, phase_body

# (method, path template, body) — ids are filled from the published_contest fixture.
ORGANISER_ONLY: list[tuple[str, str, dict[str, Any] | None]] = [
    ("POST", "/api/v1/contests", contest_body("other")),
    ("PATCH", "/api/v1/contests/{contest}", {"edition": "2025"}),
    ("POST", "/api/v1/contests/{contest}/publish", None),
    ("POST", "/api/v1/contests/{contest}/tracks", TRACK_BODY | {"slug": "second"}),
    ("PATCH", "/api/v1/tracks/{track}", {"title_en": "Renamed"}),
    ("POST", "/api/v1/tracks/{track}/phases", phase_body("second")),
    ("PATCH", "/api/v1/phases/{phase}", {"daily_quota": 3}),
    ("POST", "/api/v1/challenge-lists", {"year": 2030, "title_zh": "榜", "title_en": "L"}),
    ("GET", "/api/v1/evaluators", None),
    ("PUT", "/api/v1/auth/users/{user}/role", {"role": "judge"}),
    ("PUT", "/api/v1/teams/{team}/approval", {"approved": True}),
]


@pytest.fixture
def ids(
    client: TestClient, published_contest: dict[str, Any], make_user: Callable[..., dict[str, str]]
) -> dict[str, Any]:
    captain = make_user()
    team = client.post(
        f"/api/v1/contests/{published_contest['contest']}/teams",
        json={"name": "X"},
        headers=captain,
    )
    user = client.get("/api/v1/auth/me", headers=captain).json()["id"]
    return published_contest | {"team": team.json()["id"], "user": user}


@pytest.mark.parametrize(
    "method,template,body", ORGANISER_ONLY, ids=[f"{m} {p}" for m, p, _ in ORGANISER_ONLY]
)
@pytest.mark.parametrize("role", [Role.participant, Role.judge, Role.organiser])
def test_organiser_only_endpoints(
    client: TestClient,
    make_user: Callable[..., dict[str, str]],
    ids: dict[str, Any],
    role: Role,
    method: str,
    template: str,
    body: dict[str, Any] | None,
) -> None:
    headers = make_user(role)
    response = client.request(method, template.format(**ids), json=body, headers=headers)
    if role == Role.organiser:
        assert response.status_code in (200, 201), response.text
    else:
        assert response.status_code == 403, response.text


@pytest.mark.parametrize("role", [Role.participant, Role.judge])
def test_drafts_are_hidden_from_non_organisers_but_not_judges(
    client: TestClient,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
    role: Role,
) -> None:
    draft = client.post("/api/v1/contests", json=contest_body("draft"), headers=organiser).json()
    response = client.get(f"/api/v1/contests/{draft['id']}", headers=make_user(role))
    assert response.status_code == (200 if role == Role.judge else 404)
