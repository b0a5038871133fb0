"""The demo leaves one 揭榜 item appointed with a reported milestone and one accepted, and
seeding again changes neither."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from jiebang.acceptance.models import AcceptanceDecision, MilestoneReport, ReportVerdict
from jiebang.auth.models import User
from jiebang.demo import acceptance_states, seed
from jiebang.main import create_app
from tests.platform.conftest import login


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_demo_has_an_appointed_and_an_accepted_item(
    platform_env: None, db: Session, tmp_path: Path
) -> None:
    lines = list(seed.run(var_dir=tmp_path / "var"))
    assert "acceptance demo: AV2023-01 accepted (验收)" in lines, lines
    assert any("AV2023-02 appointed, mid-term report submitted" in line for line in lines)
    users = {u.email: u for u in db.exec(select(User))}
    again = list(acceptance_states.seed(users=users, password=seed.PASSWORD))
    assert "acceptance demo: AV2023-01 already accepted" in again
    assert "acceptance demo: AV2023-02 already has its milestones" in again
    assert len(db.exec(select(AcceptanceDecision)).all()) == 1
    assert len(db.exec(select(MilestoneReport)).all()) == 2
    assert len(db.exec(select(ReportVerdict)).all()) == 1

    client = TestClient(create_app())
    lists = {lst["year"]: lst for lst in client.get("/api/v1/challenge-lists").json()}
    items = {
        i["code"]: i
        for i in client.get(f"/api/v1/challenge-lists/{lists[2023]['id']}/items").json()
    }
    expert = login(client, acceptance_states.EXPERT[0], seed.PASSWORD)
    appointed = client.get(
        f"/api/v1/challenge-items/{items['AV2023-02']['id']}/acceptance", headers=expert
    )
    assert appointed.status_code == 200, appointed.text
    room = appointed.json()
    assert room["decision"] is None and room["may_review"] is True
    assert room["milestones"][0]["reports"][0]["verdicts"] == []  # the expert's next step
    organiser = login(client, "organiser@demo.jiebang.org", seed.PASSWORD)
    desk = client.get(
        f"/api/v1/challenge-items/{items['AV2023-01']['id']}/acceptance/desk", headers=organiser
    )
    assert desk.status_code == 200, desk.text
    assert desk.json()["decision"]["outcome"] == "accepted" and desk.json()["all_targets_met"]
    fame = [e for e in client.get("/api/v1/hall-of-fame").json() if e["kind"] == "challenge"]
    assert [e["item_id"] for e in fame] == [items["AV2023-01"]["id"]]
