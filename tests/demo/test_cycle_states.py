"""The demo's 揭榜 cycle items: open, under review (checked and scored), in public notice."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from jiebang.demo import cycle_states, seed
from jiebang.main import create_app


def test_one_item_in_each_early_state_and_idempotent(platform_env: None, db: Session) -> None:
    users = {email: seed._user(db, email, name, role) for email, name, role in seed.USERS}
    client = TestClient(create_app())
    first = list(cycle_states.seed(client, users, seed._user, seed._auth))
    assert first == ["揭榜 cycle items: AV2025-01 (open), AV2025-02 (review), AV2025-03 (notice)"]
    organiser = seed._auth(users["organiser@demo.jiebang.org"])
    lists = client.get("/api/v1/challenge-lists").json()
    [cycle] = [x for x in lists if x["year"] == cycle_states.YEAR]
    assert cycle["status"] == "published"
    items = {
        i["code"]: i for i in client.get(f"/api/v1/challenge-lists/{cycle['id']}/items").json()
    }

    def apps(code: str) -> list[dict[str, object]]:
        url = f"/api/v1/challenge-items/{items[code]['id']}/applications"
        return client.get(url, headers=organiser).json()

    assert apps("AV2025-01") == []  # open: taking applications
    review = apps("AV2025-02")
    assert [a["status"] for a in review] == ["complete", "complete"]
    ranking = client.get(
        f"/api/v1/challenge-items/{items['AV2025-02']['id']}/ranking", headers=organiser
    ).json()
    assert [r["reviewers"] for r in ranking] == [3, 3]
    assert ranking[0]["total"] > ranking[1]["total"] and ranking[1]["flagged"]
    notice = client.get(f"/api/v1/challenge-items/{items['AV2025-03']['id']}/notice").json()
    assert (
        notice["status"] == "in_notice" and notice["appointee_en"] == "Xiangjiang Intelligence Lab"
    )
    assert len(notice["objections"]) == 1 and notice["objections"][0]["has_document"]
    assert not notice["objections"][0]["answered_at"]
    assert [n["item_code"] for n in client.get("/api/v1/notices").json()] == ["AV2025-03"]

    again = list(cycle_states.seed(client, users, seed._user, seed._auth))
    assert again == ["揭榜 cycle items already seeded (open, under review, in public notice)"]
    assert len(client.get(f"/api/v1/challenge-lists/{cycle['id']}/items").json()) == 3
    assert len(apps("AV2025-02")) == 2
