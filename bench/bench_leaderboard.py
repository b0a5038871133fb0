"""Public leaderboard under load while scores land, against the same server's /healthz
(run by hand).

Seeds a throw-away PostgreSQL database with 1,000 teams and 20,000 scored submissions (plus
submissions being evaluated, whose scores arrive during the run), builds the ranked table as
the migration's back-fill does, and measures:

- the cold board: rendering the board with no cached copy (the ranked table read in rank
  order, rows, JSON, gzip), in this process, median and worst of 20 (target <= 50 ms);
- with 100 concurrent connections (wrk, bounded by duration) against uvicorn on loopback:
  /healthz, then the public leaderboard while a worker reports scores through the worker API
  (--scores-per-second), each one changing the board and dropping the server's cached copy.
  Prints requests/s, the ratio to /healthz (target >= 0.8) and the leaderboard's p95
  (target < 50 ms).

    .venv/bin/python bench/bench_leaderboard.py [--seconds 30] [--connections 100]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import create_engine, insert, text
from sqlmodel import Session, SQLModel

ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = os.environ.get("JIEBANG_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
WORKER_TOKEN = "bench-worker-" + "w" * 40
LEASE_OWNER = "bench-worker"
EVALUATORS = [str(ROOT / "evaluators"), str(ROOT / "tests" / "fixtures" / "evaluators")]
LUA = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %f %f %d %d\\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(95) / 1000, summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
"""


def seed(url: str, *, teams: int, submissions: int, pending: int) -> list[int]:
    """Insert the contest, teams, scored submissions and `pending` submissions under
    evaluation (their jobs leased to the bench's worker) in bulk; returns the pending jobs."""
    import jiebang.models  # noqa: F401 - registers every table
    from jiebang.auth.models import User
    from jiebang.contests.models import Contest, Phase, Track
    from jiebang.evaluation.models import EvaluationJob, Score
    from jiebang.submissions.models import Submission
    from jiebang.teams.models import Team, TeamMember

    engine = create_engine(url)
    SQLModel.metadata.create_all(engine)
    now = datetime.now(UTC)
    rng = random.Random(7)
    with engine.begin() as conn:
        conn.execute(
            insert(User),
            [
                {
                    "email": f"u{i}@bench.org",
                    "display_name": f"user {i}",
                    "password_hash": "x",
                    "role": "participant",
                    "locale": "en",
                    "is_active": True,
                    "created_at": now,
                }
                for i in range(1, teams + 1)
            ],
        )
        conn.execute(
            insert(Contest),
            [
                {
                    "slug": "bench",
                    "title_zh": "压测",
                    "title_en": "Bench",
                    "edition": "1",
                    "year": 2024,
                    "timezone": "Asia/Shanghai",
                    "description_zh": "",
                    "description_en": "",
                    "requires_team_approval": False,
                    "team_size_limit": 5,
                    "status": "published",
                    "created_at": now,
                }
            ],
        )
        conn.execute(
            insert(Track),
            [
                {
                    "contest_id": 1,
                    "slug": "lines",
                    "title_zh": "行",
                    "title_en": "Lines",
                    "description_zh": "",
                    "description_en": "",
                    "evaluator_key": "line_scores",
                    "evaluator_version": "1.0.0",
                    "evaluator_config": {},
                    "submission_kind": "results",
                    "max_submission_bytes": 1 << 20,
                    "time_limit_seconds": 60,
                    "memory_limit_bytes": 1 << 30,
                    "sandbox_limits": {},
                    "leaderboard": {},
                    "requires_decoder_lock": False,
                }
            ],
        )
        conn.execute(
            insert(Phase),
            [
                {
                    "track_id": 1,
                    "slug": "final",
                    "title_zh": "决赛",
                    "title_en": "Final",
                    "starts_at": now - timedelta(days=10),
                    "ends_at": now + timedelta(days=10),
                    "freeze_at": None,
                    "daily_quota": 100,
                    "total_quota": 1000,
                    "concurrent_quota": 2,
                    "leaderboard_visibility": "public",
                    "submission_rule": "best",
                    "max_selected": 2,
                    "public_item_ids": ["a", "b"],
                    "private_item_ids": ["c", "d"],
                    "verify_top_k": 0,
                }
            ],
        )
        conn.execute(
            insert(Team),
            [
                {
                    "contest_id": 1,
                    "name": f"team {i:04d}",
                    "captain_id": i,
                    "invite_code": f"BENCH{i:05d}",
                    "size_limit": 5,
                    "approved": True,
                    "created_at": now,
                }
                for i in range(1, teams + 1)
            ],
        )
        conn.execute(
            insert(TeamMember),
            [
                {"team_id": i, "contest_id": 1, "user_id": i, "joined_at": now}
                for i in range(1, teams + 1)
            ],
        )
        subs, jobs, scores = [], [], []
        for n in range(1, submissions + pending + 1):
            team = rng.randint(1, teams)
            at = now - timedelta(days=9) + timedelta(seconds=n * 30)
            public, private = rng.random(), rng.random()
            scored = n <= submissions
            subs.append(
                {
                    "id": n,
                    "phase_id": 1,
                    "team_id": team,
                    "submitter_id": team,
                    "status": "scored" if scored else "running",
                    "filename": "scores.txt",
                    "description": "",
                    "declared_size": 10,
                    "declared_sha256": "0" * 64,
                    "upload_key": f"k/{n}",
                    "upload_id": f"u{n}",
                    "part_size": 10,
                    "charged": True,
                    "refunded": False,
                    "selected": False,
                    "created_at": at,
                    "queued_at": at,
                    "finished_at": at,
                }
            )
            jobs.append(
                {
                    "id": n,
                    "submission_id": n,
                    "evaluator_key": "line_scores",
                    "evaluator_version": "1.0.0",
                    "purpose": "initial",
                    "status": "done" if scored else "running",
                    "attempts": 1,
                    "max_attempts": 3,
                    "lease_owner": None if scored else LEASE_OWNER,
                    "lease_expires_at": None if scored else now + timedelta(days=1),
                    "logs": {},
                    "created_at": at,
                }
            )
            if not scored:
                continue
            items = [
                {
                    "id": k,
                    "split": "public" if k in "ab" else "private",
                    "metrics": {"mae": public if k in "ab" else private},
                }
                for k in "abcd"
            ]
            scores.append(
                {
                    "job_id": n,
                    "submission_id": n,
                    "evaluator_version": "1.0.0",
                    "is_current": True,
                    "metrics": {"mae": (public + private) / 2},
                    "metrics_by_split": {"public": {"mae": public}, "private": {"mae": private}},
                    "items": items,
                    "plots": {},
                    "warnings": [],
                    "logs": {},
                    "created_at": at,
                }
            )
        conn.execute(insert(Submission), subs)
        conn.execute(insert(EvaluationJob), jobs)
        conn.execute(insert(Score), scores)
        for table in ("submission", "evaluation_job", "score"):
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608 - fixed table names
                )
            )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))  # what autovacuum would have done on a live server
    engine.dispose()
    return list(range(submissions + 1, submissions + pending + 1))


