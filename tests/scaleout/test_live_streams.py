"""Live streams against real `jiebang serve` processes: hundreds of open streams leave the API
answering; a score reported through one process reaches watchers on the others; the bearer
token never reaches the access log."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from ..conftest import PG_SERVER
from ..submissions.helpers import submit
from .live import BIN, Live, free_port, start, wait_http

STREAMS = 200
TIMEOUT = httpx.Timeout(180)  # generous: only that it answers is asserted, never how fast


class Served(Live):
    """`jiebang serve` with extra arguments (e.g. --processes 3)."""

    def __init__(self, root: Path, *args: str, **env: str) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = _env(root) | env
        argv = [str(BIN / "jiebang"), "serve", "--port", str(self.port), *args]
        self.server = start(argv, self.env, root / "api.log")
        wait_http(f"{self.url}/healthz", timeout=120)

    def log(self) -> str:
        return (self.root / "api.log").read_text(errors="replace")


def _env(root: Path) -> dict[str, str]:
    from ..submissions.helpers import FIXTURE_EVALUATORS
    from .live import REPO

    return dict(os.environ) | {
        "JIEBANG_ENVIRONMENT": "development",
        "JIEBANG_VAR_DIR": str(root / "var"),
        "JIEBANG_EVALUATORS_DIRS": json.dumps([str(REPO / "evaluators"), str(FIXTURE_EVALUATORS)]),
        "JIEBANG_FRONTEND_DIST": str(root / "none"),
        "JIEBANG_ARGON2_TIME_COST": "1",
        "JIEBANG_ARGON2_MEMORY_KIB": "1024",
        "JIEBANG_REDIS_URL": "",
    }


@pytest.fixture
def pg_url() -> Iterator[str]:
    name = f"jiebang_streams_{uuid.uuid4().hex[:8]}"
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@dataclass
class Stream:
    response: httpx.Response
    lines: AsyncIterator[str]
    ready: dict[str, Any]

    async def next_event(self) -> tuple[str, dict[str, Any]]:
        """The next event (pings and comments skipped)."""
        name, data = "message", ""
        async for line in self.lines:
            if line.startswith(":"):
                continue
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data += line[5:].strip()
            elif line == "" and data:
                return name, json.loads(data)
        raise EOFError("the stream ended")

    async def until_both(self, submission_id: int, phase_id: int) -> None:
        """Until this submission is scored and the board changed (in either order)."""
        scored = changed = False
        while not (scored and changed):
            name, data = await self.next_event()
            scored |= name == "submission" and data == {
                "submission_id": submission_id,
                "phase_id": phase_id,
                "status": "scored",
            }
            changed |= name == "leaderboard" and data.get("phase_id") == phase_id


async def open_stream(client: httpx.AsyncClient, headers: dict[str, str], phase: int) -> Stream:
    issued = await client.post("/api/v1/events/tickets", headers=headers)
    assert issued.status_code == 201, issued.text
    request = client.build_request(
        "GET", "/api/v1/events", params={"ticket": issued.json()["ticket"], "phase_id": phase}
    )
    response = await client.send(request, stream=True)
    assert response.status_code == 200, await response.aread()
    stream = Stream(response=response, lines=response.aiter_lines(), ready={})
    name, data = await stream.next_event()
    assert name == "ready"
    stream.ready = data
    return stream


def _client(url: str) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=50)
    return httpx.AsyncClient(base_url=url, timeout=TIMEOUT, limits=limits)


@pytest.mark.timeout(500)
@pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_two_hundred_open_streams_leave_the_api_answering(
    database: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    env = {"JIEBANG_EMBEDDED_WORKERS": "0"}
    if database == "postgresql":
        env["JIEBANG_DATABASE_URL"] = request.getfixturevalue("pg_url")
    live = Served(tmp_path / "live", **env)
    try:
        ids, team = live.phase_with_team()
        token = team["Authorization"].split()[1]

        async def scenario() -> None:
            async with _client(live.url) as client:
                streams = await asyncio.gather(
                    *(open_stream(client, team, ids["phase"]) for _ in range(STREAMS))
                )
                assert len(streams) == STREAMS  # every one of them got its `ready` event
                plain = await client.get("/api/v1/contests")  # while all 200 are open
                assert plain.status_code == 200 and plain.json()
                for stream in streams:
                    await stream.response.aclose()

        asyncio.run(scenario())
        log = live.log()
        assert log.count("GET /api/v1/events?ticket=") >= STREAMS  # the access log is on
        assert token not in log  # ... and the bearer token is nowhere in it
    finally:
        live.stop()


@pytest.mark.postgres
@pytest.mark.timeout(500)
def test_a_score_reported_through_one_process_reaches_watchers_on_the_others(
    tmp_path: Path, pg_url: str
) -> None:
    live = Served(
        tmp_path / "live",
        "--processes",
        "3",
        JIEBANG_DATABASE_URL=pg_url,
        JIEBANG_EMBEDDED_WORKERS="1",
        JIEBANG_HOUSEKEEPING_SECONDS="1",
    )
    try:
        ids, team = live.phase_with_team()

        async def scenario() -> None:
            async with _client(live.url) as client:
                streams: list[Stream] = []
                # connections land on whichever process accepts first: open until all serve some
                while len({s.ready["process"] for s in streams}) < 3 and len(streams) < 300:
                    streams.append(await open_stream(client, team, ids["phase"]))
                processes = {s.ready["process"] for s in streams}
                assert len(processes) == 3, f"{len(streams)} streams on {len(processes)}"
                with httpx.Client(base_url=live.url, timeout=TIMEOUT) as sync:
                    data = b"a 1\nb 2\nc 3\nd 4\n"
                    done = await asyncio.to_thread(submit, sync, team, ids["phase"], data)  # type: ignore[arg-type]
                assert done.status_code == 200, done.text
                sub_id = done.json()["id"]
                # the embedded worker (in one process) reports the score over HTTP (to any);
                # every watcher, on every process, hears the status and the board change
                heard = asyncio.gather(*(s.until_both(sub_id, ids["phase"]) for s in streams))
                await asyncio.wait_for(heard, timeout=240)
                for stream in streams:
                    await stream.response.aclose()

        asyncio.run(scenario())
        with httpx.Client(base_url=live.url, headers=team, timeout=TIMEOUT) as sync:
            mine = sync.get(f"/api/v1/phases/{ids['phase']}/submissions/mine").json()
        assert [s["status"] for s in mine] == ["scored"]
        holder = (tmp_path / "live" / "var" / "run" / "duties.lock").read_text().split()
        assert len(holder) == 1  # one process runs the embedded worker and the housekeeper
    finally:
        live.stop()
