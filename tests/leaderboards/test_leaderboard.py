"""Leaderboard API on constructed scores: orders, private-split secrecy, freeze, visibility."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from .helpers import (
    OVERALL_VALUES,
    PRIVATE_VALUES,
    T0,
    add_score,
    add_submission,
    board,
    constructed_board,
    order,
)


def _no_private_values(text: str) -> None:
    for value in (*PRIVATE_VALUES, *OVERALL_VALUES):
        assert str(value) not in text, f"private-derived value {value} leaked: {text[:300]}"


def test_public_and_private_orders(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    judge: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    b = constructed_board(client, db, organiser, make_user)
    phase = b.ids["phase"]
    for who in (None, b.headers["beta"], judge, organiser):
        public = board(client, phase, who)
        assert order(public, b.teams) == ["alpha", "gamma", "beta"]
        assert [r["rank"] for r in public["rows"]] == [1, 2, 3]
        assert public["rows"][0]["scores"] == {"mae": 0.1111}
        assert public["split"] == "public" and public["published"] is False
        assert public["columns"][0]["key"] == "mae" and public["columns"][0]["direction"] == "lower"
    for staff in (judge, organiser):
        private = board(client, phase, staff, split="private")
        assert order(private, b.teams) == ["beta", "gamma", "alpha"]
        assert private["rows"][0]["scores"] == {"mae": 0.2246}


def test_participants_never_see_private_values_before_publication(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    b = constructed_board(client, db, organiser, make_user)
    phase = b.ids["phase"]
    for who in ({}, b.headers["alpha"]):
        response = client.get(f"/api/v1/phases/{phase}/leaderboard", headers=who)
        _no_private_values(response.text)
        refused = client.get(
            f"/api/v1/phases/{phase}/leaderboard", params={"split": "private"}, headers=who
        )
        assert refused.status_code == 403
        assert refused.json()["code"] == "private_not_published"
        _no_private_values(refused.text)
        results = client.get(f"/api/v1/phases/{phase}/results", headers=who)
        assert results.status_code == 200 and results.json()["versions"] == []
        assert (
            client.get(
                f"/api/v1/phases/{phase}/results", params={"format": "csv"}, headers=who
            ).status_code
            == 404
        )
    # The team's own submission view (submissions/) strips the private split as well.
    mine = client.get(f"/api/v1/submissions/{b.subs['alpha']}", headers=b.headers["alpha"])
    assert mine.status_code == 200
    _no_private_values(mine.text)


def test_private_only_change_leaves_the_participant_view_byte_identical(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    """Order, count, ETag and every field stay the same when only private values move."""
    b = constructed_board(client, db, organiser, make_user)
    phase = b.ids["phase"]
    before = client.get(f"/api/v1/phases/{phase}/leaderboard", headers=b.headers["gamma"])
    staff_before = board(client, phase, organiser, split="private")
    add_score(db, submission_id=b.subs["alpha"], public=0.1111, private=0.0001, purpose="rescore")
    after = client.get(f"/api/v1/phases/{phase}/leaderboard", headers=b.headers["gamma"])
    assert after.content == before.content
    assert after.headers["etag"] == before.headers["etag"]
    staff_after = board(client, phase, organiser, split="private")
    assert order(staff_after, b.teams) == ["alpha", "beta", "gamma"] != order(staff_before, b.teams)


def test_judges_flags_are_hidden_from_participants_until_publication(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    judge: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    """Verifying the private top K would otherwise reveal the private order."""
    b = constructed_board(client, db, organiser, make_user)
    phase = b.ids["phase"]
    verified = client.post(
        f"/api/v1/judge/submissions/{b.subs['beta']}/actions",
        json={"action": "verify", "reason": "top 1"},
        headers=judge,
    )
    assert verified.status_code == 200
    assert not any(
        r["verified"] or r["flagged"] for r in board(client, phase, b.headers["alpha"])["rows"]
    )
    assert any(r["verified"] for r in board(client, phase, judge)["rows"])


def test_freeze_shows_participants_the_board_as_it_stood(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    judge: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    b = constructed_board(client, db, organiser, make_user)
    phase = b.ids["phase"]
    frozen = client.post(f"/api/v1/phases/{phase}/freeze", headers=organiser)
    assert frozen.status_code == 200 and frozen.json()["freeze_at"]
    freeze_at = datetime.fromisoformat(frozen.json()["freeze_at"])
    snapshot = board(client, phase, b.headers["beta"])
    assert snapshot["frozen"] is True
    # After the freeze: beta's new submission tops the public board, gamma's score is revised.
    later = freeze_at + timedelta(seconds=5)
    add_submission(
        db,
        phase_id=phase,
        team_id=b.teams["beta"],
        public=0.0101,
        private=0.3,
        at=later,
        score_at=later,
    )
    add_score(
        db, submission_id=b.subs["gamma"], public=0.9999, private=0.5, at=later, purpose="rescore"
    )
    for who in ({}, b.headers["beta"]):
        seen = board(client, phase, who)
        assert order(seen, b.teams) == ["alpha", "gamma", "beta"]
        assert seen["rows"] == snapshot["rows"]
    live = board(client, phase, judge)
    assert live["frozen"] is True
    assert order(live, b.teams) == ["beta", "alpha", "gamma"]
    assert live["rows"][0]["scores"]["mae"] == 0.0101
    # Lifting the freeze shows everyone the live board again.
    assert client.post(f"/api/v1/phases/{phase}/unfreeze", headers=organiser).status_code == 200
    assert order(board(client, phase, b.headers["alpha"]), b.teams) == ["beta", "alpha", "gamma"]


def test_visibility_settings(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    judge: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    b = constructed_board(client, db, organiser, make_user, leaderboard_visibility="participants")
    phase = b.ids["phase"]
    url = f"/api/v1/phases/{phase}/leaderboard"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=b.headers["alpha"]).status_code == 200
    assert (
        client.patch(
            f"/api/v1/phases/{phase}", json={"leaderboard_visibility": "hidden"}, headers=organiser
        ).status_code
        == 200
    )
    hidden = client.get(url, headers=b.headers["alpha"])
    assert hidden.status_code == 403 and hidden.json()["code"] == "leaderboard_hidden"
    zh = client.get(url, headers={**b.headers["alpha"], "Accept-Language": "zh-CN"})
    assert zh.status_code == 403
    assert client.get(url).status_code == 403
    assert client.get(url, headers=judge).status_code == 200
    assert client.get("/api/v1/phases/999999/leaderboard").status_code == 404


def test_draft_contest_boards_are_invisible(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    b = constructed_board(client, db, organiser, make_user)
    from jiebang.contests.models import Contest

    contest = db.get(Contest, b.ids["contest"])
    assert contest is not None
    contest.status = "draft"  # type: ignore[assignment]
    db.add(contest)
    db.commit()
    assert client.get(f"/api/v1/phases/{b.ids['phase']}/leaderboard").status_code == 404
    assert (
        client.get(f"/api/v1/phases/{b.ids['phase']}/leaderboard", headers=organiser).status_code
        == 200
    )


def test_latest_rule_and_ties_on_the_api(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    b = constructed_board(client, db, organiser, make_user, submission_rule="latest")
    phase = b.ids["phase"]
    # alpha's later, worse submission replaces its best one under the "latest" rule;
    # it ties gamma on the shown precision, and gamma submitted earlier.
    add_submission(
        db,
        phase_id=phase,
        team_id=b.teams["alpha"],
        public=0.33331,
        private=0.1,
        at=T0 + timedelta(days=1),
    )
    body = board(client, phase, b.headers["alpha"])
    assert order(body, b.teams) == ["gamma", "alpha", "beta"]
    assert body["rows"][0]["scores"]["mae"] == body["rows"][1]["scores"]["mae"] == 0.3333
    assert json.loads(json.dumps(body))["rows"][1]["submitted_at"].startswith("2024-05-02")
    assert datetime.fromisoformat(body["rows"][0]["submitted_at"]) < datetime.fromisoformat(
        body["rows"][1]["submitted_at"]
    )
    assert datetime.now(UTC) > T0


def test_anonymous_reads_revalidate_and_follow_new_scores(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    """The anonymous fast path (served from the process cache) answers 304 to a matching
    If-None-Match, and a new score recorded by this process is visible on the next read."""
    b = constructed_board(client, db, organiser, make_user)
    url = f"/api/v1/phases/{b.ids['phase']}/leaderboard"
    first = client.get(url)
    etag = first.headers["etag"]
    assert first.headers["content-encoding"] == "gzip"  # TestClient accepts gzip
    cached = client.get(url)
    assert cached.content == first.content and cached.headers["etag"] == etag
    not_modified = client.get(url, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.content == b""
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.json() == first.json()

    add_score(db, submission_id=b.subs["gamma"], public=0.0101, private=0.9, purpose="rescore")
    moved = client.get(url, headers={"If-None-Match": etag})
    assert moved.status_code == 200 and moved.headers["etag"] != etag
    assert order(moved.json(), b.teams) == ["gamma", "alpha", "beta"]
    _no_private_values(moved.text)