def result_for(rng: random.Random) -> dict[str, object]:
    """A worker's report of a scored submission (line_scores' shape: MAE per split)."""
    public, private = rng.random(), rng.random()
    return {
        "lease_owner": LEASE_OWNER,
        "outcome": "scored",
        "result": {
            "metrics": {"mae": (public + private) / 2},
            "metrics_by_split": {"public": {"mae": public}, "private": {"mae": private}},
            "items": [
                {"id": k, "split": "public" if k in "ab" else "private", "metrics": {"mae": v}}
                for k, v in zip("abcd", (public, public, private, private), strict=True)
            ],
        },
    }


class Reporter(threading.Thread):
    """Reports pending jobs' scores through the worker API at a steady rate."""

    def __init__(self, base: str, jobs: list[int], per_second: float) -> None:
        super().__init__(daemon=True)
        self.base, self.jobs, self.per_second = base, list(jobs), per_second
        self.stop = threading.Event()
        self.reported: list[float] = []  # seconds each report took

    def run(self) -> None:
        rng = random.Random(11)
        headers = {"Authorization": f"Worker {WORKER_TOKEN}"}
        with httpx.Client(base_url=self.base, headers=headers, timeout=30) as client:
            while self.jobs and not self.stop.wait(1 / self.per_second):
                job = self.jobs.pop(0)
                started = time.perf_counter()
                response = client.post(f"/api/v1/worker/jobs/{job}/result", json=result_for(rng))
                response.raise_for_status()
                self.reported.append(time.perf_counter() - started)


