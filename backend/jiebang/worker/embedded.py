"""The in-process worker pool of `jiebang serve`: no broker, same pipeline as remote workers."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import httpx

from jiebang.evaluation.dispatch import work_available
from jiebang.sandbox import sandbox_status
from jiebang.worker.client import PlatformUnavailable, WorkerAPI
from jiebang.worker.pipeline import process

log = logging.getLogger(__name__)


class EmbeddedPool:
    """N threads that claim jobs through the local API whenever work is announced."""

    def __init__(
        self,
        *,
        http: httpx.Client,
        token: str,
        size: int,
        scratch: Path,
        cache: Path,
        poll_seconds: float = 5,
    ) -> None:
        self.http, self.token, self.size = http, token, size
        self.scratch, self.cache, self.poll_seconds = scratch, cache, poll_seconds
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        self.scratch.mkdir(parents=True, exist_ok=True)
        self.cache.mkdir(parents=True, exist_ok=True)
        for index in range(self.size):
            thread = threading.Thread(
                target=self._loop, args=(f"embedded-{index}",), daemon=True, name=f"worker-{index}"
            )
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        work_available.set()
        for thread in self._threads:
            thread.join(timeout=10)

    def _loop(self, name: str) -> None:
        api = WorkerAPI(self.http, token=self.token, name=name)
        status = sandbox_status()
        sandbox = f"{status.mechanism}, cgroup {status.cgroup}"
        while not self._stop.is_set():
            try:
                spec = api.claim(sandbox=sandbox)
            except PlatformUnavailable as exc:
                log.debug("claim failed: %s", exc)
                spec = None
            if spec is None:
                work_available.wait(self.poll_seconds)
                work_available.clear()
                continue
            process(spec, api=api, scratch_root=self.scratch, cache_dir=self.cache)
