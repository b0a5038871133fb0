"""Keeps a job's lease alive from a background thread while the stages run."""

from __future__ import annotations

import logging
import threading
from types import TracebackType

from jiebang.evaluation.models import JobSpec
from jiebang.worker.client import LeaseLost, PlatformUnavailable, WorkerAPI

log = logging.getLogger(__name__)


class LeaseKeeper:
    def __init__(self, api: WorkerAPI, spec: JobSpec) -> None:
        self.api, self.spec = api, spec
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"lease-{spec.job_id}", daemon=True)

    def _beat(self) -> None:
        interval = max(1.0, self.spec.lease_seconds / 3)
        while not self._stop.wait(interval):
            try:
                self.api.heartbeat(self.spec)
            except LeaseLost:
                self.lost.set()
                return
            except PlatformUnavailable as exc:  # keep trying; the lease covers short outages
                log.warning("heartbeat for job %s failed: %s", self.spec.job_id, exc)

    def __enter__(self) -> LeaseKeeper:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
