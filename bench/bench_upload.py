"""Upload throughput and API memory: a large file through the local streamed path and the
presigned S3 path (moto's server standing in for MinIO), each against a raw copy to the
same storage measured in the same run. Run by hand:

    .venv/bin/python bench/bench_upload.py [--gib 4] [--s3-gib 4]
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import shutil
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
from live_platform import Live, free_port
from moto.server import ThreadedMotoServer

from jiebang.cli.submit import IN_FLIGHT, upload_parts
from jiebang.storage.s3 import S3Store

BLOCK = 64 * 1024 * 1024
PARALLEL = IN_FLIGHT


def make_file(path: Path, size: int) -> str:
    digest, block = hashlib.sha256(), os.urandom(BLOCK)
    with path.open("wb") as out:
        for offset in range(0, size, BLOCK):
            chunk = block[: min(BLOCK, size - offset)]
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


class PeakRSS(threading.Thread):
    """Samples a process's high-water RSS (VmHWM) until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.stopped = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.2):
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    self.peak = max(self.peak, int(line.split()[1]) * 1024)


def upload(live: Live, path: Path, sha: str) -> float:
    phase, team = live.phase_with_team(daily_quota=100, total_quota=100, concurrent_quota=10)
    started = time.perf_counter()
    with httpx.Client(base_url=live.url, headers=team, timeout=3600) as http:
        created = http.post(
            f"/api/v1/phases/{phase['phase']}/submissions",
            json={"filename": "big.bin", "size": path.stat().st_size, "sha256": sha},
        ).json()
        parts = upload_parts(http, path, created["upload"], team, in_flight=PARALLEL)
        done = http.post(
            f"/api/v1/submissions/{created['submission']['id']}/complete", json={"parts": parts}
        )
        assert done.status_code == 200, done.text
    return time.perf_counter() - started


def local_path(root: Path, src: Path, sha: str) -> None:
    live = Live(root / "local", JIEBANG_EMBEDDED_WORKERS="0")
    rss = PeakRSS(live.server.pid)
    rss.start()
    try:
        objects = root / "local" / "var" / "objects"
        objects.mkdir(parents=True, exist_ok=True)
        os.sync()  # both sides start with no dirty pages waiting for the disk
        raw_started = time.perf_counter()
        shutil.copyfile(src, objects / "raw-copy.bin")
        raw = time.perf_counter() - raw_started
        (objects / "raw-copy.bin").unlink()
        os.sync()
        took = upload(live, src, sha)
    finally:
        rss.stopped.set()
        live.stop()
    size = src.stat().st_size / 1024**2
    print(
        f"local streamed path: {size / took:7.0f} MiB/s   raw copy {size / raw:7.0f} MiB/s   "
        f"ratio {raw / took:.2f} (target >= 0.8)   API peak RSS {rss.peak / 1024**2:.0f} MiB (target < 150)"
    )


def presigned_path(root: Path, src: Path, sha: str) -> None:
    port = free_port()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's per-request log lines
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    moto.start()
    url = f"s3://key:secret@127.0.0.1:{port}/bench-{uuid.uuid4().hex[:8]}"
    store = S3Store(url)
    store.ensure_bucket()
    live = Live(root / "s3", JIEBANG_EMBEDDED_WORKERS="0", JIEBANG_STORAGE_URL=url)
    rss = PeakRSS(live.server.pid)
    rss.start()
    try:
        os.sync()
        raw_started = time.perf_counter()
        with src.open("rb") as fh:
            store.put_stream("raw/raw-copy.bin", fh)
        raw = time.perf_counter() - raw_started
        store.delete("raw/raw-copy.bin")
        os.sync()
        took = upload(live, src, sha)
    finally:
        rss.stopped.set()
        live.stop()
        moto.stop()
    size = src.stat().st_size / 1024**2
    print(
        f"presigned S3 path:   {size / took:7.0f} MiB/s   raw put {size / raw:7.0f} MiB/s   "
        f"ratio {raw / took:.2f} (target >= 0.8)   API peak RSS {rss.peak / 1024**2:.0f} MiB (target < 150)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gib", type=float, default=4)
    parser.add_argument("--s3-gib", type=float, default=4, help="0 skips the S3 path")
    parser.add_argument("--parallel", type=int, default=IN_FLIGHT, help="parts in flight")
    args = parser.parse_args()
    global PARALLEL
    PARALLEL = args.parallel
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        root = Path(tmp)
        src = root / "big.bin"
        sha = make_file(src, int(args.gib * 1024**3))
        local_path(root, src, sha)
        if args.s3_gib <= 0:
            return
        if args.s3_gib != args.gib:
            sha = make_file(src, int(args.s3_gib * 1024**3))
        presigned_path(root, src, sha)


if __name__ == "__main__":
    main()
