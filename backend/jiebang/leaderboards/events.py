"""Live updates over server-sent events, fanned out from the process's change feed.

A watcher costs a queue entry and a socket: no database session and no poll. The process
hears each change once (feed/), and re-renders each watched board once per audience
(staff, or everyone else), not once per watcher. Events carry no scores:

- ``submission``: one of your team's submissions changed status (topic ``team:<id>``);
- ``leaderboard``: a board you watch changed *as you see it* (its rendered hash), so a
  change in private values alone, or after the freeze moment, never produces one for a
  participant; ``results``: the phase's results were published (to those who see its board);
- ``resync``: the process lost the feed for a moment; fetch again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import anyio
from sqlmodel import Session
from sse_starlette.event import ServerSentEvent

from jiebang.auth import service as user_service
from jiebang.auth.models import User
from jiebang.core import domain_events
from jiebang.core.errors import DomainError, Unauthorized
from jiebang.db import get_engine
from jiebang.feed import service as feed
from jiebang.feed import tickets
from jiebang.feed.hub import Message, Subscription
from jiebang.leaderboards import cache, views
from jiebang.organisations.permissions import is_contest_staff
from jiebang.teams import service as team_service

log = logging.getLogger(__name__)
SUBMISSION_STATUS = "submission.status"
RESULTS_PUBLISHED = "results.published"
BOARD_TOPIC = "board"
WATCHER_QUEUE = 64  # events waiting for one slow browser before its stream is ended


def team_topic(team_id: int) -> str:
    return f"team:{team_id}"


def view_topic(phase_id: int, staff: bool) -> str:
    return f"view:{phase_id}:{'staff' if staff else 'public'}"


@dataclass(frozen=True)
class Watcher:
    user: User
    staff_phase_ids: frozenset[int]  # the boards this user organises or judges: live values
    team_ids: frozenset[int]
    phase_ids: tuple[int, ...]

    def topics(self) -> list[str]:
        own = [team_topic(t) for t in sorted(self.team_ids)]
        return [*own, *(view_topic(p, staff) for p, staff in self.views()), feed.RESYNC]

    def views(self) -> list[tuple[int, bool]]:
        return [(p, p in self.staff_phase_ids) for p in self.phase_ids]


def watcher_for(*, db: Session, user: User, phase_ids: list[int]) -> Watcher:
    """What this user may hear: their teams' submissions and the boards they asked for."""
    teams = team_service.teams_of_user(db=db, user_id=user.id or 0)
    wanted = tuple(dict.fromkeys(phase_ids))
    return Watcher(
        user=user,
        staff_phase_ids=frozenset(p for p in wanted if _staff_of(db, user, p)),
        team_ids=frozenset(t.id or 0 for t in teams),
        phase_ids=wanted,
    )


def _staff_of(db: Session, user: User, phase_id: int) -> bool:
    try:
        return is_contest_staff(db, user, {"phase_id": phase_id})
    except DomainError:  # a phase that does not exist: nobody's board
        return False


def open_with_ticket(ticket: str, phase_ids: list[int]) -> Watcher:
    """Spend the ticket and describe the watcher, in one short database session."""
    with Session(get_engine(), expire_on_commit=False) as db:
        user = user_service.get(db=db, user_id=tickets.redeem(db=db, ticket=ticket))
        if user is None or not user.is_active:
            raise Unauthorized()
        return watcher_for(db=db, user=user, phase_ids=phase_ids)


def to_feed(happened: list[domain_events.DomainEvent]) -> list[tuple[str, dict[str, Any]]]:
    """The feed messages for a commit's domain events."""
    out: list[tuple[str, dict[str, Any]]] = []
    for found in happened:
        data = found.data
        if found.kind == SUBMISSION_STATUS:
            fields = {k: data[k] for k in ("submission_id", "phase_id", "status")}
            out.append((team_topic(int(data["team_id"])), {"kind": "submission", **fields}))
        elif found.kind == RESULTS_PUBLISHED:
            board = {"phase_ids": [data["phase_id"]], "results": data["version"]}
            out.append((BOARD_TOPIC, board))
    return out


def _publish_committed(happened: list[domain_events.DomainEvent]) -> None:
    feed.publish_many(to_feed(happened))


def _publish_board_change(phase_ids: set[int] | None) -> None:
    """A commit of this process changed these boards (None: any): tell every process."""
    ids = None if phase_ids is None else sorted(phase_ids)
    feed.publish(BOARD_TOPIC, {"phase_ids": ids})


@dataclass
class View:
    etag: str | None  # None while this audience may not see the board
    watchers: int
    user: User  # one member of the audience, for the access check (which reads only its role)


def seen_etag(*, db: Session, phase_id: int, staff: bool, user: User) -> str | None:
    """The board's hash as this audience sees it, or None when it may not see it."""
    try:
        rendered = views.render(db=db, phase_id=phase_id, split="public", staff=staff)
        views.check_access(rendered=rendered, user=user, staff=staff, split="public")
    except DomainError:
        return None
    return rendered.etag


