"""Contests run by organisations: every contest and judging endpoint, for each role scope.

The world: unit A runs contest X (a track, a phase, a team with a submission), unit B runs
contest Y, unit C only applies, and the platform has a challenge list. The roles: A's organiser
(own), B's organiser (other), C's organiser (an applicant: organiser of nothing that runs), a
judge assigned to X, a judge assigned to Y, a participant, an anonymous reader, and the global
organiser and judge (platform-wide, as before scoped roles; neither is a platform
administrator). Allowed means the request got past authorisation (any answer but 401/403: a 422 for a deliberately incomplete body proves it without changing
anything); denied means 403 (401 for the anonymous reader).

An enumeration check lists every route of the API that names a contest's part or sits under
/judge, and every role route (``…/roles``, ``…/roles/{grant_id}``): each must be in the table or
in the declared public/participant list, so a new route without a scope check fails here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from jiebang.auth.models import Role
from jiebang.submissions.models import Submission

from ..platform.conftest import TRACK_BODY, contest_body, phase_body
from .helpers import make_unit, me

Maker = Callable[..., dict[str, str]]

OWN, OTHER, JUDGE_HERE, JUDGE_OTHER = "own_org", "other_org", "judge_here", "judge_other"
PARTICIPANT, ANONYMOUS, PLATFORM_ORG, PLATFORM_JUDGE = (
    "participant",
    "anonymous",
    "platform_organiser",
    "platform_judge",
)
APPLICANT = "applicant_org"
ROLES = (
    OWN,
    OTHER,
    APPLICANT,
    JUDGE_HERE,
    JUDGE_OTHER,
    PARTICIPANT,
    ANONYMOUS,
    PLATFORM_ORG,
    PLATFORM_JUDGE,
)
ORGANISE = frozenset({OWN, PLATFORM_ORG})
STAFF = frozenset({OWN, JUDGE_HERE, PLATFORM_ORG, PLATFORM_JUDGE})
PLATFORM_STAFF = frozenset({PLATFORM_ORG, PLATFORM_JUDGE})
ANY_ORGANISER = frozenset({OWN, OTHER, APPLICANT, PLATFORM_ORG})
RUNNING_ORGANISER = frozenset({OWN, OTHER, PLATFORM_ORG})  # an applicant unit runs nothing
LIST_ORGANISE = frozenset({PLATFORM_ORG})  # nobody holds a grant in the list
PLATFORM_ADMIN: frozenset[str] = frozenset()  # nobody here administers the platform

BAD_DATE = {"starts_at": "not a date"}  # a 422 past authorisation, nothing changed


@dataclass(frozen=True)
class Case:
    method: str
    path: str  # the route's template, as the OpenAPI document names it
    allowed: frozenset[str]
    body: dict[str, Any] | Callable[[str], dict[str, Any]] | None = None
    query: str = ""
    files: dict[str, Any] | None = field(default=None, hash=False)


def _new_contest(role: str) -> dict[str, Any]:
    return contest_body(f"new-{role.replace('_', '-')}")


FILE = {"archive": ("r.tar", b"not a tar", "application/x-tar")}
TABLE: tuple[Case, ...] = (
    # contests, tracks, phases: the organisers of the contest's unit, of the contest, or the
    # platform's
    Case(
        "POST",
        "/contests",
        ORGANISE,
        lambda role: _new_contest(role) | {"organisation_id": "{org_a}"},
    ),
    Case("PATCH", "/contests/{contest_id}", ORGANISE, {"team_size_limit": 0}),
    Case("POST", "/contests/{contest_id}/publish", ORGANISE),
    Case("POST", "/contests/{contest_id}/tracks", ORGANISE, {"slug": "Bad Slug"}),
    Case("PATCH", "/tracks/{track_id}", ORGANISE, {"time_limit_seconds": 0}),
    Case("POST", "/tracks/{track_id}/phases", ORGANISE, BAD_DATE),
    Case("PATCH", "/phases/{phase_id}", ORGANISE, {"daily_quota": -1}),
    Case("PUT", "/phases/{phase_id}/reference", ORGANISE, {}),
    Case("GET", "/phases/{phase_id}/split", ORGANISE),
    Case("PUT", "/tracks/{track_id}/sample", ORGANISE, {}),
    Case("PUT", "/tracks/{track_id}/devkit", ORGANISE, {}),
    Case("POST", "/tracks/{track_id}/check", ORGANISE),
    Case("GET", "/tracks/{track_id}/checks", STAFF),
    Case("GET", "/contests/{contest_id}/readiness", STAFF),
    Case("GET", "/evaluators", ANY_ORGANISER),
    # the health page (the whole queue's state; addresses masked below the platform) for the
    # organisers of what runs, and the bundle import (into a contest of one's unit:
    # tests/bundles/test_scoped_import.py)
    Case("GET", "/admin/health", RUNNING_ORGANISER),
    Case("POST", "/admin/bundles", ANY_ORGANISER, {}),
    # teams, held submissions, messages and the participant list
    Case("PUT", "/teams/{team_id}/approval", ORGANISE, {}),
    Case("POST", "/admin/teams/{team_id}/release", ORGANISE, {"note": 1}),
    Case("POST", "/contests/{contest_id}/messages", ORGANISE, {}),
    Case("GET", "/contests/{contest_id}/export/participants.csv", ORGANISE),
    # the contest's own roles
    Case("GET", "/contests/{contest_id}/roles", ORGANISE),
    Case("POST", "/contests/{contest_id}/roles", ORGANISE, {}),
    Case("GET", "/contests/{contest_id}/role-holders", ORGANISE),
    Case("POST", "/contests/{contest_id}/role-holders", ORGANISE, {}),
    Case("DELETE", "/contests/{contest_id}/roles/{grant_id}", ORGANISE),
    # a unit's, a list's and the platform's roles, granted and revoked by the same people
    # (revocation: tests/organisations/test_role_revocation.py)
    Case("GET", "/organisations/{organisation_id}/roles", ORGANISE),
    Case("POST", "/organisations/{organisation_id}/roles", ORGANISE, {}),
    Case("DELETE", "/organisations/{organisation_id}/roles/{grant_id}", ORGANISE),
    Case("GET", "/challenge-lists/{list_id}/roles", LIST_ORGANISE),
    Case("POST", "/challenge-lists/{list_id}/roles", LIST_ORGANISE, {}),
    Case("DELETE", "/challenge-lists/{list_id}/roles/{grant_id}", LIST_ORGANISE),
    Case("GET", "/platform/roles", PLATFORM_ADMIN),
    Case("POST", "/platform/roles", PLATFORM_ADMIN, {}),
    Case("DELETE", "/platform/roles/{grant_id}", PLATFORM_ADMIN),
    # judge console, verification, flags, re-scoring, similarity
    Case("GET", "/judge/phases/{phase_id}/submissions", STAFF),
    Case("GET", "/judge/submissions/{submission_id}", STAFF),
    Case("POST", "/judge/submissions/{submission_id}/actions", STAFF, {"action": "nonsense"}),
    Case("POST", "/judge/submissions/{submission_id}/rescore", ORGANISE, {"evaluator_version": 1}),
    Case("GET", "/judge/submissions/{submission_id}/sequences", STAFF),
    Case("GET", "/judge/submissions/{submission_id}/sequences.csv", STAFF),
    Case("GET", "/judge/phases/{phase_id}/similar", STAFF),
    Case("POST", "/phases/{phase_id}/rescore", ORGANISE, {"evaluator_version": 1}),
    Case("GET", "/phases/{phase_id}/migration", ORGANISE),
    Case("POST", "/phases/{phase_id}/migration", ORGANISE),  # the first phase: 409, no copies
    Case("GET", "/judge/audit", STAFF, query="?phase_id={phase_id}"),
    Case("GET", "/judge/audit", STAFF, query="?submission_id={submission_id}"),
    Case("GET", "/judge/audit", PLATFORM_STAFF),  # the whole log: platform staff only
    # freeze and publication; the private board before publication
    Case("POST", "/phases/{phase_id}/freeze", ORGANISE, {"at": "not a date"}),
    Case("POST", "/phases/{phase_id}/unfreeze", ORGANISE),
    Case("POST", "/phases/{phase_id}/publish", STAFF),
    Case("GET", "/phases/{phase_id}/leaderboard", STAFF, query="?split=private"),
)

# Routes naming a contest's part that are public reads or a team member's own business (each
# checks membership or publication itself; tests/platform and tests/submissions cover them).
NOT_STAFF_ROUTES = {
    ("GET", "/contests/{contest_id}"),
    ("GET", "/contests/{contest_id}/tracks"),
    ("GET", "/contests/{contest_id}/teams"),
    ("POST", "/contests/{contest_id}/teams"),
    ("GET", "/tracks/{track_id}"),
    ("GET", "/tracks/{track_id}/evaluator"),
    ("GET", "/tracks/{track_id}/phases"),
    ("GET", "/tracks/{track_id}/data"),
    ("GET", "/tracks/{track_id}/devkit"),
    ("GET", "/tracks/{track_id}/data/archive"),
    ("GET", "/tracks/{track_id}/data/files/{name}"),
    ("GET", "/tracks/{track_id}/data/sample"),
    ("GET", "/phases/{phase_id}"),
    ("GET", "/phases/{phase_id}/results"),
    ("GET", "/phases/{phase_id}/quota"),
    ("POST", "/phases/{phase_id}/submissions"),
    ("GET", "/phases/{phase_id}/submissions/mine"),
    ("GET", "/phases/{phase_id}/results/mine"),
    ("GET", "/hall-of-fame/teams/{team_id}"),
    ("GET", "/teams/{team_id}"),
    ("POST", "/teams/{team_id}/leave"),
    ("GET", "/submissions/{submission_id}"),
    ("GET", "/submissions/{submission_id}/upload"),
    ("POST", "/submissions/{submission_id}/complete"),
    ("POST", "/submissions/{submission_id}/cancel"),
    ("PUT", "/submissions/{submission_id}/selection"),
    ("GET", "/submissions/{submission_id}/detailed-results"),
    ("GET", "/submissions/{submission_id}/sequences"),
    ("GET", "/submissions/{submission_id}/sequences.csv"),
    ("GET", "/phases/{phase_id}/fact-sheet"),  # the questions a team answers
    ("PUT", "/submissions/{submission_id}/fact-sheet"),  # the team's answers
    ("GET", "/submissions/{submission_id}/fact-sheet"),  # the team's, or the contest staff's
    ("GET", "/me/roles"),  # one's own grants
}
CONTEST_PARTS = {"contest_id", "track_id", "phase_id", "submission_id", "team_id"}
ROLE_ROUTE = re.compile(r"/roles(/\{grant_id\})?$")
API = "/api/v1"


def _contest(client: TestClient, headers: dict[str, str], slug: str, unit: int) -> dict[str, int]:
    made = client.post(
        f"{API}/contests", json=contest_body(slug) | {"organisation_id": unit}, headers=headers
    )
    assert made.status_code == 201, made.text
    contest = made.json()["id"]
    assert made.json()["organisation_id"] == unit
    track = client.post(f"{API}/contests/{contest}/tracks", json=TRACK_BODY, headers=headers)
    assert track.status_code == 201, track.text
    phase = client.post(
        f"{API}/tracks/{track.json()['id']}/phases", json=phase_body(), headers=headers
    )
    assert phase.status_code == 201, phase.text
    published = client.post(f"{API}/contests/{contest}/publish", headers=headers)
    assert published.status_code == 200, published.text
    return {"contest_id": contest, "track_id": track.json()["id"], "phase_id": phase.json()["id"]}


def _assign(client: TestClient, by: dict[str, str], contest: int, who: dict[str, str]) -> int:
    granted = client.post(
        f"{API}/contests/{contest}/roles",
        json={"user_id": me(client, who), "role": "judge"},
        headers=by,
    )
    assert granted.status_code == 201, granted.text
    return int(granted.json()["id"])


@pytest.fixture
def world(client: TestClient, db: Session, make_user: Maker) -> dict[str, Any]:
    plain = (OWN, OTHER, APPLICANT, JUDGE_HERE, JUDGE_OTHER, PARTICIPANT)
    users = {role: make_user() for role in plain}
    users[PLATFORM_ORG] = make_user(Role.organiser)
    users[PLATFORM_JUDGE] = make_user(Role.judge)
    users[ANONYMOUS] = {}
    org_a = make_unit(client, users[OWN], "发榜单位甲")
    org_b = make_unit(client, users[OTHER], "发榜单位乙")
    make_unit(client, users[APPLICANT], "揭榜单位丙")
    listed = client.post(
        f"{API}/challenge-lists",
        json={"year": 2031, "title_zh": "榜单", "title_en": "List"},
        headers=users[PLATFORM_ORG],
    )
    assert listed.status_code == 201, listed.text
    x = _contest(client, users[OWN], "contest-x", org_a)
    y = _contest(client, users[OTHER], "contest-y", org_b)
    _assign(client, users[OWN], x["contest_id"], users[JUDGE_HERE])
    grant = _assign(client, users[OTHER], y["contest_id"], users[JUDGE_OTHER])
    team = client.post(
        f"{API}/contests/{x['contest_id']}/teams", json={"name": "甲队"}, headers=users[PARTICIPANT]
    )
    assert team.status_code == 201, team.text
    submission = Submission(
        phase_id=x["phase_id"],
        team_id=team.json()["id"],
        submitter_id=me(client, users[PARTICIPANT]),
        filename="s.zip",
        declared_size=1,
        declared_sha256="0" * 64,
        upload_key="k",
        upload_id="u",
        part_size=1,
    )
    db.add(submission)
    db.commit()
    ids = x | {
        "team_id": team.json()["id"],
        "submission_id": submission.id,
        "grant_id": grant + 1000,  # no such grant: allowed readers get 404
        "org_a": org_a,
        "organisation_id": org_a,
        "list_id": listed.json()["id"],
    }
    return {"users": users, "ids": ids, "y": y, "org_b": org_b}


def _request(client: TestClient, case: Case, role: str, world: dict[str, Any]) -> int:
    ids = world["ids"]
    url = API + (case.path + case.query).format(**ids)
    body = case.body(role) if callable(case.body) else case.body
    if body is not None:
        body = {
            k: (v.format(**ids) if isinstance(v, str) and "{" in v else v) for k, v in body.items()
        }
        body = {k: (int(v) if k == "organisation_id" else v) for k, v in body.items()}
    headers = world["users"][role]
    return client.request(case.method, url, json=body, headers=headers).status_code


def test_every_contest_and_judging_endpoint_by_role_scope(
    client: TestClient, world: dict[str, Any]
) -> None:
    wrong = []
    for case in TABLE:
        for role in ROLES:
            status = _request(client, case, role, world)
            if role in case.allowed:
                ok = status not in (401, 403)
            elif role == ANONYMOUS:
                ok = status in (401, 403)
            else:
                ok = status == 403
            if not ok:
                wrong.append(f"{case.method} {case.path}{case.query} as {role}: {status}")
    assert wrong == []


def test_every_judging_and_organiser_route_is_in_the_table(client: TestClient) -> None:
    spec = client.get(f"{API}/openapi.json").json()
    scoped = set()
    for path, operations in spec["paths"].items():
        route = path.removeprefix(API)
        named = set(re.findall(r"\{(\w+)\}", route))
        if named & CONTEST_PARTS or route.startswith("/judge") or ROLE_ROUTE.search(route):
            scoped |= {(method.upper(), route) for method in operations}
    tabled = {(c.method, c.path) for c in TABLE}
    assert scoped - tabled - NOT_STAFF_ROUTES == set()  # a new route needs a row here
    listed = {(m.upper(), p.removeprefix(API)) for p, ops in spec["paths"].items() for m in ops}
    assert (tabled | NOT_STAFF_ROUTES) - listed == set()  # and every row names a real route


def test_drafts_and_boards_of_a_contest_are_its_own_staffs(
    client: TestClient, world: dict[str, Any]
) -> None:
    users, ids = world["users"], world["ids"]
    draft = client.post(
        f"{API}/contests",
        json=contest_body("draft-x") | {"organisation_id": ids["org_a"]},
        headers=users[OWN],
    )
    assert draft.status_code == 201, draft.text
    url = f"{API}/contests/{draft.json()['id']}"
    _assign(client, users[OWN], draft.json()["id"], users[JUDGE_HERE])
    for role, expected in ((OWN, 200), (JUDGE_HERE, 200), (OTHER, 404), (PARTICIPANT, 404)):
        assert client.get(url, headers=users[role]).status_code == expected, role
    listed = {c["slug"] for c in client.get(f"{API}/contests", headers=users[OTHER]).json()}
    assert "draft-x" not in listed and {"contest-x", "contest-y"} <= listed
    own = {c["slug"] for c in client.get(f"{API}/contests", headers=users[OWN]).json()}
    assert "draft-x" in own
    # the judge of Y sees Y's private board, and nothing of X's
    y_board = f"{API}/phases/{world['y']['phase_id']}/leaderboard?split=private"
    assert client.get(y_board, headers=users[JUDGE_OTHER]).status_code == 200
    x_board = f"{API}/phases/{ids['phase_id']}/leaderboard?split=private"
    assert client.get(x_board, headers=users[JUDGE_OTHER]).status_code == 403
    # an organiser cannot create a contest for a unit they do not organise, nor move one there
    refused = client.post(
        f"{API}/contests",
        json=contest_body("for-b") | {"organisation_id": world["org_b"]},
        headers=users[OWN],
    )
    assert refused.status_code == 403
    moved = client.patch(
        f"{API}/contests/{ids['contest_id']}",
        json={"organisation_id": world["org_b"]},
        headers=users[OWN],
    )
    assert moved.status_code == 403
    unknown = client.post(
        f"{API}/contests",
        json=contest_body("nowhere") | {"organisation_id": 99999},
        headers=users[PLATFORM_ORG],
    )
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"][-1] == "organisation_id"
    # the platform's own contests stay with platform organisers
    platform = client.post(f"{API}/contests", json=contest_body("own"), headers=users[OWN])
    assert platform.status_code == 403


def test_contest_roles_by_email_and_audited_revocation(
    client: TestClient, world: dict[str, Any], make_user: Maker
) -> None:
    users, ids = world["users"], world["ids"]
    url = f"{API}/contests/{ids['contest_id']}/role-holders"
    co = make_user()
    email = client.get(f"{API}/auth/me", headers=co).json()["email"]
    added = client.post(url, json={"email": email.upper(), "role": "organiser"}, headers=users[OWN])
    assert added.status_code == 201, added.text
    held = added.json()
    assert held["organisation"]["id"] == ids["org_a"]
    assert {(h["email"], h["role"]) for h in held["holders"]} >= {(email, "organiser")}
    # the co-organiser now edits the contest, and nothing of Y
    assert (
        client.patch(
            f"{API}/contests/{ids['contest_id']}", json={"edition": "2025"}, headers=co
        ).status_code
        == 200
    )
    y = world["y"]["contest_id"]
    assert client.patch(f"{API}/contests/{y}", json={"edition": "x"}, headers=co).status_code == 403
    unknown = client.post(
        url, json={"email": "nobody@example.org", "role": "judge"}, headers=users[OWN]
    )
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"][-1] == "email"
    not_here = client.post(url, json={"email": email, "role": "reviewer"}, headers=users[OWN])
    assert not_here.status_code == 422
    grant = next(h["id"] for h in held["holders"] if h["email"] == email)
    # a grant of another contest cannot be revoked through this one
    other_grant = client.get(f"{API}/contests/{y}/role-holders", headers=users[OTHER]).json()
    foreign = other_grant["holders"][0]["id"]
    revoke_url = f"{API}/contests/{ids['contest_id']}/roles"
    assert client.delete(f"{revoke_url}/{foreign}", headers=users[OWN]).status_code == 404
    assert client.delete(f"{revoke_url}/{grant}", headers=users[OWN]).status_code == 204
    assert (
        client.patch(
            f"{API}/contests/{ids['contest_id']}", json={"edition": "2026"}, headers=co
        ).status_code
        == 403
    )
    log = client.get(f"{API}/judge/audit", headers=users[PLATFORM_ORG]).json()
    actions = [(e["action"], e["details"].get("user_id")) for e in log]
    co_id = me(client, co)
    assert ("role.revoke", co_id) in actions and ("role.grant", co_id) in actions
    assert ("role.grant", me(client, users[JUDGE_HERE])) in actions  # through /roles too
