"""A reviewer declares a conflict of interest (利益冲突申报) and recuses themselves from an item."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.organisations.helpers import apply_as_unit, make_unit, me, publish_list_with_item
from tests.reviews.test_expert_review import RUBRIC, _sheet

Maker = Callable[..., dict[str, str]]


def test_declared_conflict_recuses_the_reviewer(
    client: TestClient, organiser: dict[str, str], make_user: Maker
) -> None:
    issuer, applicant = make_user(), make_user()
    recusing, scorer = make_user(name="回避专家"), make_user()
    issuing = make_unit(client, issuer, "发榜单位")
    unit = make_unit(client, applicant, "揭榜单位丙")
    ids = publish_list_with_item(client, organiser, issuing)
    rubric = client.put(
        f"/api/v1/challenge-lists/{ids['list']}/rubric", json=RUBRIC, headers=organiser
    )
    crit = [c["id"] for c in rubric.json()["criteria"]]
    app = apply_as_unit(client, applicant, ids["item"], unit).json()
    client.put(
        f"/api/v1/applications/{app['id']}/formal-check", json={"complete": True}, headers=issuer
    )
    reviewers_url = f"/api/v1/challenge-items/{ids['item']}/reviewers"
    for expert in (recusing, scorer):
        assert (
            client.post(
                reviewers_url, json={"user_id": me(client, expert)}, headers=issuer
            ).status_code
            == 201
        )
    declare_url = f"/api/v1/challenge-items/{ids['item']}/conflict-declarations"
    review_url = f"/api/v1/applications/{app['id']}/my-review"

    # a draft does not stop the declaration; a unit that did not apply, or no reason, is a 422
    client.put(review_url, json=_sheet(crit, 60, 30, submit=False), headers=recusing)
    no_reason = client.post(
        declare_url, json={"organisation_id": unit, "reason": ""}, headers=recusing
    )
    assert no_reason.status_code == 422 and no_reason.json()["detail"][0]["loc"][-1] == "reason"
    stranger = client.post(
        declare_url,
        json={"organisation_id": issuing, "reason": "曾任职"},
        headers={**recusing, "Accept-Language": "zh-CN"},
    )
    assert stranger.status_code == 422
    assert stranger.json()["detail"][0]["loc"] == ["body", "organisation_id"]
    assert "未申报" in stranger.json()["detail"][0]["msg"]
    assert client.post(declare_url, json={"reason": "x"}, headers=applicant).status_code == 403

    done = client.post(
        declare_url,
        json={"organisation_id": unit, "reason": "近三年与该单位合作项目"},
        headers=recusing,
    )
    assert done.status_code == 204, done.text
    names = [r["display_name"] for r in client.get(reviewers_url, headers=issuer).json()]
    assert "回避专家" not in names and len(names) == 1
    assert client.put(review_url, json=_sheet(crit, 60, 30), headers=recusing).status_code == 403
    assert client.get(f"/api/v1/applications/{app['id']}/reviews", headers=issuer).json() == []
    audit = client.get("/api/v1/judge/audit", headers=organiser).json()
    entry = next(e for e in audit if e["action"] == "reviewer.recused")
    assert entry["reason"] == "近三年与该单位合作项目"
    assert entry["details"] == {"item_id": ids["item"], "organisation_id": unit}

    # once a sheet is handed in, the declaration is refused (the sheet already counts)
    assert client.put(review_url, json=_sheet(crit, 80, 40), headers=scorer).status_code == 200
    late = client.post(declare_url, json={"reason": "发现合作关系"}, headers=scorer)
    assert late.status_code == 409 and late.json()["code"] == "conflict_after_scoring"
    assert len(client.get(reviewers_url, headers=issuer).json()) == 1
