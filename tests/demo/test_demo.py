"""`jiebang demo` end to end: data, import, baselines scored on all four tracks, the finished
2023 edition (published with awards, hall of fame, an awarded 揭榜 item), idempotent."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from jiebang.demo import seed
from jiebang.evaluation.models import Score
from jiebang.main import create_app
from jiebang.submissions.models import Submission


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_demo_seeds_scored_baselines(platform_env: None, db: Session, tmp_path: Path) -> None:
    lines = list(seed.run(var_dir=tmp_path / "var"))
    assert any("scored 12 evaluation job(s)" in line for line in lines), lines
    assert "2023 edition: published the final results of 2 phase(s)" in lines
    assert "2023 edition: challenge item AV2023-01 awarded (挂帅)" in lines
    subs = list(db.exec(select(Submission)))
    assert len(subs) == 18 and {s.status for s in subs} == {"scored"}, [
        (s.status, s.failure_message) for s in subs
    ]
    assert len(list(db.exec(select(Score)))) == 18
    table = [line for line in lines if "达标" in line]
    assert any("not met" in line for line in table) and any(" met /" in line for line in table)
    assert any("organiser@demo.jiebang.org" in line for line in lines)
    again = list(seed.run(var_dir=tmp_path / "var"))
    assert "demo bundle already imported" in again and "baselines already submitted" in again
    assert "2023 edition already published" in again
    assert not any("awarded" in line or "sample" in line for line in again)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_demo_shows_a_whole_contest_year(platform_env: None, tmp_path: Path) -> None:
    list(seed.run(var_dir=tmp_path / "var"))
    client = TestClient(create_app())
    contests = {c["slug"]: c for c in client.get("/api/v1/contests").json()}
    assert contests["malanshan-demo"]["stage"] == "running"
    assert contests["malanshan-2023"]["stage"] == "past"
    past = contests["malanshan-2023"]
    track = client.get(f"/api/v1/contests/{past['id']}/tracks").json()[0]
    phase = client.get(f"/api/v1/tracks/{track['id']}/phases").json()[0]
    assert phase["stage"] == "past" and phase["published_at"] and phase["can_publish"]
    board = client.get(f"/api/v1/phases/{phase['id']}/leaderboard?split=private").json()
    assert board["published"] and board["tie_rule_en"] and len(board["rows"]) == 3
    assert [r["award_zh"] for r in board["rows"]] == ["一等奖", "二等奖", "三等奖"]
    assert board["rows"][0]["award_prize"] == "¥100,000" and all(
        r["verified"] for r in board["rows"]
    )
    fame = client.get("/api/v1/hall-of-fame").json()
    assert {e["kind"] for e in fame} == {"contest", "challenge"} and len(fame) == 7
    # the running edition: publishing waits for the end; each track has a sample that downloads
    running = contests["malanshan-demo"]
    for track in client.get(f"/api/v1/contests/{running['id']}/tracks").json():
        phase = client.get(
            f"/api/v1/tracks/{track['id']}/phases", headers={"Accept-Language": "zh-CN"}
        ).json()[0]
        assert not phase["can_publish"] and "2030-12-31" in phase["publish_blocked_reason"]
        data = client.get(f"/api/v1/tracks/{track['id']}/data").json()
        assert data["layout"] and data["files"]
        sample = data["sample"]
        assert (
            sample["command"]
            == f"jiebang submit malanshan-demo/{track['slug']} {sample['filename']}"
        )
        body = client.get(sample["url"]).content
        assert hashlib.sha256(body).hexdigest() == sample["sha256"]
