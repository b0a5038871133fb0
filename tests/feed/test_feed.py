"""The change feed on its real backends: process memory, PostgreSQL LISTEN/NOTIFY, Redis."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Awaitable, Callable, Iterator

import pytest
from sqlalchemy import create_engine, text

from jiebang.config import get_settings
from jiebang.db import get_engine
from jiebang.feed import service as feed
from jiebang.feed.backends import MemoryBackend, PostgresBackend, RedisBackend, choose
from jiebang.feed.hub import Hub, Message, Subscription

REDIS = "redis://127.0.0.1:6379/0"


async def next_message(subscription: Subscription) -> Message | None:
    return await asyncio.wait_for(subscription.get(), timeout=30)


def run(coro: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(coro())  # type: ignore[arg-type]


def test_backend_follows_the_settings() -> None:
    assert isinstance(choose(database_url="sqlite:///x.db", redis_url=""), MemoryBackend)
    pg = "postgresql+psycopg://postgres@127.0.0.1:5432/x"
    assert isinstance(choose(database_url=pg, redis_url=""), PostgresBackend)
    assert isinstance(choose(database_url=pg, redis_url=REDIS), RedisBackend)


def test_hub_routes_by_topic_and_drops_a_subscriber_that_stops_reading() -> None:
    async def scenario() -> None:
        hub = Hub()
        team, other = hub.subscribe(["team:1"]), hub.subscribe(["team:2"])
        slow = hub.subscribe(["team:1"], maxsize=2)
        for n in range(3):
            hub.deliver(Message("team:1", {"n": n}))
        assert [(await team.get()).payload["n"] for _ in range(3)] == [0, 1, 2]  # type: ignore[union-attr]
        assert other.get_nowait() is None
        assert slow.dropped and hub.subscribers("team:1") == 1
        ended = [slow.get_nowait() for _ in range(3)]  # what it had, then the end
        assert [m.payload["n"] if m else None for m in ended] == [0, 1, None]
        team.close()
        assert hub.subscribers("team:1") == 0

    run(scenario)


def test_memory_feed_delivers_what_another_thread_publishes(
    platform_env: None, database_url: str
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("the memory feed is the SQLite (embedded) one")

    async def scenario() -> None:
        await feed.start()
        try:
            with feed.subscribe(["team:7"]) as mine, feed.subscribe(["team:8"]) as theirs:
                worker = threading.Thread(target=feed.publish, args=("team:7", {"status": "ok"}))
                worker.start()
                worker.join()
                got = await next_message(mine)
                assert got is not None and got.payload["status"] == "ok"
                assert got.payload["origin"] == feed.ORIGIN
                assert theirs.get_nowait() is None
        finally:
            await feed.stop()

    run(scenario)


@pytest.fixture
def on_postgres(pg_database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("JIEBANG_DATABASE_URL", pg_database)
    monkeypatch.setenv("JIEBANG_REDIS_URL", "")
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield pg_database
    get_engine().dispose()
    get_settings.cache_clear()
    get_engine.cache_clear()


@pytest.mark.postgres
def test_postgres_notify_reaches_every_listener_and_a_lost_listener_resyncs(
    on_postgres: str,
) -> None:
    """Two listeners stand for two API processes; one of them loses its connection."""

    async def scenario() -> None:
        first, second = (
            feed.Feed(PostgresBackend(on_postgres)),
            feed.Feed(PostgresBackend(on_postgres)),
        )
        await first.start()
        await second.start()
        try:
            a = first.hub.subscribe(["board", feed.RESYNC])
            b = second.hub.subscribe(["board", feed.RESYNC])
            await asyncio.to_thread(first.backend.publish, [Message("board", {"phase_ids": [3]})])
            for sub in (a, b):
                got = await next_message(sub)
                assert got is not None and got.payload == {"phase_ids": [3]}
            # the server drops the second listener's connection: it comes back and says so
            admin = create_engine(on_postgres)
            with admin.connect() as conn:
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND query LIKE 'LISTEN%'"
                        " AND pid <> pg_backend_pid()"
                    )
                )
            admin.dispose()
            resyncs = []
            for sub in (a, b):
                got = await next_message(sub)
                assert got is not None
                resyncs.append(got.topic)
            assert resyncs == [feed.RESYNC, feed.RESYNC]
            await asyncio.to_thread(first.backend.publish, [Message("board", {"phase_ids": [4]})])
            for sub in (a, b):
                got = await next_message(sub)
                assert got is not None and got.payload == {"phase_ids": [4]}
        finally:
            await first.stop()
            await second.stop()

    run(scenario)


def test_redis_reaches_every_listener_of_the_same_deployment_only() -> None:
    deployment = f"postgresql+psycopg://x@127.0.0.1/{uuid.uuid4().hex}"
    elsewhere = f"postgresql+psycopg://x@127.0.0.1/{uuid.uuid4().hex}"

    async def scenario() -> None:
        feeds = [
            feed.Feed(RedisBackend(REDIS, deployment)),
            feed.Feed(RedisBackend(REDIS, deployment)),
            feed.Feed(RedisBackend(REDIS, elsewhere)),
        ]
        for f in feeds:
            await f.start()
        try:
            subs = [f.hub.subscribe(["team:1"]) for f in feeds]
            await asyncio.to_thread(feeds[0].backend.publish, [Message("team:1", {"n": 1})])
            for sub in subs[:2]:
                got = await next_message(sub)
                assert got is not None and got.payload == {"n": 1}
            # a marker on the other deployment's channel arrives; nothing came before it
            await asyncio.to_thread(feeds[2].backend.publish, [Message("team:1", {"n": 2})])
            got = await next_message(subs[2])
            assert got is not None and got.payload == {"n": 2}
        finally:
            for f in feeds:
                await f.stop()

    run(scenario)
