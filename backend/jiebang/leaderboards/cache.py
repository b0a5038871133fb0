"""Rendered boards kept in memory for a moment, dropped as soon as this process writes
anything a board depends on (scores, submissions, reviews, phases, publications).

Other processes' writes are picked up when the entry expires (a couple of seconds).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlmodel import Session

TTL_SECONDS = 2.0
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

    def get_or_compute(
        self, key: tuple[Any, ...], compute: Callable[[], tuple[Any, float | None]]
    ) -> Any:
        """The cached value, or compute() once (other threads wait for it, no stampede).

        compute returns (value, valid_until) where valid_until (epoch seconds) may cut the TTL
        short, e.g. at the freeze moment.
        """
        hit = self._fresh(key)
        if hit is not None:
            return hit.value
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            hit = self._fresh(key)
            if hit is not None:
                return hit.value
            generation = self.generation
            value, valid_until = compute()
            expires = time.time() + TTL_SECONDS
            if valid_until is not None:
                expires = min(expires, valid_until)
            with self._guard:
                if generation == self.generation:
                    self._entries[key] = Cached(generation, expires, value)
            return value

    def _fresh(self, key: tuple[Any, ...]) -> Cached | None:
        hit = self._entries.get(key)
        if hit is None or hit.generation != self.generation or hit.expires <= time.time():
            return None
        return hit


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
