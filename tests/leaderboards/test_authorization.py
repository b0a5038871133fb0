"""Who may call what, by role and phase state (running, frozen, ended, published)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from jiebang.auth.models import Role

from .helpers import constructed_board, end_phase

ROLES = ("anonymous", "participant", "judge", "organiser")


@pytest.mark.parametrize("state", ["running", "frozen", "ended", "published"])
def test_authorization_matrix(
    state: str,
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    b = constructed_board(client, db, organiser, make_user)
    phase, sub = b.ids["phase"], b.subs["alpha"]
    if state == "frozen":
        assert client.post(f"/api/v1/phases/{phase}/freeze", headers=organiser).status_code == 200
    if state in ("ended", "published"):
        end_phase(client, organiser, phase)
    if state == "published":
        assert client.post(f"/api/v1/phases/{phase}/publish", headers=organiser).status_code == 200
    who = {
        "anonymous": {},
        "participant": b.headers["alpha"],
        "judge": make_user(Role.judge),
        "organiser": organiser,
    }
    published = state == "published"

    def expect(method: str, url: str, codes: dict[str, int], json: object | None = None) -> None:
        for role in ROLES:
            response = client.request(method, url, headers=who[role], json=json)
            assert response.status_code == codes[role], (state, role, method, url, response.text)

    everyone = dict.fromkeys(ROLES, 200)
    staff_only = {"anonymous": 401, "participant": 403, "judge": 200, "organiser": 200}
    organiser_only = {"anonymous": 401, "participant": 403, "judge": 403, "organiser": 200}
    expect("GET", f"/api/v1/phases/{phase}/leaderboard", everyone)
    private_code = 200 if published else 403
    expect(
        "GET",
        f"/api/v1/phases/{phase}/leaderboard?split=private",
        {"anonymous": private_code, "participant": private_code, "judge": 200, "organiser": 200},
    )
    expect("GET", f"/api/v1/phases/{phase}/results", everyone)
    csv_code = 200 if published else 404
    expect("GET", f"/api/v1/phases/{phase}/results?format=csv", dict.fromkeys(ROLES, csv_code))
    expect("GET", f"/api/v1/judge/phases/{phase}/submissions", staff_only)
    expect("GET", f"/api/v1/judge/submissions/{sub}", staff_only)
    expect("GET", "/api/v1/judge/audit", staff_only)
    expect(
        "POST",
        f"/api/v1/judge/submissions/{sub}/actions",
        staff_only,
        json={"action": "flag", "reason": "look again"},
    )
    expect("GET", "/api/v1/hall-of-fame", everyone)
    expect(
        "POST",
        f"/api/v1/phases/{phase}/rescore",
        organiser_only,
        json={"submission_ids": [b.subs["gamma"]]},
    )
    expect("POST", f"/api/v1/judge/submissions/{b.subs['beta']}/rescore", organiser_only)
    freeze_ok = 409 if published else 200
    expect(
        "POST",
        f"/api/v1/phases/{phase}/freeze",
        {"anonymous": 401, "participant": 403, "judge": 403, "organiser": freeze_ok},
    )
    publish_ok = 200 if state in ("ended", "published") else 409
    expect(
        "POST",
        f"/api/v1/phases/{phase}/publish",
        # judges publish as organisers do (README: judges verify and publish)
        {"anonymous": 401, "participant": 403, "judge": publish_ok, "organiser": publish_ok},
    )
    assert client.get("/api/v1/events").status_code == 401
    assert client.get("/api/v1/events", params={"token": "forged"}).status_code == 401
