"""The per-process board cache: single-flight refresh, stale-while-revalidate, hard expiry."""

from __future__ import annotations

import threading
import time

import pytest

from jiebang.leaderboards import cache


def _aged(board_cache: cache.BoardCache, key: tuple[str], value: str, valid_until: float | None):
    board_cache.get_or_compute(key, lambda: (value, valid_until))
    entry = board_cache._entries[key]
    board_cache._entries[key] = cache.Cached(
        entry.generation, time.time() - 1, entry.hard_expiry, entry.value
    )  # as if the TTL had passed


def test_peek_serves_an_aged_entry_and_refreshes_it_once_in_the_background() -> None:
    board_cache, key = cache.BoardCache(), ("board",)
    _aged(board_cache, key, "old", None)
    release, calls = threading.Event(), []

    def refresh() -> None:
        calls.append(1)
        release.wait(5)
        board_cache.recompute(key, lambda: ("new", None))

    assert board_cache.peek(key, refresh) == "old"
    assert board_cache.peek(key, refresh) == "old"  # a refresh is running: no second one
    release.set()
    deadline = time.time() + 5
    while board_cache.peek(key) != "new" and time.time() < deadline:
        time.sleep(0.01)
    assert board_cache.peek(key) == "new"
    assert calls == [1]


def test_an_entry_past_its_valid_until_is_never_served() -> None:
    """A board computed before the freeze must not be shown after the freeze moment."""
    board_cache, key = cache.BoardCache(), ("board",)
    _aged(board_cache, key, "live", valid_until=time.time() - 0.5)
    refreshed = []
    assert board_cache.peek(key, lambda: refreshed.append(1)) is None
    assert refreshed == []
    assert board_cache.get_or_compute(key, lambda: ("frozen", None)) == "frozen"


def test_invalidation_drops_entries_and_a_failed_refresh_keeps_the_stale_copy(
    caplog: pytest.LogCaptureFixture,
) -> None:
    board_cache, key = cache.BoardCache(), ("board",)
    _aged(board_cache, key, "old", None)

    def broken() -> None:
        raise RuntimeError("database went away")

    assert board_cache.peek(key, broken) == "old"
    deadline = time.time() + 5
    while not caplog.records and time.time() < deadline:
        time.sleep(0.01)
    assert "refreshing a cached leaderboard failed" in caplog.text
    assert board_cache.peek(key) == "old"
    board_cache.invalidate()
    assert board_cache.peek(key) is None
