"""Live events: own submissions, boards as the watcher sees them, no private leaks, nothing
after the freeze; streams open with a single-use ticket, never with the access token."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from jiebang.auth import service as user_service
from jiebang.core import domain_events
from jiebang.db import get_engine
from jiebang.leaderboards import cache, events
from jiebang.submissions import lifecycle
from jiebang.submissions.models import Submission, SubmissionStatus

from .helpers import add_score, add_submission, constructed_board, user_id


@contextmanager
def committed() -> Iterator[list[domain_events.DomainEvent]]:
    """The domain events of the transactions committed inside the block."""
    seen: list[domain_events.DomainEvent] = []

    def listener(happened: list[domain_events.DomainEvent]) -> None:
        seen.extend(happened)

    domain_events.listen(listener)
    try:
        yield seen
    finally:
        domain_events.unlisten(listener)


def heard(watcher: events.Watcher, seen: list[domain_events.DomainEvent]) -> list[Any]:
    """The feed messages of these events that reach the watcher's topics."""
    topics = set(watcher.topics())
    return [(t, p) for t, p in events.to_feed(seen) if t in topics]


def board_changes(views: events.BoardViews, phase: int) -> list[tuple[int, bool, str]]:
    cache.forget(None)  # as if another process's change had arrived on the feed
    with Session(get_engine(), expire_on_commit=False) as fresh:
        return views.changes(db=fresh, phase_ids={phase})


def watchers(
    client: TestClient, db: Session, organiser: dict[str, str], member: dict[str, str], phase: int
) -> tuple[events.Watcher, events.Watcher, events.BoardViews]:
    participant = user_service.get(db=db, user_id=user_id(db, member, client))
    staff = user_service.get(db=db, user_id=user_id(db, organiser, client))
    assert participant is not None and staff is not None
    mine = events.watcher_for(db=db, user=participant, phase_ids=[phase])
    judge_view = events.watcher_for(db=db, user=staff, phase_ids=[phase])
    views = events.BoardViews()
    with Session(get_engine(), expire_on_commit=False) as fresh:
        views.watch(db=fresh, watcher=mine)
        views.watch(db=fresh, watcher=judge_view)
    return mine, judge_view, views


def test_events_follow_own_submissions_and_visible_board_changes_only(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    b = constructed_board(client, db, organiser, make_user)
    phase = b.ids["phase"]
    mine, judge_view, views = watchers(client, db, organiser, b.headers["alpha"], phase)
    assert board_changes(views, phase) == []

    # Only the private split changes: nobody's public board changed (the staff public board
    # shows flags only; its values did not change either).
    add_score(db, submission_id=b.subs["beta"], public=0.5555, private=0.0002, purpose="rescore")
    assert board_changes(views, phase) == []

    # Another team's submission changes status: not the participant's business.
    other = db.get(Submission, b.subs["gamma"])
    assert other is not None
    with committed() as seen:
        lifecycle.move(db, other, SubmissionStatus.queued, actor="test")
        db.commit()
    assert seen and heard(mine, seen) == []

    # A public change (and our own status change) is announced, without any scores.
    own = db.get(Submission, b.subs["alpha"])
    assert own is not None
    with committed() as seen:
        lifecycle.move(db, own, SubmissionStatus.queued, actor="test", note="rescore")
        db.commit()
        add_score(db, submission_id=b.subs["beta"], public=0.0003, private=0.0002, purpose="r")
    assert [p for _, p in heard(mine, seen)] == [
        {
            "kind": "submission",
            "submission_id": b.subs["alpha"],
            "phase_id": phase,
            "status": "queued",
        }
    ]
    assert heard(judge_view, seen) == []  # staff follow boards, not other teams' uploads
    changed = board_changes(views, phase)
    assert sorted((p, staff) for p, staff, _ in changed) == [(phase, False), (phase, True)]
    assert "0.0002" not in str(changed) and "0.0003" not in str(changed)
    assert board_changes(views, phase) == []  # told once


def test_no_board_event_for_participants_after_the_freeze(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    b = constructed_board(client, db, organiser, make_user)
    phase = b.ids["phase"]
    frozen = client.post(f"/api/v1/phases/{phase}/freeze", headers=organiser)
    assert frozen.status_code == 200, frozen.text
    _, _, views = watchers(client, db, organiser, b.headers["alpha"], phase)

    # A new public best after the freeze moment: staff see it live, participants never hear.
    add_submission(
        db,
        phase_id=phase,
        team_id=b.teams["beta"],
        public=0.0001,
        private=0.9,
        at=datetime.fromisoformat(frozen.json()["freeze_at"]) + timedelta(seconds=5),
    )
    assert [(p, staff) for p, staff, _ in board_changes(views, phase)] == [(phase, True)]


def test_event_stream_opens_with_a_single_use_ticket(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    b = constructed_board(client, db, organiser, make_user)
    assert client.get("/api/v1/events").status_code == 401
    token = b.headers["alpha"]["Authorization"].split()[1]
    assert client.get("/api/v1/events", params={"token": token}).status_code == 401
    assert client.post("/api/v1/events/tickets").status_code == 401
    issued = client.post("/api/v1/events/tickets", headers=b.headers["alpha"])
    assert issued.status_code == 201, issued.text
    ticket = issued.json()["ticket"]
    assert token not in ticket and issued.json()["expires_in"] > 0
    params = {"ticket": ticket, "phase_id": b.ids["phase"], "max_seconds": 0.2}
    with client.stream("GET", "/api/v1/events", params=params) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        text = "".join(response.iter_text())
    assert "event: ready" in text
    # spent: the same ticket opens nothing a second time
    assert client.get("/api/v1/events", params=params).status_code == 401
