"""Organisation, challenge-list and platform roles are granted by e-mail, as contest roles are.

`user_id` keeps working for older clients (an unknown one is a 404); an unknown address is a
422 on `email` naming it, in the organiser's locale; the grant is announced as before
(role.granted) and the holders are listed with names and e-mails.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlmodel import Session

from jiebang.core import domain_events
from jiebang.core.domain_events import DomainEvent
from jiebang.organisations.models import RoleGrant, ScopedRole, ScopeKind
from tests.organisations.helpers import make_unit, me, publish_list_with_item

Maker = Callable[..., dict[str, str]]


def _email(client: TestClient, headers: dict[str, str]) -> str:
    return str(client.get("/api/v1/auth/me", headers=headers).json()["email"])


def _refuses_unknown_address(client: TestClient, url: str, role: str, by: dict[str, str]) -> None:
    unknown = client.post(url, json={"email": "nobody@example.org", "role": role}, headers=by)
    assert unknown.status_code == 422, unknown.text
    detail = unknown.json()["detail"][0]
    assert detail["loc"] == ["body", "email"] and "nobody@example.org" in detail["msg"]
    assert "没有以邮箱" in detail["msg"]  # zh-CN by default
    client.patch("/api/v1/auth/me", json={"locale": "en"}, headers=by)
    english = client.post(url, json={"email": "nobody@example.org", "role": role}, headers=by)
    client.patch("/api/v1/auth/me", json={"locale": "zh-CN"}, headers=by)
    assert (
        "No account is registered with the e-mail nobody@example.org"
        in (english.json()["detail"][0]["msg"])
    )
    empty = client.post(url, json={"role": role}, headers=by)
    assert empty.status_code == 422 and empty.json()["detail"][0]["loc"] == ["body", "email"]
    assert client.post(url, json={"user_id": 987654, "role": role}, headers=by).status_code == 404


def test_unit_organiser_granted_by_email(client: TestClient, make_user: Maker) -> None:
    owner, colleague, older, outsider = make_user(), make_user(), make_user(), make_user()
    unit = make_unit(client, owner, "授权单位")
    announced: list[DomainEvent] = []

    def heard(events: list[DomainEvent]) -> None:
        announced.extend(e for e in events if e.kind == "role.granted")

    domain_events.listen(heard)
    try:
        _grant_unit_organisers(client, unit, owner, colleague, older, outsider)
    finally:
        domain_events.unlisten(heard)
    assert {e.data["user_id"] for e in announced} == {me(client, colleague), me(client, older)}


def _grant_unit_organisers(
    client: TestClient,
    unit: int,
    owner: dict[str, str],
    colleague: dict[str, str],
    older: dict[str, str],
    outsider: dict[str, str],
) -> None:
    url = f"/api/v1/organisations/{unit}/roles"
    granted = client.post(
        url, json={"email": _email(client, colleague).upper(), "role": "organiser"}, headers=owner
    )
    assert granted.status_code == 201, granted.text
    body = granted.json()
    assert body["user_id"] == me(client, colleague) and body["email"] == _email(client, colleague)
    assert (body["scope_kind"], body["scope_id"], body["role"]) == (
        "organisation",
        unit,
        "organiser",
    )
    # the new organiser edits the unit at once
    edited = client.patch(
        f"/api/v1/organisations/{unit}", json={"contact_name": "王"}, headers=colleague
    )
    assert edited.status_code == 200
    # user_id still works
    by_id = client.post(
        url, json={"user_id": me(client, older), "role": "organiser"}, headers=owner
    )
    assert by_id.status_code == 201 and by_id.json()["email"] == _email(client, older)
    _refuses_unknown_address(client, url, "organiser", owner)
    not_here = client.post(
        url, json={"email": _email(client, outsider), "role": "judge"}, headers=owner
    )
    assert not_here.status_code == 422
    refused = client.post(
        url, json={"email": _email(client, outsider), "role": "organiser"}, headers=outsider
    )
    assert refused.status_code == 403
    listed = client.get(url, headers=owner).json()
    assert {h["email"] for h in listed} == {
        _email(client, owner),
        _email(client, colleague),
        _email(client, older),
    }
    assert all(h["display_name"] for h in listed)


def test_list_roles_granted_by_email(
    client: TestClient, organiser: dict[str, str], make_user: Maker
) -> None:
    reviewer, co = make_user(), make_user()
    ids = publish_list_with_item(client, organiser, None)
    url = f"/api/v1/challenge-lists/{ids['list']}/roles"
    granted = client.post(
        url, json={"email": _email(client, reviewer), "role": "reviewer"}, headers=organiser
    )
    assert granted.status_code == 201, granted.text
    assert granted.json()["scope_kind"] == "challenge_list"
    co_grant = client.post(
        url, json={"email": _email(client, co), "role": "organiser"}, headers=organiser
    )
    assert co_grant.status_code == 201
    _refuses_unknown_address(client, url, "reviewer", organiser)
    assert client.get(url, headers=reviewer).status_code == 403
    assert {(h["email"], h["role"]) for h in client.get(url, headers=co).json()} == {
        (_email(client, reviewer), "reviewer"),
        (_email(client, co), "organiser"),
    }


def test_platform_roles_granted_by_email(
    client: TestClient, db: Session, organiser: dict[str, str], make_user: Maker
) -> None:
    admin, newcomer = make_user(), make_user()
    db.add(
        RoleGrant(
            user_id=me(client, admin), role=ScopedRole.platform_admin, scope_kind=ScopeKind.platform
        )
    )
    db.commit()
    url = "/api/v1/platform/roles"
    body = {"email": _email(client, newcomer), "role": "organiser"}
    assert client.post(url, json=body, headers=organiser).status_code == 403
    assert client.get(url, headers=organiser).status_code == 403
    granted = client.post(url, json=body, headers=admin)
    assert granted.status_code == 201, granted.text
    assert granted.json()["email"] == _email(client, newcomer)
    _refuses_unknown_address(client, url, "organiser", admin)
    created = client.post(
        "/api/v1/challenge-lists",
        json={"year": 2032, "title_zh": "榜", "title_en": "L"},
        headers=newcomer,
    )
    assert created.status_code == 201, created.text
    held = {(h["email"], h["role"]) for h in client.get(url, headers=admin).json()}
    assert (_email(client, newcomer), "organiser") in held
