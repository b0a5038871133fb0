"""Every route needs a token unless it was declared on a public router."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

# The explicit opt-outs: public read views, registration and login.
PUBLIC = {
    ("POST", "/api/v1/auth/register"),
    ("POST", "/api/v1/auth/login"),
    ("GET", "/api/v1/contests"),
    ("GET", "/api/v1/contests/{contest_id}"),
    ("GET", "/api/v1/contests/{contest_id}/tracks"),
    ("GET", "/api/v1/contests/{contest_id}/teams"),
    ("GET", "/api/v1/tracks/{track_id}"),
    ("GET", "/api/v1/tracks/{track_id}/evaluator"),
    ("GET", "/api/v1/tracks/{track_id}/phases"),
    ("GET", "/api/v1/phases/{phase_id}"),
    ("GET", "/api/v1/challenge-lists"),
    ("GET", "/api/v1/challenge-lists/{list_id}"),
    ("GET", "/api/v1/challenge-lists/{list_id}/items"),
    ("GET", "/api/v1/challenge-items/{item_id}"),
    ("GET", "/api/v1/tracks/{track_id}/devkit"),
    ("GET", "/api/v1/tracks/{track_id}/data"),
    ("GET", "/api/v1/tracks/{track_id}/data/archive"),
    ("GET", "/api/v1/tracks/{track_id}/data/files/{name}"),
    ("GET", "/api/v1/tracks/{track_id}/data/sample"),
    ("GET", "/api/v1/challenge-items/{item_id}/targets-met"),
    ("GET", "/api/v1/phases/{phase_id}/leaderboard"),
    ("GET", "/api/v1/phases/{phase_id}/results"),
    ("GET", "/api/v1/hall-of-fame"),
    ("GET", "/api/v1/hall-of-fame/teams/{team_id}"),
    ("GET", "/api/v1/hall-of-fame/people/{user_id}"),
    ("GET", "/api/v1/organisations"),
    ("GET", "/api/v1/organisations/{organisation_id}"),
    ("GET", "/api/v1/notices"),  # 公示 is public
    ("GET", "/api/v1/challenge-items/{item_id}/notice"),
}


def _operations(client: TestClient) -> list[tuple[str, str]]:
    spec = client.get("/api/v1/openapi.json").json()
    return [(method.upper(), path) for path, ops in spec["paths"].items() for method in ops]


def test_public_routes_are_exactly_the_declared_ones(client: TestClient) -> None:
    anonymous_ok = set()
    for method, path in _operations(client):
        url = re.sub(r"\{[^}]+\}", "1", path)
        response = client.request(method, url)
        if response.status_code != 401:
            anonymous_ok.add((method, path))
    assert anonymous_ok == PUBLIC


def test_protected_routes_reject_anonymous_with_401(client: TestClient) -> None:
    protected = [op for op in _operations(client) if op not in PUBLIC]
    assert len(protected) > 15
    for method, path in protected:
        response = client.request(method, re.sub(r"\{[^}]+\}", "1", path))
        assert response.status_code == 401, (method, path)
        assert response.headers.get("www-authenticate") == "Bearer"
