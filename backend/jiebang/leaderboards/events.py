"""Live updates over server-sent events, by polling the database once a second per connection.

Events carry no scores: `submission` says which of your team's submissions changed status;
`leaderboard` says a board you watch changed *as you see it* (its rendered hash), so a change
in private values alone never produces an event for a participant.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from sqlmodel import Session, col, select

from jiebang.auth import service as user_service
from jiebang.auth.dependencies import is_staff
from jiebang.auth.models import User
from jiebang.auth.security import decode_token
from jiebang.config import get_settings
from jiebang.core.errors import DomainError, Unauthorized
from jiebang.db import get_engine
from jiebang.leaderboards import views
from jiebang.submissions.models import Submission
from jiebang.teams import service as team_service

POLL_SECONDS = 1.0


@dataclass
class Watcher:
    user: User
    phase_ids: list[int]
    statuses: dict[int, str] = field(default_factory=dict)
    boards: dict[int, str] = field(default_factory=dict)
    started: bool = False


def user_from_token(*, db: Session, token: str | None) -> User:
    """The active user a query-string token names (EventSource cannot send headers)."""
    subject = decode_token(token or "", secret=get_settings().secret_key) if token else None
    user = user_service.get(db=db, user_id=int(subject)) if subject and subject.isdigit() else None
    if user is None or not user.is_active:
        raise Unauthorized()
    return user


def poll(*, db: Session, watcher: Watcher) -> list[dict[str, Any]]:
    """Changes since the last poll; the first poll only records where things stand."""
    events: list[dict[str, Any]] = []
    team_ids = [t.id for t in team_service.teams_of_user(db=db, user_id=watcher.user.id or 0)]
    rows = db.exec(
        select(Submission.id, Submission.phase_id, Submission.status).where(
            col(Submission.team_id).in_(team_ids)
        )
    ).all()
    for raw_id, phase_id, status in rows:
        sub_id = raw_id or 0
        if watcher.started and watcher.statuses.get(sub_id) != status:
            events.append(
                {
                    "event": "submission",
                    "data": {"submission_id": sub_id, "phase_id": phase_id, "status": status},
                }
            )
        watcher.statuses[sub_id] = status
    staff = is_staff(watcher.user)
    for phase_id in watcher.phase_ids:
        try:
            rendered = views.render(db=db, phase_id=phase_id, split="public", staff=staff)
            views.check_access(rendered=rendered, user=watcher.user, staff=staff, split="public")
        except DomainError:
            continue
        if watcher.started and watcher.boards.get(phase_id) != rendered.etag:
            events.append(
                {"event": "leaderboard", "data": {"phase_id": phase_id, "etag": rendered.etag}}
            )
        watcher.boards[phase_id] = rendered.etag
    watcher.started = True
    return events


def _poll_once(watcher: Watcher) -> list[dict[str, Any]]:
    with Session(get_engine(), expire_on_commit=False) as db:
        return poll(db=db, watcher=watcher)


async def stream(
    request: Request, watcher: Watcher, max_seconds: float
) -> AsyncIterator[dict[str, str]]:
    """Yield events until the client leaves or max_seconds pass (EventSource then reconnects)."""
    deadline = time.monotonic() + max_seconds
    await run_in_threadpool(_poll_once, watcher)
    yield {"event": "ready", "data": json.dumps({"phases": watcher.phase_ids})}
    while time.monotonic() < deadline:
        await asyncio.sleep(POLL_SECONDS)
        if await request.is_disconnected():
            return
        for event in await run_in_threadpool(_poll_once, watcher):
            yield {"event": event["event"], "data": json.dumps(event["data"])}
