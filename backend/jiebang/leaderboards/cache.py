"""Rendered boards kept in memory for a moment, dropped as soon as this process writes
anything a board depends on (scores, submissions, reviews, phases, publications).

Other processes' writes are picked up when the entry expires. Scores arrive through this
API (workers report over HTTP), so in a single-process deployment nothing waits for the TTL.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlmodel import Session

TTL_SECONDS = 15.0
_RELEVANT = (
    "Score",
    "Submission",
    "SubmissionReview",
    "Phase",
    "Contest",
    "Track",
    "ResultVersion",
    "Team",
)


@dataclass(frozen=True)
class Cached:
    generation: int
    expires: float
    value: Any


class BoardCache:
    def __init__(self) -> None:
        self._entries: dict[tuple[Any, ...], Cached] = {}
        self._locks: dict[tuple[Any, ...], threading.Lock] = {}
        self._guard = threading.Lock()
        self.generation = 0

    def invalidate(self) -> None:
        with self._guard:
            self.generation += 1
            self._entries.clear()

    def peek(self, key: tuple[Any, ...]) -> Any | None:
        """The cached value if it is fresh, without computing or waiting (None otherwise)."""
        hit = self._entries.get(key)
        if hit is not None and hit.generation == self.generation and hit.expires > time.time():
            return hit.value
        return None

    def get_or_compute(
        self, key: tuple[Any, ...], compute: Callable[[], tuple[Any, float | None]]
    ) -> Any:
        """The cached value, or compute() once while other threads wait (no stampede).

        compute returns (value, valid_until): valid_until (epoch seconds) may cut the TTL short,
        e.g. at the freeze moment. An entry that merely aged past its TTL is still served to
        other threads while one thread recomputes it; an invalidated entry never is.
        """
        hit = self._entries.get(key)
        if hit is not None and hit.generation == self.generation:
            if hit.expires > time.time():
                return hit.value
            lock = self._lock_for(key)
            if not lock.acquire(blocking=False):
                return hit.value  # someone is already refreshing it
            try:
                return self._compute(key, compute)
            finally:
                lock.release()
        with self._lock_for(key):
            hit = self._entries.get(key)
            if hit is not None and hit.generation == self.generation and hit.expires > time.time():
                return hit.value
            return self._compute(key, compute)

    def _lock_for(self, key: tuple[Any, ...]) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def _compute(
        self, key: tuple[Any, ...], compute: Callable[[], tuple[Any, float | None]]
    ) -> Any:
        generation = self.generation
        value, valid_until = compute()
        expires = time.time() + TTL_SECONDS
        if valid_until is not None:
            expires = min(expires, valid_until)
        with self._guard:
            if generation == self.generation:
                self._entries[key] = Cached(generation, expires, value)
        return value


boards = BoardCache()
_installed = False


def _after_flush(session: Session, _context: Any) -> None:
    touched = (*session.new, *session.dirty, *session.deleted)
    if any(type(obj).__name__ in _RELEVANT for obj in touched):
        session.info["leaderboard_dirty"] = True


def _after_commit(session: Session) -> None:
    if session.info.pop("leaderboard_dirty", False):
        boards.invalidate()


def install() -> None:
    """Watch every session's commits (idempotent; called on first use, not at import)."""
    global _installed
    if _installed:
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "after_commit", _after_commit)
    _installed = True
