"""The process's fan-out: one bounded queue per subscriber, routed by topic.

Everything here runs on the event loop thread. A subscriber that stops reading is dropped
when its queue fills (its stream ends and the browser reconnects): one slow client never
holds up the others or grows the process's memory.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from typing import Any

DEFAULT_QUEUE = 256


@dataclass(frozen=True)
class Message:
    topic: str
    payload: dict[str, Any]


class Subscription:
    """Messages on some topics, in arrival order; ``None`` from ``get`` means it was closed."""

    def __init__(self, hub: Hub, topics: Iterable[str], maxsize: int) -> None:
        self.topics = frozenset(topics)
        self.dropped = False
        self._hub = hub
        self._queue: asyncio.Queue[Message | None] = asyncio.Queue(maxsize + 1)
        self._maxsize = maxsize
        self._closed = False

    def offer(self, message: Message) -> None:
        if self._closed:
            return
        if self._queue.qsize() >= self._maxsize:
            self.dropped = True  # too slow: end it rather than buffer without bound
            self.close()
            return
        self._queue.put_nowait(message)

    async def get(self) -> Message | None:
        return await self._queue.get()

    def get_nowait(self) -> Message | None:
        """The next queued message, or None when none is waiting."""
        try:
            return self._queue.get_nowait()
        except asyncio.QueueEmpty:
            return None

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._hub.remove(self)
        self._queue.put_nowait(None)  # wakes a reader waiting in get(); room was kept for it

    async def __aiter__(self) -> AsyncIterator[Message]:
        while (message := await self.get()) is not None:
            yield message

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class Hub:
    def __init__(self) -> None:
        self._by_topic: dict[str, set[Subscription]] = {}
        self.delivered = 0

    def subscribe(self, topics: Iterable[str], maxsize: int = DEFAULT_QUEUE) -> Subscription:
        subscription = Subscription(self, topics, maxsize)
        for topic in subscription.topics:
            self._by_topic.setdefault(topic, set()).add(subscription)
        return subscription

    def remove(self, subscription: Subscription) -> None:
        for topic in subscription.topics:
            found = self._by_topic.get(topic)
            if found is not None:
                found.discard(subscription)
                if not found:
                    del self._by_topic[topic]

    def deliver(self, message: Message) -> None:
        for subscription in list(self._by_topic.get(message.topic, ())):
            subscription.offer(message)
            self.delivered += 1

    def subscribers(self, topic: str) -> int:
        return len(self._by_topic.get(topic, ()))

    def close_all(self) -> None:
        for subscription in {s for subs in self._by_topic.values() for s in subs}:
            subscription.close()
