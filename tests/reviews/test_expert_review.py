"""Expert review: rubric checks, conflict refusals naming the unit, blind sheets, the ranking."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from jiebang.reviews.models import Aggregation
from jiebang.reviews.service import aggregate
from tests.organisations.helpers import apply_as_unit, make_unit, me, publish_list_with_item

Maker = Callable[..., dict[str, str]]
RUBRIC: dict[str, Any] = {
    "aggregation": "mean",
    "spread_threshold": 15,
    "criteria": [
        {"name_zh": "技术方案", "name_en": "Technical approach", "weight": 60},
        {"name_zh": "团队能力", "name_en": "Team", "weight": 40, "max_score": 50},
    ],
}


def _sheet(c: list[int], a: float, b: float, submit: bool = True) -> dict[str, Any]:
    return {
        "scores": [
            {"criterion_id": c[0], "score": a, "comment": "方案可行"},
            {"criterion_id": c[1], "score": b, "comment": "团队较强"},
        ],
        "submit": submit,
    }


def test_review_cycle(client: TestClient, organiser: dict[str, str], make_user: Maker) -> None:
    issuer, app_a, app_b, outsider = make_user(), make_user(), make_user(), make_user()
    experts = [make_user() for _ in range(3)]
    issuing = make_unit(client, issuer, "发榜单位")
    unit_a = make_unit(client, app_a, "揭榜单位甲")
    unit_b = make_unit(client, app_b, "揭榜单位乙")
    ids = publish_list_with_item(client, organiser, issuing)
    rubric_url = f"/api/v1/challenge-lists/{ids['list']}/rubric"

    bad = client.put(
        rubric_url,
        json=RUBRIC | {"criteria": [dict(RUBRIC["criteria"][0], weight=50), RUBRIC["criteria"][1]]},
        headers=organiser,
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "criteria"]
    assert "90%" in bad.json()["detail"][0]["msg"] and "100%" in bad.json()["detail"][0]["msg"]
    assert client.put(rubric_url, json=RUBRIC, headers=issuer).status_code == 403  # list-wide
    rubric = client.put(rubric_url, json=RUBRIC, headers=organiser)
    assert rubric.status_code == 200, rubric.text
    crit = [c["id"] for c in rubric.json()["criteria"]]

    first = apply_as_unit(client, app_a, ids["item"], unit_a).json()
    second = apply_as_unit(client, app_b, ids["item"], unit_b).json()
    for app in (first, second):
        checked = client.put(
            f"/api/v1/applications/{app['id']}/formal-check",
            json={"complete": True},
            headers=issuer,
        )
        assert checked.status_code == 200

    # a member of an applying unit is refused, and the refusal names the unit
    conflicted = make_user(name="利益相关专家")
    client.post(
        f"/api/v1/organisations/{unit_b}/members",
        json={"user_id": me(client, conflicted)},
        headers=app_b,
    )
    reviewers_url = f"/api/v1/challenge-items/{ids['item']}/reviewers"
    refused = client.post(reviewers_url, json={"user_id": me(client, conflicted)}, headers=issuer)
    assert refused.status_code == 409
    assert "揭榜单位乙" in refused.json()["detail"] and "利益相关专家" in refused.json()["detail"]
    assert (
        client.post(
            reviewers_url, json={"user_id": me(client, experts[0])}, headers=outsider
        ).status_code
        == 403
    )
    for expert in experts:
        ok = client.post(reviewers_url, json={"user_id": me(client, expert)}, headers=issuer)
        assert ok.status_code == 201, ok.text
    assert len(client.get(reviewers_url, headers=issuer).json()) == 3

    review_a = f"/api/v1/applications/{first['id']}/my-review"
    out_of_scale = client.put(review_a, json=_sheet(crit, 80, 60), headers=experts[0])
    assert out_of_scale.status_code == 422
    detail = out_of_scale.json()["detail"][0]
    assert detail["loc"] == ["body", "scores.1.score"] and "团队能力" in detail["msg"]
    assert client.put(review_a, json=_sheet(crit, 80, 40), headers=outsider).status_code == 403
    incomplete = client.put(
        review_a,
        json={"scores": [{"criterion_id": crit[0], "score": 70}], "submit": True},
        headers=experts[0],
    )
    assert incomplete.status_code == 422

    # blind: expert 1 saves a draft and cannot see expert 0's submitted sheet
    done = client.put(review_a, json=_sheet(crit, 90, 45), headers=experts[0])
    assert done.status_code == 200 and done.json()["total"] == 90.0  # 54 + 36
    client.put(review_a, json=_sheet(crit, 60, 30, submit=False), headers=experts[1])
    sheets_url = f"/api/v1/applications/{first['id']}/reviews"
    seen = client.get(sheets_url, headers=experts[1]).json()
    assert [s["reviewer_id"] for s in seen] == [me(client, experts[1])]
    assert client.put(review_a, json=_sheet(crit, 60, 30), headers=experts[1]).status_code == 200
    seen = client.get(sheets_url, headers=experts[1]).json()
    assert len(seen) == 2
    assert len(client.get(sheets_url, headers=issuer).json()) == 2
    assert client.put(review_a, json=_sheet(crit, 10, 10), headers=experts[1]).status_code == 409
    client.put(review_a, json=_sheet(crit, 80, 40), headers=experts[2])
    for expert in experts:  # the second application: close agreement
        client.put(
            f"/api/v1/applications/{second['id']}/my-review",
            json=_sheet(crit, 70, 35),
            headers=expert,
        )

    ranking = client.get(f"/api/v1/challenge-items/{ids['item']}/ranking", headers=issuer)
    assert ranking.status_code == 200, ranking.text
    rows = ranking.json()
    assert [r["application_id"] for r in rows] == [first["id"], second["id"]]
    top = rows[0]
    assert top["reviewers"] == 3 and abs(top["total"] - 230 / 3) < 1e-9  # (90 + 60 + 80) / 3
    assert top["spread"] == 30.0 and top["flagged"]  # beyond the threshold of 15
    assert top["criteria"][0]["scores"] == [90.0, 60.0, 80.0]
    assert not rows[1]["flagged"] and rows[1]["spread"] == 0.0
    assert (
        client.get(f"/api/v1/challenge-items/{ids['item']}/ranking", headers=experts[0]).status_code
        == 403
    )

    # trimmed mean drops the highest and the lowest reviewer
    trimmed = client.put(
        rubric_url, json=RUBRIC | {"aggregation": "trimmed_mean"}, headers=organiser
    )
    assert trimmed.status_code == 200
    rows = client.get(f"/api/v1/challenge-items/{ids['item']}/ranking", headers=issuer).json()
    assert rows[0]["total"] == 80.0  # 60 and 90 dropped
    assert rows[0]["criteria"][0]["aggregate"] == 80.0
    reweighted = RUBRIC | {"criteria": [dict(c, weight=50) for c in RUBRIC["criteria"]]}
    in_use = client.put(rubric_url, json=reweighted, headers=organiser)
    assert in_use.status_code == 409 and in_use.json()["code"] == "rubric_in_use"
    assert aggregate([90.0, 60.0, 80.0], Aggregation.trimmed_mean) == 80.0
    assert aggregate([90.0, 60.0], Aggregation.trimmed_mean) == 75.0
