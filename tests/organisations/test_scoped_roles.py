"""Organisations and roles held in a scope: one check per endpoint and scope."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlmodel import Session

from jiebang.organisations.models import RoleGrant, ScopedRole, ScopeKind

from .helpers import VALID_CODE, make_unit, me, publish_list_with_item

Maker = Callable[..., dict[str, str]]


def test_credit_code_checked_when_given(client: TestClient, participant: dict[str, str]) -> None:
    assert make_unit(client, participant, "甲公司", VALID_CODE.lower())
    bad = client.post(
        "/api/v1/organisations",
        json={
            "name_zh": "乙",
            "name_en": "B",
            "org_type": "university",
            "credit_code": "91350100M000100Y44",
        },
        headers=participant,
    )
    assert bad.status_code == 422
    detail = bad.json()["detail"][0]
    assert detail["loc"] == ["body", "credit_code"]
    assert "统一社会信用代码" in detail["msg"]  # the user's locale (zh-CN by default)
    taken = client.post(
        "/api/v1/organisations",
        json={"name_zh": "丙", "name_en": "C", "org_type": "other", "credit_code": VALID_CODE},
        headers=participant,
    )
    assert taken.status_code == 409
    assert make_unit(client, participant, "无代码单位")  # the code is optional
    listed = client.get("/api/v1/organisations").json()
    assert {o["name_zh"] for o in listed} == {"甲公司", "无代码单位"}
    assert listed[0]["credit_code"] in (VALID_CODE, None)


def test_item_edits_by_scope(
    client: TestClient, organiser: dict[str, str], make_user: Maker
) -> None:
    own, other, outsider = make_user(), make_user(), make_user()
    unit_a = make_unit(client, own, "发榜单位甲")
    unit_b = make_unit(client, other, "发榜单位乙")
    ids = publish_list_with_item(client, organiser, unit_a)
    item_url = f"/api/v1/challenge-items/{ids['item']}"
    edit = {"title_en": "Codec, edited"}
    assert client.patch(item_url, json=edit, headers=own).status_code == 200  # own unit
    assert client.patch(item_url, json=edit, headers=other).status_code == 403  # other unit
    assert client.patch(item_url, json=edit, headers=outsider).status_code == 403
    assert client.patch(item_url, json=edit, headers=organiser).status_code == 200  # platform
    # moving the item to a unit one does not organise is refused too
    moved = client.patch(item_url, json={"issuing_unit_id": unit_b}, headers=own)
    assert moved.status_code == 403

    new_item = {
        "code": "AV-02",
        "title_zh": "修复",
        "title_en": "Restoration",
        "category": "restoration",
        "application_deadline": "2030-01-01T18:00:00",
    }
    lst = f"/api/v1/challenge-lists/{ids['list']}/items"
    refused = client.post(lst, json=new_item | {"issuing_unit_id": unit_a}, headers=other)
    assert refused.status_code == 403
    assert client.post(lst, json=new_item, headers=other).status_code == 403  # no unit at all
    added = client.post(lst, json=new_item | {"issuing_unit_id": unit_b}, headers=other)
    assert added.status_code == 201, added.text
    # a deadline without an offset is read in the list's time zone (Asia/Shanghai)
    assert added.json()["application_deadline"].startswith("2030-01-01T18:00:00+08:00")
    assert added.json()["deadline_timezone"] == "Asia/Shanghai"
    # list-wide actions stay with the list's organisers
    status_url = f"/api/v1/challenge-lists/{ids['list']}/status"
    assert client.put(status_url, json={"status": "closed"}, headers=own).status_code == 403


def test_list_reviewer_and_unit_members(
    client: TestClient, organiser: dict[str, str], make_user: Maker
) -> None:
    own, reviewer, unassigned = make_user(), make_user(), make_user()
    unit = make_unit(client, own, "发榜单位")
    ids = publish_list_with_item(client, organiser, unit)
    apps_url = f"/api/v1/challenge-items/{ids['item']}/applications"
    assert client.get(apps_url, headers=reviewer).status_code == 403
    grant = client.post(
        f"/api/v1/challenge-lists/{ids['list']}/roles",
        json={"user_id": me(client, reviewer), "role": "reviewer"},
        headers=organiser,
    )
    assert grant.status_code == 201, grant.text
    assert client.get(apps_url, headers=reviewer).status_code == 200  # assigned
    assert client.get(apps_url, headers=unassigned).status_code == 403  # unassigned
    assert client.get(apps_url, headers=own).status_code == 200  # the issuing unit
    # a reviewer cannot grant roles in the list, nor make themselves a judge
    again = client.post(
        f"/api/v1/challenge-lists/{ids['list']}/roles",
        json={"user_id": me(client, unassigned), "role": "reviewer"},
        headers=reviewer,
    )
    assert again.status_code == 403
    bad_role = client.post(
        f"/api/v1/challenge-lists/{ids['list']}/roles",
        json={"user_id": me(client, unassigned), "role": "judge"},
        headers=organiser,
    )
    assert bad_role.status_code == 422 and bad_role.json()["detail"][0]["loc"] == ["body", "role"]
    # membership: the unit's organiser manages it; others cannot see it
    members = f"/api/v1/organisations/{unit}/members"
    assert (
        client.post(members, json={"user_id": me(client, unassigned)}, headers=own).status_code
        == 204
    )
    assert len(client.get(members, headers=own).json()) == 2
    assert client.get(members, headers=reviewer).status_code == 403
    mine = client.get("/api/v1/me/roles", headers=reviewer).json()
    assert [(r["role"], r["scope_kind"], r["scope_id"]) for r in mine] == [
        ("reviewer", "challenge_list", ids["list"])
    ]


def test_contest_judges_and_platform_roles(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    judge: dict[str, str],
    make_user: Maker,
    published_contest: dict[str, int],
) -> None:
    unit_organiser, assigned = make_user(), make_user()
    make_unit(client, unit_organiser, "某单位")
    roles = f"/api/v1/contests/{published_contest['contest']}/roles"
    body = {"user_id": me(client, assigned), "role": "judge"}
    assert client.post(roles, json=body, headers=unit_organiser).status_code == 403
    assert client.post(roles, json=body, headers=judge).status_code == 403  # judges don't assign
    assert client.post(roles, json=body, headers=organiser).status_code == 201
    held = client.get(roles, headers=organiser).json()
    assert [(r["user_id"], r["role"]) for r in held] == [(body["user_id"], "judge")]
    # platform roles: only a platform administrator hands them out
    platform = {"user_id": me(client, assigned), "role": "organiser"}
    assert (
        client.post("/api/v1/platform/roles", json=platform, headers=organiser).status_code == 403
    )
    admin = make_user()
    db.add(
        RoleGrant(
            user_id=me(client, admin),
            role=ScopedRole.platform_admin,
            scope_kind=ScopeKind.platform,
        )
    )
    db.commit()
    assert client.post("/api/v1/platform/roles", json=platform, headers=admin).status_code == 201
    # the new platform organiser may now create lists
    created = client.post(
        "/api/v1/challenge-lists",
        json={"year": 2031, "title_zh": "榜", "title_en": "L"},
        headers=assigned,
    )
    assert created.status_code == 201, created.text


def test_a_null_field_in_an_edit_leaves_it_as_is(
    client: TestClient, participant: dict[str, str]
) -> None:
    # Found by the fuzzer: PATCH {"contact_name": null} reached the database as NULL (a 500).
    unit = make_unit(client, participant, "丁公司")
    url = f"/api/v1/organisations/{unit}"
    edited = client.patch(
        url,
        json={"contact_name": None, "contact_phone": None, "name_en": "D Ltd"},
        headers=participant,
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["name_en"] == "D Ltd"
    assert edited.json()["contact_name"] == ""
