"""How a process hears of changes: in process memory, PostgreSQL LISTEN/NOTIFY or Redis pub/sub.

Each backend keeps ONE listener per process (a connection on the event loop) and hands what
it hears to the hub. ``publish`` may be called from any thread (request handlers commit in
the thread pool). The PostgreSQL and Redis backends deliver a process's own messages back
to it through the server, so every process sees the same order.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import psycopg
import redis
import redis.asyncio as aioredis
from sqlalchemy import text
from sqlalchemy.engine import make_url

from jiebang.feed.hub import Message

log = logging.getLogger(__name__)
OnMessage = Callable[[Message], None]
OnResync = Callable[[], None]
MAX_PAYLOAD = 7900  # PostgreSQL refuses NOTIFY payloads of 8000 bytes or more


def encode(message: Message) -> str:
    return json.dumps({"t": message.topic, "p": message.payload}, separators=(",", ":"))


def decode(raw: str | bytes) -> Message | None:
    try:
        found: Any = json.loads(raw)
        return Message(topic=str(found["t"]), payload=dict(found["p"]))
    except (ValueError, KeyError, TypeError):
        log.warning("ignoring a malformed feed message")
        return None


def channel_for(database_url: str) -> str:
    """One channel per deployment: two platforms sharing a Redis never hear each other."""
    return "jiebang_feed_" + hashlib.sha256(database_url.encode()).hexdigest()[:12]


class Backend(Protocol):
    name: str

    async def start(self, on_message: OnMessage, on_resync: OnResync) -> None: ...

    async def stop(self) -> None: ...

    def publish(self, messages: Sequence[Message]) -> None: ...


class MemoryBackend:
    """Embedded mode: the process is the whole platform, so the loop is the feed."""

    name = "memory"

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._on_message: OnMessage | None = None

    async def start(self, on_message: OnMessage, on_resync: OnResync) -> None:
        self._loop, self._on_message = asyncio.get_running_loop(), on_message

    async def stop(self) -> None:
        self._loop = self._on_message = None

    def publish(self, messages: Sequence[Message]) -> None:
        loop, deliver = self._loop, self._on_message
        if loop is None or deliver is None or loop.is_closed():
            return  # nobody in this process listens (a CLI command, a test without the app)
        for message in messages:
            loop.call_soon_threadsafe(deliver, message)


class _ListeningBackend:
    """Shared by PostgreSQL and Redis: a reconnecting listener task on the event loop."""

    name = "listening"

    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None
        self._listening = asyncio.Event()

    async def start(self, on_message: OnMessage, on_resync: OnResync) -> None:
        self._listening = asyncio.Event()
        self._task = asyncio.create_task(self._run(on_message, on_resync), name="feed-listener")
        with contextlib.suppress(TimeoutError):  # a server down at start-up: keep retrying
            await asyncio.wait_for(self._listening.wait(), timeout=10)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None

    async def _run(self, on_message: OnMessage, on_resync: OnResync) -> None:
        backoff, first = 0.2, True
        while True:
            try:
                async for message in self._listen(first=first, on_resync=on_resync):
                    backoff, first = 0.2, False
                    on_message(message)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the server went away: reconnect, then resynchronise
                log.warning("change feed (%s) lost its listener: %s", self.name, exc)
            first = False
            self._listening.clear()
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 10.0)

    def _listen(self, *, first: bool, on_resync: OnResync) -> Any:
        raise NotImplementedError


class PostgresBackend(_ListeningBackend):
    """LISTEN on one channel over one psycopg 3 async connection per process."""

    name = "postgres"

    def __init__(self, database_url: str) -> None:
        super().__init__()
        url = make_url(database_url).set(drivername="postgresql")
        self._conninfo = url.render_as_string(hide_password=False)
        self.channel = "jiebang_feed"  # NOTIFY is per database already

    async def _listen(self, *, first: bool, on_resync: OnResync) -> Any:
        conn = await psycopg.AsyncConnection.connect(self._conninfo, autocommit=True)
        async with conn:
            await conn.execute(f"LISTEN {self.channel}")
            self._listening.set()
            if not first:
                on_resync()  # what was announced while we were away is lost: recheck
            async for notify in conn.notifies():
                message = decode(notify.payload)
                if message is not None:
                    yield message

    def publish(self, messages: Sequence[Message]) -> None:
        from jiebang.db import get_engine

        with get_engine().connect() as conn:
            for message in messages:
                payload = encode(message)
                if len(payload.encode()) > MAX_PAYLOAD:
                    log.warning("feed message on %s too large; dropped", message.topic)
                    continue
                conn.execute(
                    text("SELECT pg_notify(:channel, :payload)"),
                    {"channel": self.channel, "payload": payload},
                )
            conn.commit()


class RedisBackend(_ListeningBackend):
    """SUBSCRIBE on one channel per deployment; publishing goes through a shared client."""

    name = "redis"

    def __init__(self, redis_url: str, database_url: str) -> None:
        super().__init__()
        self._url = redis_url
        self.channel = channel_for(database_url)
        self._client = redis.Redis.from_url(redis_url)

    async def _listen(self, *, first: bool, on_resync: OnResync) -> Any:
        client = aioredis.Redis.from_url(self._url)
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            await pubsub.subscribe(self.channel)
            self._listening.set()
            if not first:
                on_resync()
            async for item in pubsub.listen():
                if item.get("type") == "message":
                    message = decode(item["data"])
                    if message is not None:
                        yield message
        finally:
            await pubsub.aclose()
            await client.aclose()

    def publish(self, messages: Sequence[Message]) -> None:
        with self._client.pipeline(transaction=False) as pipe:
            for message in messages:
                pipe.publish(self.channel, encode(message))
            pipe.execute()


def choose(*, database_url: str, redis_url: str) -> Backend:
    """Redis where configured, else PostgreSQL's NOTIFY on PostgreSQL, else process memory."""
    if redis_url:
        return RedisBackend(redis_url, database_url)
    if database_url.startswith("postgresql"):
        return PostgresBackend(database_url)
    return MemoryBackend()
