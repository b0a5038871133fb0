"""Rendered boards kept in memory for a moment, dropped as soon as this process writes
anything a board depends on (scores, submissions, reviews, phases, publications).

Other processes' writes are picked up when the entry expires. Scores arrive through this
API (workers report over HTTP), so in a single-process deployment nothing waits for the TTL.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlmodel import Session

log = logging.getLogger(__name__)
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
    expires: float  # after this, served stale while one thread recomputes
    hard_expiry: float  # after this (e.g. the freeze moment), never served again
    value: Any

    def servable(self, generation: int, now: float) -> bool:
        return self.generation == generation and now < self.hard_expiry


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

    def peek(self, key: tuple[Any, ...], refresh: Callable[[], None] | None = None) -> Any | None:
        """The cached value without computing or waiting: None when absent or invalidated.

        An entry that merely aged past its TTL is still returned, and ``refresh`` is started
        in a background thread (once per key at a time) to replace it: readers never queue
        behind a recomputation, which would otherwise stall every request for its duration.
        """
        hit = self._entries.get(key)
        now = time.time()
        if hit is None or not hit.servable(self.generation, now):
            return None
        if hit.expires <= now and refresh is not None:
            lock = self._lock_for(key)
            if lock.acquire(blocking=False):
                threading.Thread(target=self._refresh, args=(lock, refresh), daemon=True).start()
        return hit.value

    @staticmethod
    def _refresh(lock: threading.Lock, refresh: Callable[[], None]) -> None:
        try:
            refresh()
        except Exception:  # the stale copy stays until it is invalidated; the next read retries
            log.exception("refreshing a cached leaderboard failed")
        finally:
            lock.release()

    def get_or_compute(
        self, key: tuple[Any, ...], compute: Callable[[], tuple[Any, float | None]]
    ) -> Any:
        """The cached value, or compute() once while other threads wait (no stampede).

        compute returns (value, valid_until): valid_until (epoch seconds) may cut the TTL short,
        e.g. at the freeze moment. An entry that merely aged past its TTL is still served to
        other threads while one thread recomputes it; an invalidated one, or one past its
        valid_until, never is.
        """
        hit = self._entries.get(key)
        if hit is not None and hit.servable(self.generation, time.time()):
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

    def recompute(
        self, key: tuple[Any, ...], compute: Callable[[], tuple[Any, float | None]]
    ) -> Any:
        """Compute and store the value now (the caller holds the key's refresh lock)."""
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
        hard_expiry = math.inf
        if valid_until is not None:
            expires = hard_expiry = min(expires, valid_until)
        with self._guard:
            if generation == self.generation:
                self._entries[key] = Cached(generation, expires, hard_expiry, value)
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
