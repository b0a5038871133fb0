"""Organisers name people by e-mail: a unit's new member and an item's reviewer.

`user_id` keeps working for older clients; an unknown address is a 422 on `email` in the
organiser's locale; the conflict refusal still names the applying unit.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.organisations.helpers import apply_as_unit, make_unit, me, publish_list_with_item

Maker = Callable[..., dict[str, str]]


def _email(client: TestClient, headers: dict[str, str]) -> str:
    return str(client.get("/api/v1/auth/me", headers=headers).json()["email"])


def test_member_added_by_email(client: TestClient, make_user: Maker) -> None:
    owner, newcomer, older, outsider = make_user(), make_user(), make_user(), make_user()
    unit = make_unit(client, owner, "邮箱单位")
    members = f"/api/v1/organisations/{unit}/members"

    # the address as typed, in another case: the stored one is case-folded
    added = client.post(members, json={"email": _email(client, newcomer).upper()}, headers=owner)
    assert added.status_code == 204, added.text
    listed = client.get(members, headers=owner).json()
    assert {m["email"] for m in listed} == {_email(client, owner), _email(client, newcomer)}
    assert (
        client.post(members, json={"email": _email(client, newcomer)}, headers=owner).status_code
        == 204
    )
    assert len(client.get(members, headers=owner).json()) == 2  # adding twice changes nothing

    # the numeric id still works (API compatibility), and an unknown one is still a 404
    by_id = client.post(members, json={"user_id": me(client, older)}, headers=owner)
    assert by_id.status_code == 204
    assert client.post(members, json={"user_id": 987654}, headers=owner).status_code == 404
    assert len(client.get(members, headers=owner).json()) == 3

    unknown = client.post(members, json={"email": "nobody@example.org"}, headers=owner)
    assert unknown.status_code == 422
    detail = unknown.json()["detail"][0]
    assert detail["loc"] == ["body", "email"] and "nobody@example.org" in detail["msg"]
    assert "没有以邮箱" in detail["msg"]  # the organiser's locale: zh-CN by default
    client.patch("/api/v1/auth/me", json={"locale": "en"}, headers=owner)
    english = client.post(members, json={"email": "nobody@example.org"}, headers=owner)
    assert "No account is registered" in english.json()["detail"][0]["msg"]

    malformed = client.post(members, json={"email": "not-an-address"}, headers=owner)
    assert malformed.status_code == 422 and malformed.json()["detail"][0]["loc"] == [
        "body",
        "email",
    ]
    empty = client.post(members, json={}, headers=owner)
    assert empty.status_code == 422 and empty.json()["detail"][0]["loc"] == ["body", "email"]
    assert "e-mail" in empty.json()["detail"][0]["msg"]

    # someone who does not organise the unit learns nothing about who has an account
    assert (
        client.post(members, json={"email": "nobody@example.org"}, headers=outsider).status_code
        == 403
    )
    assert len(client.get(members, headers=owner).json()) == 3


def test_reviewer_assigned_by_email(
    client: TestClient, organiser: dict[str, str], make_user: Maker
) -> None:
    issuer, applicant, expert, old_client, outsider = (make_user() for _ in range(5))
    issuing = make_unit(client, issuer, "发榜单位")
    applying = make_unit(client, applicant, "揭榜单位丙")
    ids = publish_list_with_item(client, organiser, issuing)
    apply_as_unit(client, applicant, ids["item"], applying)
    reviewers = f"/api/v1/challenge-items/{ids['item']}/reviewers"

    assigned = client.post(reviewers, json={"email": _email(client, expert)}, headers=issuer)
    assert assigned.status_code == 201, assigned.text
    assert [r["reviewer_id"] for r in assigned.json()] == [me(client, expert)]
    roles = client.get("/api/v1/me/roles", headers=expert).json()
    assert {"role": "reviewer", "scope_kind": "challenge_item", "scope_id": ids["item"]} in [
        {k: g[k] for k in ("role", "scope_kind", "scope_id")} for g in roles
    ]
    by_id = client.post(reviewers, json={"user_id": me(client, old_client)}, headers=issuer)
    assert by_id.status_code == 201 and len(by_id.json()) == 2

    unknown = client.post(reviewers, json={"email": "ghost@example.org"}, headers=issuer)
    assert unknown.status_code == 422
    detail = unknown.json()["detail"][0]
    assert detail["loc"] == ["body", "email"] and "ghost@example.org" in detail["msg"]
    assert "没有以邮箱" in detail["msg"]
    client.patch("/api/v1/auth/me", json={"locale": "en"}, headers=issuer)
    english = client.post(reviewers, json={"email": "ghost@example.org"}, headers=issuer)
    assert "No account is registered" in english.json()["detail"][0]["msg"]
    assert client.post(reviewers, json={}, headers=issuer).json()["detail"][0]["loc"] == [
        "body",
        "email",
    ]

    # a member of the applying unit, named by e-mail, is still refused, naming the unit
    conflicted = make_user(name="利益相关专家")
    client.post(
        f"/api/v1/organisations/{applying}/members",
        json={"email": _email(client, conflicted)},
        headers=applicant,
    )
    client.patch("/api/v1/auth/me", json={"locale": "zh-CN"}, headers=issuer)
    refused = client.post(reviewers, json={"email": _email(client, conflicted)}, headers=issuer)
    assert refused.status_code == 409
    assert "揭榜单位丙" in refused.json()["detail"] and "利益相关专家" in refused.json()["detail"]

    assert (
        client.post(reviewers, json={"email": _email(client, expert)}, headers=outsider).status_code
        == 403
    )
    assert len(client.get(reviewers, headers=issuer).json()) == 2