class BoardViews:
    """The board each audience saw last, for every phase watched in this process."""

    def __init__(self) -> None:
        self._views: dict[tuple[int, bool], View] = {}
        self._lock = threading.Lock()

    def watch(self, *, db: Session, watcher: Watcher) -> None:
        """Count the watcher in; a view nobody watched yet starts from the board as it is."""
        for key in watcher.views():
            with self._lock:
                known = self._views.get(key)
                if known is not None:
                    known.watchers += 1
                    continue
            etag = seen_etag(db=db, phase_id=key[0], staff=key[1], user=watcher.user)
            with self._lock:
                view = self._views.setdefault(key, View(etag=etag, watchers=0, user=watcher.user))
                view.watchers += 1

    def unwatch(self, watcher: Watcher) -> None:
        with self._lock:
            for key in watcher.views():
                view = self._views.get(key)
                if view is not None:
                    view.watchers -= 1
                    if view.watchers <= 0:
                        del self._views[key]

    def changes(self, *, db: Session, phase_ids: set[int] | None) -> list[tuple[int, bool, str]]:
        """Re-render the watched views of these phases (None: all); those that changed."""
        with self._lock:
            keys = [k for k in self._views if phase_ids is None or k[0] in phase_ids]
        changed = []
        for phase_id, staff in keys:
            with self._lock:
                view = self._views.get((phase_id, staff))
            if view is None:
                continue
            etag = seen_etag(db=db, phase_id=phase_id, staff=staff, user=view.user)
            with self._lock:
                before, view.etag = view.etag, etag
            if etag is not None and etag != before:
                changed.append((phase_id, staff, etag))
        return changed

    def visible(self, phase_id: int) -> list[bool]:
        """The audiences (staff or not) that currently see this phase's board here."""
        with self._lock:
            return [s for (p, s), v in self._views.items() if p == phase_id and v.etag]


class Switchboard:
    """Hears board changes once per process: drops cached boards, tells each audience."""

    def __init__(self) -> None:
        self.views = BoardViews()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        subscription = feed.subscribe([BOARD_TOPIC, feed.RESYNC], maxsize=1_000_000)
        self._task = asyncio.create_task(self._run(subscription), name="board-switchboard")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self, subscription: Subscription) -> None:
        while (first := await subscription.get()) is not None:
            batch = [first]  # whatever else arrived meanwhile is handled in the same round
            while (more := subscription.get_nowait()) is not None:
                batch.append(more)
            try:
                await self._handle(batch)
            except Exception:
                log.exception("handling board changes failed")

    async def _handle(self, batch: list[Message]) -> None:
        phases: set[int] | None = set()
        remote: set[int] | None = set()  # what this process's own commits already dropped
        published: dict[int, int] = {}
        for message in batch:
            ids = message.payload.get("phase_ids")
            mine = message.payload.get("origin") == feed.ORIGIN
            if message.topic == feed.RESYNC or ids is None:
                phases = None
                remote = None if not mine or message.topic == feed.RESYNC else remote
                continue
            if phases is not None:
                phases.update(int(p) for p in ids)
            if remote is not None and not mine:
                remote.update(int(p) for p in ids)
            if message.payload.get("results") is not None:
                published.update({int(p): int(message.payload["results"]) for p in ids})
        changed = await anyio.to_thread.run_sync(self._changes, phases, remote)
        for phase_id, staff, etag in changed:
            told = sse("leaderboard", {"phase_id": phase_id, "etag": etag})
            feed.publish_local(view_topic(phase_id, staff), {"sse": told})
        for phase_id, version in published.items():
            told = sse("results", {"phase_id": phase_id, "version": version})
            for staff in self.views.visible(phase_id):
                feed.publish_local(view_topic(phase_id, staff), {"sse": told})

    def _changes(
        self, phases: set[int] | None, remote: set[int] | None
    ) -> list[tuple[int, bool, str]]:
        if remote is None or remote:  # another process's change: recompute our copies in place
            cache.refresh(remote)
        with Session(get_engine(), expire_on_commit=False) as db:
            return self.views.changes(db=db, phase_ids=phases)


switchboard = Switchboard()


async def start() -> None:
    """Announce committed domain events on the feed and follow board changes (at start-up)."""
    domain_events.listen(_publish_committed)
    cache.on_change(_publish_board_change)
    switchboard.start()


async def stop() -> None:
    await switchboard.stop()


def sse(event: str, data: dict[str, Any]) -> bytes:
    """One encoded server-sent event: encoded once, written to every stream that gets it."""
    return ServerSentEvent(event=event, data=json.dumps(data)).encode()


RESYNC_EVENT = sse("resync", {})


def _as_sse(message: Message) -> bytes:
    if message.topic == feed.RESYNC:
        return RESYNC_EVENT
    payload = message.payload
    if payload.get("kind") == "submission":
        return sse("submission", {k: payload[k] for k in ("submission_id", "phase_id", "status")})
    return bytes(payload["sse"])


def _watch(watcher: Watcher) -> None:
    with Session(get_engine(), expire_on_commit=False) as db:
        switchboard.views.watch(db=db, watcher=watcher)


async def stream(watcher: Watcher, max_seconds: float) -> AsyncIterator[bytes]:
    """Yield events until the client leaves or max_seconds pass (the page then reconnects)."""
    with feed.subscribe(watcher.topics(), maxsize=WATCHER_QUEUE) as subscription:
        # the end is a timer closing the subscription: no timeout armed per event
        ends = asyncio.get_running_loop().call_later(max_seconds, subscription.close)
        try:  # the thread finishes counting us in even if the client leaves meanwhile
            await anyio.to_thread.run_sync(_watch, watcher)
            ready = {"phases": list(watcher.phase_ids), "process": feed.ORIGIN}
            yield sse("ready", ready)
            # None: the time is up, the client was too slow, or the process is stopping
            while (message := await subscription.get()) is not None:
                yield _as_sse(message)
        finally:
            ends.cancel()
            switchboard.views.unwatch(watcher)
