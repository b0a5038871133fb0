"""Server-sent events: own submissions, boards as the watcher sees them, no private leaks."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlmodel import Session

from jiebang.auth import service as user_service
from jiebang.db import get_engine
from jiebang.leaderboards import cache, events
from jiebang.submissions import lifecycle
from jiebang.submissions.models import Submission, SubmissionStatus

from .helpers import add_score, constructed_board, user_id


def _poll(watcher: events.Watcher) -> list[dict[str, object]]:
    cache.boards.invalidate()  # as if the cache entry had expired
    with Session(get_engine(), expire_on_commit=False) as fresh:
        return events.poll(db=fresh, watcher=watcher)


def test_events_follow_own_submissions_and_visible_board_changes_only(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    b = constructed_board(client, db, organiser, make_user)
    phase = b.ids["phase"]
    participant = user_service.get(db=db, user_id=user_id(db, b.headers["alpha"], client))
    staff = user_service.get(db=db, user_id=user_id(db, organiser, client))
    assert participant is not None and staff is not None
    mine = events.Watcher(user=participant, phase_ids=[phase])
    judge_view = events.Watcher(user=staff, phase_ids=[phase])
    assert _poll(mine) == [] and _poll(judge_view) == []

    # Only the private split changes: the organiser hears about it, the participant does not.
    add_score(db, submission_id=b.subs["beta"], public=0.5555, private=0.0002, purpose="rescore")
    assert _poll(mine) == []
    # (the staff public board shows flags only; its values did not change either)
    assert _poll(judge_view) == []

    # Another team's submission changes status: not the participant's business.
    other = db.get(Submission, b.subs["gamma"])
    assert other is not None
    lifecycle.move(db, other, SubmissionStatus.queued, actor="test")
    db.commit()
    assert _poll(mine) == []

    # A public change (and our own status change) is announced, without any scores.
    own = db.get(Submission, b.subs["alpha"])
    assert own is not None
    lifecycle.move(db, own, SubmissionStatus.queued, actor="test", note="rescore")
    db.commit()
    add_score(db, submission_id=b.subs["beta"], public=0.0003, private=0.0002, purpose="rescore")
    seen = _poll(mine)
    kinds = sorted(str(e["event"]) for e in seen)
    assert kinds == ["leaderboard", "submission"]
    submission_event = next(e for e in seen if e["event"] == "submission")
    assert submission_event["data"] == {
        "submission_id": b.subs["alpha"],
        "phase_id": phase,
        "status": "queued",
    }
    assert "0.0002" not in str(seen) and "0.0003" not in str(seen)


def test_event_stream_requires_a_valid_token_and_then_streams(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
) -> None:
    b = constructed_board(client, db, organiser, make_user)
    assert client.get("/api/v1/events").status_code == 401
    token = b.headers["alpha"]["Authorization"].split()[1]
    with client.stream(
        "GET",
        "/api/v1/events",
        params={"token": token, "phase_id": b.ids["phase"], "max_seconds": 0.2},
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        text = "".join(response.iter_text())
    assert "event: ready" in text
