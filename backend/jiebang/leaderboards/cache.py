"""Rendered boards kept in memory for a moment, dropped per phase as soon as this process
commits anything that board depends on (tracking.py calls `changed`).

Other processes' writes reach this process through the change feed, which calls `invalidate`
with the phase concerned; without one they are picked up when the entry expires (TTL).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)
TTL_SECONDS = 15.0


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
        self._phase_generations: dict[int, int] = {}

    def invalidate(self) -> None:
        with self._guard:
            self.generation += 1
            self._entries.clear()

    def invalidate_phase(self, phase_id: int) -> None:
        """Drop the entries of one phase (keys shaped (kind, phase_id, ...))."""
        with self._guard:
            self._phase_generations[phase_id] = self._phase_generations.get(phase_id, 0) + 1
            for key in [k for k in self._entries if _phase_of(k) == phase_id]:
                del self._entries[key]

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

    def refresh_phase(
        self, phase_id: int, compute: Callable[[tuple[Any, ...]], tuple[Any, float | None]]
    ) -> None:
        """Recompute the phase's entries in place: readers keep the old copy until the new one
        is stored, so a change never leaves them a miss to queue behind. Computations begun
        before this call do not store their (older) values; an entry that fails is dropped."""
        with self._guard:
            self._phase_generations[phase_id] = self._phase_generations.get(phase_id, 0) + 1
            keys = [k for k in self._entries if _phase_of(k) == phase_id]
        for key in keys:
            try:
                self._compute(key, lambda key=key: compute(key))  # type: ignore[misc]
            except Exception:
                log.exception("recomputing a changed leaderboard failed")
                with self._guard:
                    self._entries.pop(key, None)

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
        phase_id = _phase_of(key)
        generation = self.generation
        phase_generation = self._phase_generations.get(phase_id, 0) if phase_id else 0
        value, valid_until = compute()
        expires = time.time() + TTL_SECONDS
        hard_expiry = math.inf
        if valid_until is not None:
            expires = hard_expiry = min(expires, valid_until)
        with self._guard:
            current = self._phase_generations.get(phase_id, 0) if phase_id else 0
            if generation == self.generation and phase_generation == current:
                self._entries[key] = Cached(generation, expires, hard_expiry, value)
        return value


def _phase_of(key: tuple[Any, ...]) -> int | None:
    return key[1] if len(key) > 1 and isinstance(key[1], int) else None


boards = BoardCache()
ChangeListener = Callable[[set[int] | None], None]
_listeners: list[ChangeListener] = []
_compute_key: Callable[[tuple[Any, ...]], tuple[Any, float | None]] | None = None


def set_computer(compute: Callable[[tuple[Any, ...]], tuple[Any, float | None]]) -> None:
    """How to recompute an entry from its key (views.py registers the board renderer)."""
    global _compute_key
    _compute_key = compute


def invalidate(phase_id: int | None = None) -> None:
    """Drop this process's rendered boards of the phase (of every phase with None).

    Safe from any thread; the change feed calls it when another process changed a board."""
    if phase_id is None:
        boards.invalidate()
    else:
        boards.invalidate_phase(phase_id)


def forget(phase_ids: set[int] | None) -> None:
    """Drop this process's rendered boards of these phases (of every phase with None)."""
    if phase_ids is None:
        boards.invalidate()
    else:
        for phase_id in phase_ids:
            boards.invalidate_phase(phase_id)


def refresh(phase_ids: set[int] | None) -> None:
    """Recompute this process's cached boards of these phases in place (blocking: call it
    from a worker thread); with None, or with no renderer registered, drop them instead."""
    if phase_ids is None or _compute_key is None:
        forget(phase_ids)
        return
    for phase_id in phase_ids:
        boards.refresh_phase(phase_id, _compute_key)


def on_change(listener: ChangeListener) -> None:
    """Call `listener` after each commit in this process that changed boards, with the phase
    ids concerned (None: possibly every phase), once the local copies are dropped."""
    if listener not in _listeners:
        _listeners.append(listener)


def changed(phase_ids: set[int] | None) -> None:
    """Boards of these phases (None: of every phase) changed in a commit of this process:
    the cached ones are recomputed before the commit returns to its caller, so the next read
    shows the change and readers meanwhile are served the previous copy."""
    refresh(phase_ids)
    for listener in list(_listeners):
        try:
            listener(None if phase_ids is None else set(phase_ids))
        except Exception:  # a listener must never fail the write that was just committed
            log.exception("a leaderboard change listener failed")
