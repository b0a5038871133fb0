"""Requests fired at the same moment, for the race tests: each call waits on one barrier, so
all of them reach the API together (twenty threads, twenty requests in flight)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx

Call = Callable[[], httpx.Response]


def at_once(calls: list[Call]) -> list[httpx.Response]:
    """Run every call at once; the answers in the calls' order."""
    barrier = threading.Barrier(len(calls))

    def fire(call: Call) -> httpx.Response:
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(fire, calls))


def repeated(call: Call, times: int) -> list[httpx.Response]:
    """The same call ``times`` times at once."""
    return at_once([call] * times)
