"""Role grants and revocations fired in parallel (SQLite and PostgreSQL): twenty grants of one
role to one person make one grant, twenty revocations of one grant withdraw it once, and the
last two organisers of a unit revoked at the same moment leave one; never a 500."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from jiebang.db import get_engine
from jiebang.judging.models import AuditLog
from jiebang.organisations.models import RoleGrant, ScopeKind
from tests.concurrency import at_once
from tests.organisations.helpers import make_unit, me, publish_list_with_item

Maker = Callable[..., dict[str, str]]
API = "/api/v1"
TIMES = 20


def _email(client: TestClient, headers: dict[str, str]) -> str:
    return str(client.get(f"{API}/auth/me", headers=headers).json()["email"])


def _grants(kind: ScopeKind, scope_id: int) -> list[RoleGrant]:
    with Session(get_engine()) as db:
        rows = db.exec(
            select(RoleGrant).where(RoleGrant.scope_kind == kind, RoleGrant.scope_id == scope_id)
        )
        return list(rows)


def _audited(action: str) -> int:
    with Session(get_engine()) as db:
        return db.exec(select(func.count()).where(AuditLog.action == action)).one()


def _scopes(client: TestClient, organiser: dict[str, str], owner: dict[str, str]) -> list[Any]:
    unit = make_unit(client, owner, "并发单位")
    lst = publish_list_with_item(client, organiser, None)["list"]
    return [
        (f"{API}/organisations/{unit}/roles", owner, ScopeKind.organisation, unit),
        (f"{API}/challenge-lists/{lst}/roles", organiser, ScopeKind.challenge_list, lst),
    ]


def _platform_admin(client: TestClient, db: Session, make_user: Maker) -> dict[str, str]:
    admin = make_user()
    grant = RoleGrant(user_id=me(client, admin), role="platform_admin", scope_kind="platform")
    db.add(grant)
    db.commit()
    return admin


def test_twenty_parallel_grants_of_one_role_make_one_grant(
    client: TestClient, db: Session, organiser: dict[str, str], make_user: Maker
) -> None:
    admin = _platform_admin(client, db, make_user)
    owner, colleague = make_user(), make_user()
    scopes = _scopes(client, organiser, owner)
    scopes.append((f"{API}/platform/roles", admin, ScopeKind.platform, 0))
    body = {"email": _email(client, colleague), "role": "organiser"}
    for url, by, kind, scope_id in scopes:
        before = len(_grants(kind, scope_id))
        answers = at_once([lambda u=url, h=by: client.post(u, json=body, headers=h)] * TIMES)
        assert {r.status_code for r in answers} == {201}, [r.text for r in answers]
        assert len({r.json()["id"] for r in answers}) == 1
        assert len(_grants(kind, scope_id)) == before + 1
    # one grant, one audit entry per scope
    assert _audited("role.grant") == len(scopes)


def test_twenty_parallel_revocations_of_one_grant_withdraw_it_once(
    client: TestClient, organiser: dict[str, str], make_user: Maker
) -> None:
    owner, colleague = make_user(), make_user()
    body = {"email": _email(client, colleague), "role": "organiser"}
    for url, by, kind, scope_id in _scopes(client, organiser, owner):
        grant = client.post(url, json=body, headers=by).json()["id"]
        before = _audited("role.revoke")
        answers = at_once([lambda u=f"{url}/{grant}", h=by: client.delete(u, headers=h)] * TIMES)
        assert Counter(r.status_code for r in answers) == {204: 1, 404: TIMES - 1}, [
            r.text for r in answers if r.status_code >= 500
        ]
        assert grant not in {g.id for g in _grants(kind, scope_id)}
        assert _audited("role.revoke") == before + 1


def test_the_last_two_organisers_revoked_at_once_leave_one(
    client: TestClient, make_user: Maker
) -> None:
    owner, colleague = make_user(), make_user()
    unit = make_unit(client, owner, "最后单位")
    url = f"{API}/organisations/{unit}/roles"
    client.post(url, json={"email": _email(client, colleague), "role": "organiser"}, headers=owner)
    grants = [g.id for g in _grants(ScopeKind.organisation, unit)]
    assert len(grants) == 2
    calls = [
        (lambda g=g: client.delete(f"{url}/{g}", headers=owner))
        for g in grants
        for _ in range(TIMES // 2)
    ]
    answers = at_once(calls)
    statuses = Counter(r.status_code for r in answers)
    assert statuses[500] == 0 and statuses[204] == 1, [r.text for r in answers]
    assert {r.json()["code"] for r in answers if r.status_code == 409} <= {"last_unit_organiser"}
    assert len(_grants(ScopeKind.organisation, unit)) == 1
