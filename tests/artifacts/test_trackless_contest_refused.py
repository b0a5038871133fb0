"""A contest nobody could enter is never published: no track ("no tracks yet" / 尚无赛道), or a
track without a phase, is listed as missing and refused, with the gate on or off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

Headers = dict[str, str]


def _contest(client: TestClient, organiser: Headers) -> int:
    body = {"slug": "empty", "title_zh": "空", "title_en": "Empty", "edition": "1", "year": 2025}
    made = client.post("/api/v1/contests", json=body, headers=organiser)
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def _track(client: TestClient, organiser: Headers, contest: int) -> int:
    body = {
        "slug": "t1",
        "title_zh": "赛道",
        "title_en": "Track",
        "evaluator_key": "quality_assessment",
        "evaluator_version": "1.0.0",
    }
    made = client.post(f"/api/v1/contests/{contest}/tracks", json=body, headers=organiser)
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def _refused(client: TestClient, organiser: Headers, contest: int) -> list[dict[str, object]]:
    refused = client.post(f"/api/v1/contests/{contest}/publish", headers=organiser)
    assert refused.status_code == 409, refused.text
    status = client.get(f"/api/v1/contests/{contest}", headers=organiser).json()["status"]
    assert status == "draft"
    return list(refused.json()["missing"])


@pytest.mark.parametrize("gate", ["true", "false"])
def test_a_contest_without_tracks_is_refused(
    client: TestClient, organiser: Headers, monkeypatch: pytest.MonkeyPatch, gate: str
) -> None:
    monkeypatch.setenv("JIEBANG_READINESS_REQUIRED", gate)
    contest = _contest(client, organiser)
    [item] = _refused(client, organiser, contest)
    assert item["code"] == "tracks" and item["field"] == "tracks"
    assert (item["message_en"], item["message_zh"]) == ("no tracks yet", "尚无赛道")
    assert item["track_id"] == 0 and item["track_slug"] == ""
    listed = client.get(f"/api/v1/contests/{contest}/readiness", headers=organiser).json()
    assert [m["code"] for m in listed["missing"]] == ["tracks"]


@pytest.mark.parametrize("gate", ["true", "false"])
def test_a_track_without_phases_is_refused(
    client: TestClient, organiser: Headers, monkeypatch: pytest.MonkeyPatch, gate: str
) -> None:
    monkeypatch.setenv("JIEBANG_READINESS_REQUIRED", gate)
    contest = _contest(client, organiser)
    _track(client, organiser, contest)
    missing = _refused(client, organiser, contest)
    assert "phase" in [m["code"] for m in missing]
    phase = next(m for m in missing if m["code"] == "phase")
    assert (phase["track_slug"], phase["message_zh"]) == ("t1", "尚无阶段")
    if gate == "false":  # only what leaves nothing to enter; the never-run check does not block
        assert [m["code"] for m in missing] == ["phase"]


def test_with_the_gate_off_a_track_with_a_phase_still_publishes(
    client: TestClient, organiser: Headers
) -> None:
    contest = _contest(client, organiser)
    track = _track(client, organiser, contest)
    now = datetime.now(UTC)
    phase = {
        "slug": "p1",
        "title_zh": "阶段",
        "title_en": "Phase",
        "starts_at": now.isoformat(),
        "ends_at": (now + timedelta(days=3)).isoformat(),
    }
    made = client.post(f"/api/v1/tracks/{track}/phases", json=phase, headers=organiser)
    assert made.status_code == 201, made.text
    published = client.post(f"/api/v1/contests/{contest}/publish", headers=organiser)
    assert published.status_code == 200, published.text
