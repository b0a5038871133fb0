"""Who organises something that runs, as the health endpoint and the nav's link read it.

Registering a unit makes its creator its organiser; a unit that only applies runs nothing, so
its organiser gets 403 on the health page and /me/organising says no. Once the unit issues an
item or runs a contest, or for an organiser of a contest, a list or the platform, both say yes.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlmodel import Session

from jiebang.auth.models import Role
from jiebang.organisations.models import RoleGrant, ScopedRole, ScopeKind
from tests.organisations.helpers import make_unit, me, publish_list_with_item
from tests.platform.conftest import contest_body

Maker = Callable[..., dict[str, str]]
API = "/api/v1"


def _runs(client: TestClient, headers: dict[str, str]) -> bool:
    answer = client.get(f"{API}/me/organising", headers=headers)
    assert answer.status_code == 200, answer.text
    health = client.get(f"{API}/admin/health", headers=headers).status_code
    runs = bool(answer.json()["runs_something"])
    assert health == (200 if runs else 403)  # the nav's rule and the API's are one
    return runs


def test_an_applicant_units_organiser_runs_nothing_until_the_unit_does(
    client: TestClient, organiser: dict[str, str], make_user: Maker
) -> None:
    applicant, issuer, host, nobody = make_user(), make_user(), make_user(), make_user()
    make_unit(client, applicant, "揭榜单位")
    issuing = make_unit(client, issuer, "发榜单位")
    hosting = make_unit(client, host, "办赛单位")
    assert [_runs(client, h) for h in (applicant, issuer, host, nobody)] == [False] * 4

    publish_list_with_item(client, organiser, issuing)
    made = client.post(
        f"{API}/contests",
        json=contest_body("unit-run") | {"organisation_id": hosting},
        headers=host,
    )
    assert made.status_code == 201, made.text
    assert [_runs(client, h) for h in (applicant, issuer, host)] == [False, True, True]
    assert _runs(client, organiser)


def test_contest_list_and_platform_organisers_run_something(
    client: TestClient, db: Session, make_user: Maker
) -> None:
    contest_org, list_org, platform_org, admin = make_user(), make_user(), make_user(), make_user()
    judge, contest_judge = make_user(Role.judge), make_user()
    for who, role, kind, scope in (
        (contest_org, ScopedRole.organiser, ScopeKind.contest, 7),
        (list_org, ScopedRole.organiser, ScopeKind.challenge_list, 3),
        (platform_org, ScopedRole.organiser, ScopeKind.platform, 0),
        (admin, ScopedRole.platform_admin, ScopeKind.platform, 0),
        (contest_judge, ScopedRole.judge, ScopeKind.contest, 7),
    ):
        db.add(RoleGrant(user_id=me(client, who), role=role, scope_kind=kind, scope_id=scope))
    db.commit()
    assert [_runs(client, h) for h in (contest_org, list_org, platform_org, admin)] == [True] * 4
    assert [_runs(client, h) for h in (judge, contest_judge)] == [False, False]
    assert client.get(f"{API}/me/organising").status_code == 401
