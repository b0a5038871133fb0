"""Duties only one of several API processes on a machine may run (the embedded worker pool,
the housekeeper), elected by an exclusive lock on a file under the var dir.

Every process tries at start-up; the ones that lose keep trying in the background, so when
the holder dies (its lock goes with it) another process takes the duties over.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

log = logging.getLogger(__name__)


class Singleton:
    def __init__(
        self, path: Path, *, on_elected: Callable[[], None], retry_seconds: float = 5
    ) -> None:
        self.path = path
        self.on_elected = on_elected
        self.retry_seconds = retry_seconds
        self.elected = False
        self._handle: IO[bytes] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _try(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("ab")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._handle = handle
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n".encode())
        handle.flush()
        self.elected = True
        log.info("process %s runs the single-instance duties (%s)", os.getpid(), self.path)
        self.on_elected()
        return True

    def start(self) -> bool:
        """Take the duties now if no other process holds them, else wait for them to free up."""
        if self._try():
            return True
        self._thread = threading.Thread(target=self._wait, daemon=True, name="singleton")
        self._thread.start()
        return False

    def _wait(self) -> None:
        while not self._stop.wait(self.retry_seconds):
            if self._try():
                return

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._handle is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


@contextlib.contextmanager
def one_at_a_time(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the file while the block runs: start-up work of several
    processes on one machine (e.g. registering the installed evaluators) runs in turn, so
    none of them fails on another's half-done inserts."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
