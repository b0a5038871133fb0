"""Live streams on one API process (run by hand): what a watcher costs, and what scores cost.

Starts one API process (embedded SQLite, or PostgreSQL with LISTEN/NOTIFY: --database), seeds a
published contest with teams through the real API, then opens server-sent event streams in
steps up to --streams (default 10,000, or as many as the file-descriptor limit allows), each
with its own single-use ticket. At each step it measures:

- memory per stream: the server's RSS growth over the streams opened, divided by their number;
- idle CPU: the server's CPU time over --idle seconds with every stream open (% of one core);
- database statements per second over the same idle window, counted inside the server (they
  must not grow with the number of streams: there is no polling);
- delivery latency: a worker reports a score through the worker API (a new team on the public
  board), and every stream's `leaderboard` event is timed from just before the report was
  sent; p50, p95, p99 over all streams and --scores reports (target p95 < 1 s);
- the p95 of a plain `GET /api/v1/contests` while the streams are open (target < 50 ms).

    .venv/bin/python bench/bench_live.py [--database sqlite|postgresql] [--streams 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG_SERVER = os.environ.get("JIEBANG_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
WORKER_TOKEN = "bench-live-worker-" + "w" * 40
PASSWORD = "bench-live-password"


def serve(port: int) -> None:
    """The server under test: `jiebang serve`'s app, plus a count of database statements."""
    import uvicorn
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from jiebang.cli import db as db_cli
    from jiebang.main import create_app

    db_cli.upgrade_to_head()
    statements = [0]

    @event.listens_for(Engine, "before_cursor_execute")
    def count(*_args: Any) -> None:
        statements[0] += 1

    app = create_app()
    app.add_api_route("/bench/statements", lambda: {"statements": statements[0]})
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", backlog=4096)


class Server:
    def __init__(self, root: Path, database_url: str) -> None:
        from tests.scaleout.live import free_port, wait_http

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ) | {
            "JIEBANG_ENVIRONMENT": "development",
            "JIEBANG_VAR_DIR": str(root / "var"),
            "JIEBANG_DATABASE_URL": database_url,
            "JIEBANG_REDIS_URL": "",
            "JIEBANG_EMBEDDED_WORKERS": "0",
            "JIEBANG_WORKER_TOKEN": WORKER_TOKEN,
            "JIEBANG_LOGIN_RATE_LIMIT": "100000/minute",  # every bench user logs in from here
            "JIEBANG_READINESS_REQUIRED": "false",  # the bench's track is not checked first
            "JIEBANG_ARGON2_TIME_COST": "1",
            "JIEBANG_ARGON2_MEMORY_KIB": "1024",
            "JIEBANG_FRONTEND_DIST": str(root / "none"),
            "JIEBANG_EVALUATORS_DIRS": json.dumps(
                [str(ROOT / "evaluators"), str(ROOT / "tests" / "fixtures" / "evaluators")]
            ),
        }
        argv = [sys.executable, __file__, "--serve", str(self.port)]
        self.log = (root / "server.log").open("ab")
        self.proc = subprocess.Popen(argv, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        wait_http(f"{self.url}/healthz", timeout=180)

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def statements(self) -> int:
        return int(httpx.get(f"{self.url}/bench/statements", timeout=60).json()["statements"])

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def seed(server: Server, teams: int) -> tuple[int, list[str], list[dict[str, str]]]:
    """A published contest on the line_scores track; `teams` teams of one member each."""
    os.environ.update(server.env)
    from sqlmodel import Session
    from tests.submissions.helpers import setup_phase

    from jiebang.auth import service as user_service
    from jiebang.auth.models import Role, UserCreate
    from jiebang.config import get_settings
    from jiebang.db import get_engine

    get_settings.cache_clear()
    with Session(get_engine()) as db:
        for i in range(teams + 1):
            role = Role.organiser if i == 0 else Role.participant
            user_in = UserCreate(
                email=f"u{i}@bench.example.org", display_name=f"u{i}", password=PASSWORD
            )
            user_service.create(db=db, user_in=user_in, role=role)
    get_engine().dispose()
    with httpx.Client(base_url=server.url, timeout=120) as client:

        def login(i: int) -> dict[str, str]:
            body = {"email": f"u{i}@bench.example.org", "password": PASSWORD}
            token = client.post("/api/v1/auth/login", json=body).json()["access_token"]
            return {"Authorization": f"Bearer {token}"}

        ids = setup_phase(client, login(0), daily_quota=100, total_quota=100)  # type: ignore[arg-type]
        members = [login(i) for i in range(1, teams + 1)]
        for n, headers in enumerate(members):
            created = client.post(
                f"/api/v1/contests/{ids['contest']}/teams", json={"name": f"t{n}"}, headers=headers
            )
            created.raise_for_status()
    return ids["phase"], [h["Authorization"] for h in members], members


class Stream:
    def __init__(self) -> None:
        self.ready = asyncio.get_running_loop().create_future()
        self.boards: list[float] = []  # arrival times of `leaderboard` events
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self, port: int, ticket: str, phase_id: int) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 16)
        path = f"/api/v1/events?ticket={ticket}&phase_id={phase_id}&max_seconds=3600"
        self.writer.write(f"GET {path} HTTP/1.0\r\nAccept: text/event-stream\r\n\r\n".encode())
        await self.writer.drain()
        asyncio.get_running_loop().create_task(self._read())
        await asyncio.wait_for(self.ready, timeout=300)

    async def _read(self) -> None:
        assert self.reader is not None
        status = await self.reader.readline()
        if b" 200 " not in status:
            self.ready.set_exception(RuntimeError(status.decode(errors="replace")))
            return
        while line := await self.reader.readline():
            if line.startswith(b"event: ready"):
                self.ready.set_result(None)
            elif line.startswith(b"event: leaderboard"):
                self.boards.append(time.perf_counter())

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def open_streams(server: Server, auth: list[str], phase_id: int, count: int) -> list[Stream]:
    limits = httpx.Limits(max_connections=32, max_keepalive_connections=32)
    async with httpx.AsyncClient(base_url=server.url, timeout=300, limits=limits) as client:
        gate = asyncio.Semaphore(32)

        async def one(n: int) -> Stream:
            async with gate:
                headers = {"Authorization": auth[n % len(auth)]}
                for attempt in range(3):  # a kept-alive connection the server just closed
                    try:
                        issued = await client.post("/api/v1/events/tickets", headers=headers)
                        break
                    except httpx.TransportError:
                        if attempt == 2:
                            raise
                issued.raise_for_status()
                stream = Stream()
                await stream.open(server.port, issued.json()["ticket"], phase_id)
                return stream

        return list(await asyncio.gather(*(one(n) for n in range(count))))


