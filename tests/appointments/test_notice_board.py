"""The public-notice board: listed for anyone, signed in or not; objection documents for organisers."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.organisations.helpers import PDF, apply_as_unit, make_unit, publish_list_with_item

Maker = Callable[..., dict[str, str]]


def test_board_is_public_and_documents_are_the_organisers(
    client: TestClient, organiser: dict[str, str], make_user: Maker
) -> None:
    issuer, applicant, citizen = make_user(), make_user(), make_user()
    issuing = make_unit(client, issuer, "发榜单位")
    unit = make_unit(client, applicant, "揭榜单位")
    ids = publish_list_with_item(client, organiser, issuing)
    app = apply_as_unit(client, applicant, ids["item"], unit).json()
    client.put(
        f"/api/v1/applications/{app['id']}/formal-check", json={"complete": True}, headers=issuer
    )
    assert client.get("/api/v1/notices").json() == []
    notice_url = f"/api/v1/challenge-items/{ids['item']}/notice"
    assert client.get(notice_url).status_code == 404
    proposed = client.post(notice_url, json={"application_id": app["id"]}, headers=issuer)
    assert proposed.status_code == 201, proposed.text

    board = client.get("/api/v1/notices")  # no credentials
    assert board.status_code == 200
    [listed] = board.json()
    assert listed["item_id"] == ids["item"] and listed["appointee_zh"] == "揭榜单位"
    assert listed["reward_zh"] == "100 万元" and listed["status"] == "in_notice"
    assert client.get(notice_url).json()["application_id"] == app["id"]

    objected = client.post(
        f"{notice_url}/objections",
        data={"text": "材料存疑"},
        files={"document": ("evidence.pdf", PDF, "application/pdf")},
        headers=citizen,
    ).json()
    assert client.post(f"{notice_url}/objections", data={"text": "匿名"}).status_code == 401
    document_url = f"{notice_url}/objections/{objected['id']}/document"
    assert client.get(document_url, headers=citizen).status_code == 403
    fetched = client.get(document_url, headers=issuer)
    assert fetched.status_code == 200 and fetched.content == PDF
    assert client.get(f"{notice_url}/objections/999999/document", headers=issuer).status_code == 404
