"""Unit, challenge-list and platform roles are revoked as they are granted: by the same people,
audited (role.grant and role.revoke, with the scope, the role and the holder), and never so as
to orphan a unit (its last organiser) or the platform (its last administrator), nor to lock
oneself out of one's last platform role: those are 409s naming the person, in the reader's
locale. A grant of another scope is a 404 through this one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from jiebang.organisations.models import RoleGrant, ScopedRole, ScopeKind
from tests.organisations.helpers import make_unit, me, publish_list_with_item

Maker = Callable[..., dict[str, str]]
API = "/api/v1"


def _email(client: TestClient, headers: dict[str, str]) -> str:
    return str(client.get(f"{API}/auth/me", headers=headers).json()["email"])


def _grant(client: TestClient, url: str, who: dict[str, str], role: str, by: dict[str, str]) -> int:
    granted = client.post(url, json={"email": _email(client, who), "role": role}, headers=by)
    assert granted.status_code == 201, granted.text
    return int(granted.json()["id"])


def _in_english(client: TestClient, method: str, url: str, by: dict[str, str]) -> Any:
    client.patch(f"{API}/auth/me", json={"locale": "en"}, headers=by)
    answer = client.request(method, url, headers=by)
    client.patch(f"{API}/auth/me", json={"locale": "zh-CN"}, headers=by)
    return answer


def _audited(client: TestClient, reader: dict[str, str]) -> set[tuple[str, str, int, str, int]]:
    log = client.get(f"{API}/judge/audit", headers=reader)
    assert log.status_code == 200, log.text
    return {
        (e["action"], d["scope"], d["scope_id"], d["role"], d["user_id"])
        for e in log.json()
        if "scope" in (d := e["details"])
    }


def test_unit_roles_revoked_never_the_last_organiser(
    client: TestClient, organiser: dict[str, str], make_user: Maker
) -> None:
    owner, colleague, outsider = make_user(), make_user(), make_user()
    unit = make_unit(client, owner, "撤销单位")
    other_unit = make_unit(client, outsider, "别的单位")
    url = f"{API}/organisations/{unit}/roles"
    granted = _grant(client, url, colleague, "organiser", owner)
    holders = {h["user_id"]: h["id"] for h in client.get(url, headers=owner).json()}
    own_grant = holders[me(client, owner)]
    foreign = client.get(f"{API}/organisations/{other_unit}/roles", headers=outsider).json()[0]

    assert client.delete(f"{url}/{granted}", headers=outsider).status_code == 403
    assert client.delete(f"{url}/{foreign['id']}", headers=owner).status_code == 404
    assert client.delete(f"{url}/{granted}", headers=owner).status_code == 204
    assert client.delete(f"{url}/{granted}", headers=owner).status_code == 404  # gone
    edit = client.patch(
        f"{API}/organisations/{unit}", json={"contact_name": "王"}, headers=colleague
    )
    assert edit.status_code == 403

    last = client.delete(f"{url}/{own_grant}", headers=owner)
    assert last.status_code == 409, last.text
    assert last.json()["code"] == "last_unit_organiser"
    assert (
        "仅有的组织者" in last.json()["detail"] and _email(client, owner) in last.json()["detail"]
    )
    english = _in_english(client, "DELETE", f"{url}/{own_grant}", owner)
    assert english.status_code == 409
    assert "this unit's last organiser" in english.json()["detail"]
    assert {h["id"] for h in client.get(url, headers=owner).json()} == {own_grant}

    audited = _audited(client, organiser)
    colleague_id = me(client, colleague)
    assert ("role.grant", "organisation", unit, "organiser", colleague_id) in audited
    assert ("role.revoke", "organisation", unit, "organiser", colleague_id) in audited
    assert ("role.revoke", "organisation", unit, "organiser", me(client, owner)) not in audited


def test_list_roles_revoked_by_the_lists_organisers(
    client: TestClient, organiser: dict[str, str], make_user: Maker
) -> None:
    reviewer, co, outsider = make_user(), make_user(), make_user()
    ids = publish_list_with_item(client, organiser, None)
    url = f"{API}/challenge-lists/{ids['list']}/roles"
    review = _grant(client, url, reviewer, "reviewer", organiser)
    co_grant = _grant(client, url, co, "organiser", organiser)

    assert client.delete(f"{url}/{review}", headers=reviewer).status_code == 403
    assert client.delete(f"{url}/{review}", headers=outsider).status_code == 403
    assert client.delete(f"{url}/{review}", headers=co).status_code == 204
    assert {h["id"] for h in client.get(url, headers=co).json()} == {co_grant}
    # a list has no floor: the platform's organisers run it still
    assert client.delete(f"{url}/{co_grant}", headers=co).status_code == 204
    assert client.get(url, headers=co).status_code == 403
    assert client.get(url, headers=organiser).json() == []

    audited = _audited(client, organiser)
    assert ("role.revoke", "challenge_list", ids["list"], "reviewer", me(client, reviewer)) in (
        audited
    )
    assert ("role.revoke", "challenge_list", ids["list"], "organiser", me(client, co)) in audited
    assert ("role.grant", "challenge_list", ids["list"], "reviewer", me(client, reviewer)) in (
        audited
    )


def test_platform_roles_keep_an_administrator_and_nobody_locks_themselves_out(
    client: TestClient, db: Session, organiser: dict[str, str], make_user: Maker
) -> None:
    admin, second, newcomer = make_user(name="甲管理员"), make_user(), make_user()
    db.add(
        RoleGrant(
            user_id=me(client, admin), role=ScopedRole.platform_admin, scope_kind=ScopeKind.platform
        )
    )
    db.commit()
    url = f"{API}/platform/roles"
    holders = {h["user_id"]: h["id"] for h in client.get(url, headers=admin).json()}
    admin_grant = holders[me(client, admin)]
    second_grant = _grant(client, url, second, "platform_admin", admin)
    organising = _grant(client, url, newcomer, "organiser", admin)
    unit = make_unit(client, newcomer, "新单位")
    unit_grant = client.get(f"{API}/organisations/{unit}/roles", headers=newcomer).json()[0]["id"]

    assert client.delete(f"{url}/{organising}", headers=organiser).status_code == 403
    assert client.delete(f"{url}/{unit_grant}", headers=admin).status_code == 404
    assert client.delete(f"{url}/{organising}", headers=admin).status_code == 204
    lst = {"year": 2033, "title_zh": "榜", "title_en": "L"}
    assert client.post(f"{API}/challenge-lists", json=lst, headers=newcomer).status_code == 403

    # another administrator remains, but this one would hold no platform role at all
    own = client.delete(f"{url}/{admin_grant}", headers=admin)
    assert own.status_code == 409 and own.json()["code"] == "own_last_platform_role"
    assert "平台管理员是您仅有的平台角色" in own.json()["detail"]
    english = _in_english(client, "DELETE", f"{url}/{admin_grant}", admin)
    assert (
        "The platform administrator role is your last platform role" in (english.json()["detail"])
    )
    # with a judge's platform role kept, they may step down as administrator
    _grant(client, url, admin, "judge", admin)
    assert client.delete(f"{url}/{second_grant}", headers=admin).status_code == 204
    last = client.delete(f"{url}/{admin_grant}", headers=admin)
    assert last.status_code == 409 and last.json()["code"] == "last_platform_admin"
    assert "甲管理员" in last.json()["detail"] and "仅有的管理员" in last.json()["detail"]
    english = _in_english(client, "DELETE", f"{url}/{admin_grant}", admin)
    assert "is the platform's last administrator" in english.json()["detail"]
    assert client.get(url, headers=admin).status_code == 200  # still in charge

    audited = _audited(client, organiser)
    assert ("role.revoke", "platform", 0, "organiser", me(client, newcomer)) in audited
    assert ("role.revoke", "platform", 0, "platform_admin", me(client, second)) in audited
    assert ("role.grant", "platform", 0, "platform_admin", me(client, second)) in audited
    assert not {a for a in audited if a[0] == "role.revoke" and a[4] == me(client, admin)}
