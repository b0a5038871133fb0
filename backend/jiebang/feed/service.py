"""The change feed: ``publish(topic, payload)`` from anywhere, ``subscribe(topics)`` on the loop.

One feed per API process, started with the application. Whatever any process publishes
reaches every process's subscribers (PostgreSQL or Redis), or this process's (memory).
Watchers cost a queue entry each: the process hears a change once, whatever their number.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Iterable
from typing import Any

from jiebang.config import get_settings
from jiebang.feed.backends import Backend, choose
from jiebang.feed.hub import DEFAULT_QUEUE, Hub, Message, Subscription

log = logging.getLogger(__name__)
RESYNC = "feed.resync"  # delivered locally after a lost listener came back: recheck everything
ORIGIN = uuid.uuid4().hex[:12]  # names this process in what it publishes


class Feed:
    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.hub = Hub()
        self.loop: asyncio.AbstractEventLoop | None = None

    async def start(self) -> None:
        self.loop = asyncio.get_running_loop()
        await self.backend.start(self.hub.deliver, self._resync)

    async def stop(self) -> None:
        await self.backend.stop()
        self.hub.close_all()

    def _resync(self) -> None:
        self.hub.deliver(Message(RESYNC, {}))


_feed: Feed | None = None


async def start() -> Feed:
    """Start this process's feed (the application's lifespan does this)."""
    global _feed
    settings = get_settings()
    feed = Feed(choose(database_url=settings.resolved_database_url, redis_url=settings.redis_url))
    await feed.start()
    _feed = feed
    log.info("change feed: %s", feed.backend.name)
    return feed


async def stop() -> None:
    global _feed
    feed, _feed = _feed, None
    if feed is not None:
        await feed.stop()


def current() -> Feed | None:
    return _feed


def publish(topic: str, payload: dict[str, Any]) -> None:
    """Announce to every process (any thread). Payloads are small JSON objects."""
    publish_many([(topic, payload)])


def publish_many(messages: Iterable[tuple[str, dict[str, Any]]]) -> None:
    batch = [Message(topic, {**payload, "origin": ORIGIN}) for topic, payload in messages]
    if not batch:
        return
    feed = _feed
    if feed is None:  # no application in this process: reach the others where we can
        settings = get_settings()
        backend = choose(database_url=settings.resolved_database_url, redis_url=settings.redis_url)
        backend.publish(batch)
        return
    feed.backend.publish(batch)


def publish_local(topic: str, payload: dict[str, Any]) -> None:
    """Deliver to this process's subscribers only (on the event loop thread)."""
    if _feed is not None:
        _feed.hub.deliver(Message(topic, payload))


def subscribe(topics: Iterable[str], maxsize: int = DEFAULT_QUEUE) -> Subscription:
    """A subscription on this process's feed (on the event loop thread); close it when done."""
    if _feed is None:
        raise RuntimeError("the change feed is not running in this process")
    return _feed.hub.subscribe(topics, maxsize)
