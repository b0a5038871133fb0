"""The quota day is a calendar day in the contest's time zone; limits are stated and enforced."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from jiebang.submissions.quota import day_bounds

from .helpers import setup_phase, start, submit, team_headers


def test_day_bounds_follow_the_contest_time_zone() -> None:
    # 2024-05-01 17:30 UTC is already 2024-05-02 01:30 in Shanghai
    start_utc, end_utc = day_bounds(datetime(2024, 5, 1, 17, 30, tzinfo=UTC), "Asia/Shanghai")
    assert start_utc == datetime(2024, 5, 1, 16, 0, tzinfo=UTC)
    assert end_utc == datetime(2024, 5, 2, 16, 0, tzinfo=UTC)
    # a daylight-saving day in New York has 23 hours
    s, e = day_bounds(datetime(2024, 3, 10, 12, 0, tzinfo=UTC), "America/New_York")
    assert (e - s).total_seconds() == 23 * 3600


def test_daily_quota_refuses_with_reset_time(client: TestClient, organiser, make_user) -> None:
    ids = setup_phase(client, organiser, daily_quota=2, concurrent_quota=5)
    team = team_headers(client, make_user, ids["contest"])
    for _ in range(2):
        assert submit(client, team, ids["phase"], b"a 1\n").status_code == 200
    quota = client.get(f"/api/v1/phases/{ids['phase']}/quota", headers=team).json()
    assert quota["remaining_today"] == 0 and quota["timezone"] == "Asia/Shanghai"
    refused = start(client, team, ids["phase"], b"a 2\n")  # the user's saved locale is zh-CN
    assert refused.status_code == 403
    local_midnight = datetime.fromisoformat(quota["resets_at"]).astimezone(
        ZoneInfo("Asia/Shanghai")
    )
    assert local_midnight.strftime("%H:%M") == "00:00"
    assert f"将于 {local_midnight:%Y-%m-%d} 00:00 (Asia/Shanghai) 重置" in refused.json()["detail"]


def test_concurrent_limit(client: TestClient, organiser, make_user) -> None:
    ids = setup_phase(client, organiser, daily_quota=10, concurrent_quota=1)
    assert start(client, make_user(), ids["phase"], b"x").json()["code"] == "not_in_team"
    team = team_headers(client, make_user, ids["contest"])
    assert submit(client, team, ids["phase"], b"a 1\n").status_code == 200
    refused = start(client, team, ids["phase"], b"a 2\n")
    assert refused.status_code == 403 and refused.json()["code"] == "quota_concurrent"


def test_closed_phase(client: TestClient, organiser, make_user) -> None:
    ids = setup_phase(
        client,
        organiser,
        starts_at="2030-01-01T00:00:00+08:00",
        ends_at="2030-02-01T00:00:00+08:00",
    )
    team = team_headers(client, make_user, ids["contest"])
    assert start(client, team, ids["phase"], b"x").json()["code"] == "phase_not_open"