async def plain_p95(server: Server, requests: int) -> float:
    async with httpx.AsyncClient(base_url=server.url, timeout=120) as client:
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            (await client.get("/api/v1/contests")).raise_for_status()
            timings.append(1000 * (time.perf_counter() - started))
    return percentile(timings, 95)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def deliveries(
    server: Server, members: list[dict[str, str]], phase_id: int, streams: list[Stream], scores: int
) -> tuple[list[float], int]:
    """Report `scores` new teams' scores; latency of each stream's `leaderboard` event (ms)."""
    from tests.submissions.helpers import submit

    latencies, missing = [], 0
    worker = {"Authorization": f"Worker {WORKER_TOKEN}"}
    with httpx.Client(base_url=server.url, timeout=120) as client:
        for n in range(scores):
            team = members.pop()
            data = b"a 1\nb 2\nc 3\nd 4\n"
            done = await asyncio.to_thread(submit, client, team, phase_id, data)  # type: ignore[arg-type]
            done.raise_for_status()
            claim = client.post("/api/v1/worker/claim", json={"worker": "bench"}, headers=worker)
            spec = claim.json()
            value = 0.001 * (n + 1)
            result = {
                "lease_owner": spec["lease_owner"],
                "outcome": "scored",
                "result": {
                    "metrics": {"mae": value},
                    "metrics_by_split": {"public": {"mae": value}, "private": {"mae": value}},
                    "items": [
                        {
                            "id": k,
                            "split": "public" if k in "ab" else "private",
                            "metrics": {"mae": value},
                        }
                        for k in "abcd"
                    ],
                },
            }
            await asyncio.sleep(1)  # the submission's own board change has been told by now
            before = [len(s.boards) for s in streams]
            sent = time.perf_counter()
            await asyncio.to_thread(
                client.post,
                f"/api/v1/worker/jobs/{spec['job_id']}/result",
                json=result,
                headers=worker,
            )
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and any(
                len(s.boards) <= b for s, b in zip(streams, before, strict=True)
            ):
                await asyncio.sleep(0.05)
            for s, b in zip(streams, before, strict=True):
                if len(s.boards) > b:
                    latencies.append(1000 * (s.boards[b] - sent))
                else:
                    missing += 1
    return latencies, missing


