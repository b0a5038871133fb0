"""Queue overhead (upload-complete → evaluation-start) on the embedded pool and on Celery,
and the scale-out of 2 Celery workers against 1 on a CPU-bound track. Run by hand:

    .venv/bin/python bench/bench_queue.py [--samples 20] [--jobs 12] [--burn 2]

Needs the RabbitMQ on 127.0.0.1:5672. Ratios are measured in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

import httpx
from live_platform import BIN, Live, kill_tree, start, submit
from sqlalchemy import create_engine, text


def _wait(
    live: Live, team: dict[str, str], phase: int, ids: list[int], timeout: float = 900
) -> None:
    """Poll the team's list twice a second: light enough not to steal the workers' CPU
    (timings come from the database's timestamps, not from this loop)."""
    deadline = time.monotonic() + timeout
    with httpx.Client(base_url=live.url, headers=team, timeout=60) as client:
        pending = set(ids)
        while pending:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(pending)} submissions unfinished")
            mine = client.get(f"/api/v1/phases/{phase}/submissions/mine").json()
            pending -= {s["id"] for s in mine if s["status"] in {"scored", "failed"}}
            time.sleep(0.5 if len(ids) > 1 else 0.05)


def _db(live: Live) -> str:
    return live.env.get("JIEBANG_DATABASE_URL") or f"sqlite:///{live.root / 'var' / 'jiebang.db'}"


def _overheads(live: Live) -> list[float]:
    engine = create_engine(_db(live))
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT s.queued_at, j.started_at FROM submission s JOIN evaluation_job j ON j.submission_id = s.id"
            )
        ).all()
    engine.dispose()
    parse = lambda v: v if isinstance(v, datetime) else datetime.fromisoformat(str(v))  # noqa: E731
    return [(parse(b) - parse(a)).total_seconds() * 1000 for a, b in rows]


def _makespan(live: Live) -> float:
    engine = create_engine(_db(live))
    with engine.connect() as conn:
        first, last = conn.execute(
            text("SELECT min(queued_at), max(finished_at) FROM submission")
        ).one()
    engine.dispose()
    parse = lambda v: v if isinstance(v, datetime) else datetime.fromisoformat(str(v))  # noqa: E731
    return (parse(last) - parse(first)).total_seconds()


def _celery_env() -> dict[str, str]:
    return {
        "JIEBANG_QUEUE": "celery",
        "JIEBANG_EMBEDDED_WORKERS": "0",
        "JIEBANG_CELERY_QUEUE": f"bench-{uuid.uuid4().hex[:8]}",
    }


def _workers(live: Live, count: int) -> list:  # type: ignore[type-arg]
    return [
        start(
            [
                str(BIN / "jiebang"),
                "worker",
                "--api",
                live.url,
                "--scratch",
                str(live.root / f"s{i}"),
                "--cache",
                str(live.root / "cache"),
            ],
            live.env,
            live.root / f"worker-{i}.log",
        )
        for i in range(count)
    ]


def overhead(mode: str, samples: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        live = Live(
            Path(tmp), **(_celery_env() if mode == "celery" else {"JIEBANG_EMBEDDED_WORKERS": "1"})
        )
        workers = _workers(live, 1) if mode == "celery" else []
        try:
            phase, team = live.phase_with_team(
                daily_quota=1000, total_quota=1000, concurrent_quota=5
            )
            with httpx.Client(base_url=live.url, timeout=60) as client:
                for i in range(
                    samples
                ):  # one at a time, so the queue is idle: pure dispatch latency
                    sub = submit(
                        client, team, phase["phase"], f"a 1\nb 2\nc 3\nd 4\nq{i} 0\n".encode()
                    ).json()  # type: ignore[arg-type]
                    _wait(live, team, phase["phase"], [sub["id"]])
            return _overheads(live)
        finally:
            for proc in workers:
                kill_tree(proc)
            live.stop()


def scale_out(worker_count: int, jobs: int, burn: float) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        live = Live(Path(tmp), **_celery_env())
        workers = _workers(live, worker_count)
        try:
            phase, team = live.phase_with_team(
                daily_quota=1000, total_quota=1000, concurrent_quota=100
            )
            time.sleep(3)  # let the workers connect
            with httpx.Client(base_url=live.url, timeout=60) as client:
                ids = [
                    submit(
                        client,
                        team,
                        phase["phase"],
                        f"a 1\nb 2\nc 3\nd 4\nburn {burn}\nq{i} 0\n".encode(),
                    ).json()["id"]  # type: ignore[arg-type]
                    for i in range(jobs)
                ]
            _wait(live, team, phase["phase"], ids)
            return _makespan(live)
        finally:
            for proc in workers:
                kill_tree(proc)
            live.stop()


def _summary(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):7.1f} ms   p95 {p95:7.1f} ms   (n={len(ordered)})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=12)
    parser.add_argument("--burn", type=float, default=2.0)
    args = parser.parse_args()
    embedded = overhead("embedded", args.samples)
    celery = overhead("celery", args.samples)
    print(f"queue overhead, embedded pool : {_summary(embedded)}")
    print(f"queue overhead, Celery+RabbitMQ: {_summary(celery)}")
    one = scale_out(1, args.jobs, args.burn)
    two = scale_out(2, args.jobs, args.burn)
    print(
        f"scale-out: {args.jobs} CPU-bound jobs ({args.burn} s each): 1 worker {one:.1f} s, 2 workers {two:.1f} s"
    )
    print(f"scale-out ratio (throughput 2 workers / 1 worker): {one / two:.2f}  (target >= 1.8)")


if __name__ == "__main__":
    main()