def backfill_and_cold_board(url: str, *, phase_id: int, repeats: int) -> None:
    """Build the ranked table (the migration's back-fill), then time cold renders."""
    from jiebang.config import get_settings
    from jiebang.leaderboards import standings, views

    get_settings.cache_clear()
    engine = create_engine(url)
    with Session(engine) as db:
        started = time.perf_counter()
        built = standings.rebuild_all(db=db)
        db.commit()
    print(
        f"back-fill: {built} boards rebuilt from the scores in {time.perf_counter() - started:.2f} s"
    )
    timings, cpu, rendered = [], [], None
    for _ in range(repeats):
        with Session(engine) as db:  # a fresh session: nothing cached, nothing loaded
            started, used = time.perf_counter(), time.thread_time()
            rendered, _ = views._compute(db, phase_id, "public", False)
            timings.append(1000 * (time.perf_counter() - started))
            cpu.append(1000 * (time.thread_time() - used))
    assert rendered is not None
    print(
        f"cold board: {len(rendered.body) / 1024:.0f} KiB JSON ({len(rendered.gzipped) / 1024:.0f} KiB gzip),"
        f" median {statistics.median(timings):.1f} ms, worst {max(timings):.1f} ms of {repeats}"
        f" (target <= 50 ms); CPU of this thread: median {statistics.median(cpu):.1f} ms"
    )
    engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wrk(url: str, *, seconds: int, connections: int, script: Path) -> tuple[float, float, int, int]:
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            "-H",
            "Accept-Encoding: gzip",  # as browsers send it
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "5s",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    rps, p95, total, errors = line.split()[1:]
    return float(rps), float(p95), int(total), int(errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)  # spans background refreshes
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--teams", type=int, default=1000)
    parser.add_argument("--submissions", type=int, default=20000)
    parser.add_argument("--scores-per-second", type=float, default=5.0)
    args = parser.parse_args()
    pending = int(args.seconds * args.scores_per_second) + 10
    if shutil.which("wrk") is None:
        sys.exit("wrk is required: apt-get install -y wrk")
    name = f"jiebang_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = f"{PG_SERVER}/{name}"
    server = None
    try:
        started = time.perf_counter()
        jobs = seed(url, teams=args.teams, submissions=args.submissions, pending=pending)
        phase_id = 1
        print(
            f"seeded {args.teams} teams, {args.submissions} scored submissions"
            f" (+{pending} being evaluated) in {time.perf_counter() - started:.1f} s"
        )
        port = free_port()
        tmp = Path(tempfile.mkdtemp(prefix="jiebang-bench-"))
        env = {
            "JIEBANG_DATABASE_URL": url,
            "JIEBANG_ENVIRONMENT": "test",
            "JIEBANG_SECRET_KEY": "bench-secret-" + "x" * 40,
            "JIEBANG_WORKER_TOKEN": WORKER_TOKEN,
            "JIEBANG_VAR_DIR": str(tmp),
            "JIEBANG_EVALUATORS_DIRS": json.dumps(EVALUATORS),
            "JIEBANG_EMBEDDED_WORKERS": "0",
            "JIEBANG_HOUSEKEEPING_SECONDS": "0",
            "JIEBANG_FRONTEND_DIST": str(tmp / "none"),
        }
        os.environ.update(env)  # this process renders cold boards with the same settings
        backfill_and_cold_board(url, phase_id=phase_id, repeats=20)
        env = os.environ | env
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "jiebang.main:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            env=env,
            cwd=ROOT,
        )
        base = f"http://127.0.0.1:{port}"
        board_url = f"{base}/api/v1/phases/{phase_id}/leaderboard"
        for _ in range(100):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        cold = time.perf_counter()
        first = httpx.get(board_url, timeout=60)
        first.raise_for_status()
        print(
            f"first request: {len(first.json()['rows'])} rows, {len(first.content) / 1024:.0f} KiB,"
            f" {1000 * (time.perf_counter() - cold):.0f} ms"
        )
        script = tmp / "report.lua"
        script.write_text(LUA)
        health = wrk(
            f"{base}/healthz", seconds=args.seconds, connections=args.connections, script=script
        )
        reporter = Reporter(base, jobs, args.scores_per_second)
        if args.scores_per_second > 0:
            reporter.start()
        board = wrk(board_url, seconds=args.seconds, connections=args.connections, script=script)
        reporter.stop.set()
        if reporter.is_alive():
            reporter.join(timeout=30)
        after = httpx.get(board_url, timeout=60).json()
        landed = sum(
            1 for r in after["rows"] if r["submission_id"] in set(range(jobs[0], jobs[-1] + 1))
        )
        reports = sorted(reporter.reported)
        print(
            f"scores reported during the run: {len(reports)} (p95 {1000 * reports[int(0.95 * (len(reports) - 1))]:.0f} ms each),"
            f" {landed} of them now count on the board"
            if reports
            else "no scores were reported during the run"
        )
        print(
            f"/healthz      {health[0]:8.0f} req/s  p95 {health[1]:6.1f} ms  ({health[2]} requests, {health[3]} errors)"
        )
        print(
            f"/leaderboard  {board[0]:8.0f} req/s  p95 {board[1]:6.1f} ms  ({board[2]} requests, {board[3]} errors)"
        )
        print(
            f"throughput ratio leaderboard/healthz: {board[0] / health[0]:.2f} (target >= 0.8); leaderboard p95 {board[1]:.1f} ms (target < 50)"
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