async def measure(args: argparse.Namespace, root: Path, database_url: str) -> None:
    server = Server(root, database_url)
    try:
        phase_id, auth, members = seed(server, teams=args.teams)
        print(
            f"== {args.database}: one API process, change feed "
            f"{'PostgreSQL LISTEN/NOTIFY' if args.database == 'postgresql' else 'in process memory'}"
        )
        steps = sorted({0, *(max(1, args.streams * k // 4) for k in (1, 2, 4))})
        streams: list[Stream] = []
        rows = []
        for target in steps:
            started = time.perf_counter()
            streams += await open_streams(server, auth, phase_id, target - len(streams))
            opened = time.perf_counter() - started
            await asyncio.sleep(3)
            rss = server.rss_kib()
            cpu0, st0, t0 = server.cpu_seconds(), server.statements(), time.perf_counter()
            await asyncio.sleep(args.idle)
            cpu1, st1, t1 = server.cpu_seconds(), server.statements(), time.perf_counter()
            idle_cpu = 100 * (cpu1 - cpu0) / (t1 - t0)
            per_s = (st1 - st0) / (t1 - t0)  # reading the count runs no statement
            p95 = await plain_p95(server, args.requests)
            lat, missing = (
                (await deliveries(server, members, phase_id, streams, args.scores))
                if streams
                else ([], 0)
            )
            rows.append((target, rss, idle_cpu, per_s, p95, lat, missing, opened))
            previous = rows[-2] if len(rows) > 1 else None
            grown = target - previous[0] if previous else 0  # streams added in this step
            per_stream = (rss - previous[1]) / grown if previous and grown else 0.0
            print(
                f"{target:>6} streams (opened in {opened:5.1f} s): RSS {rss / 1024:7.1f} MiB"
                f" (+{per_stream:5.1f} KiB per stream added), idle CPU {idle_cpu:5.1f} % of a core,"
                f" DB statements {per_s:5.2f}/s, plain GET p95 {p95:6.1f} ms"
                + (
                    f", delivery p50 {percentile(lat, 50):6.0f} p95 {percentile(lat, 95):6.0f}"
                    f" p99 {percentile(lat, 99):6.0f} ms ({len(lat)} events, {missing} missing)"
                    if streams
                    else ""
                )
            )
        first, last = rows[0], rows[-1]
        print(
            f"ratios at {last[0]} streams vs none: DB statements/s {ratio(last[3], first[3])},"
            f" idle CPU {ratio(last[2], first[2])}, plain GET p95 {ratio(last[4], first[4])};"
            f" delivery p95 {percentile(last[5], 95) / 1000:.2f} s (target < 1 s),"
            f" plain p95 {last[4]:.1f} ms (target < 50 ms)"
        )
        for stream in streams:
            stream.close()
    finally:
        server.stop()


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else ("1.00x" if not a else "n/a (0 before)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--streams", type=int, default=10_000)
    parser.add_argument("--teams", type=int, default=20)
    parser.add_argument("--scores", type=int, default=3, help="score reports timed per step")
    parser.add_argument("--idle", type=float, default=10, help="seconds of the idle window")
    parser.add_argument("--requests", type=int, default=100, help="plain requests timed per step")
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if args.streams > hard - 200:
        print(f"file-descriptor limit {hard}: capping at {hard - 200} streams")
        args.streams = hard - 200
    args.teams = max(args.teams, 4 * args.scores + 1)
    with tempfile.TemporaryDirectory(prefix="bench-live-") as tmp:
        root = Path(tmp)
        if args.database == "sqlite":
            asyncio.run(measure(args, root, f"sqlite:///{root / 'bench.db'}"))
            return
        from sqlalchemy import create_engine, text

        name = f"jiebang_bench_live_{uuid.uuid4().hex[:8]}"
        admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            asyncio.run(measure(args, root, f"{PG_SERVER}/{name}"))
        finally:
            with contextlib.suppress(Exception), admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
