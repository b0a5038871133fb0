"""The runtime cache: one folder per content key, built in a temporary folder and renamed.

A build holds an exclusive lock on its key (``flock``, released by the kernel if the
builder dies), so two workers never build the same runtime at once; the loser of the
race finds the finished folder. A folder counts as built once its ``runtime.json``
exists, which is written last, before the rename; half-built folders of dead builders
are removed by the next builder of that key. The last failure of a key is kept in
``.<key>.failed.json`` (its messages), so the platform can show why a runtime is unusable;
while a build runs, ``.<key>.building.json`` says since when and ``.<key>.build.log`` holds
what the builder has said so far (the browser shows both as progress).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jiebang.runtimes.prepared import RuntimeFailed

READY_FILE = "runtime.json"
BUILD_PREFIX = ".build-"
FAILED_SUFFIX = ".failed.json"
BUILDING_SUFFIX = ".building.json"
LOG_SUFFIX = ".build.log"
LOG_TAIL = 4000


class BuildSlot:
    """Where one build writes (``work``), and how it becomes the cached runtime."""

    def __init__(self, final: Path, work: Path | None) -> None:
        self.final = final
        self.work = work

    @property
    def log(self) -> Path:
        """Where the builder's own output goes while it runs (read for progress)."""
        return log_file(self.final.parent, self.final.name)

    @property
    def ready(self) -> bool:
        """True when the runtime was already built (``work`` is then ``None``)."""
        return self.work is None

    def publish(self, record: dict[str, Any]) -> Path:
        """Write ``runtime.json`` and move the build into place; return the final folder."""
        assert self.work is not None
        (self.work / READY_FILE).write_text(json.dumps(record, indent=2, sort_keys=True))
        self.work.chmod(0o755)
        os.rename(self.work, self.final)
        self.work = None
        failure_file(self.final.parent, self.final.name).unlink(missing_ok=True)
        return self.final


def failure_file(parent: Path, key: str) -> Path:
    """Return where the last failed build of ``key`` left its messages."""
    return parent / f".{key}{FAILED_SUFFIX}"


def log_file(parent: Path, key: str) -> Path:
    """Return where the current (or last) build of ``key`` writes what its tools say."""
    return parent / f".{key}{LOG_SUFFIX}"


def building_file(parent: Path, key: str) -> Path:
    return parent / f".{key}{BUILDING_SUFFIX}"


def read_building(cache_root: Path, kind: str, key: str) -> dict[str, Any] | None:
    """Return ``{"started_at": epoch, "log_tail": text}`` while ``key`` is being built here.

    A build counts as running only while its lock is held, so the marker of a builder that
    was killed is ignored (the kernel released its lock).
    """
    parent = cache_root / kind
    try:
        started = json.loads(building_file(parent, key).read_text()).get("started_at")
    except (OSError, ValueError, AttributeError):
        return None
    if not _locked(parent / f".{key}.lock"):
        return None
    try:
        with log_file(parent, key).open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - LOG_TAIL))
            tail = handle.read().decode("utf-8", "replace")
    except OSError:
        tail = ""
    return {"started_at": float(started or 0), "log_tail": tail}


def _locked(lock_path: Path) -> bool:
    try:
        with open(lock_path, "a+") as probe:
            try:
                fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(probe, fcntl.LOCK_UN)
            return False
    except OSError:
        return False


def read_failure(cache_root: Path, kind: str, key: str) -> dict[str, str] | None:
    """Return the last failure of ``key`` (``message``, ``message_zh``), or ``None``."""
    try:
        data = json.loads(failure_file(cache_root / kind, key).read_text())
    except (OSError, ValueError):
        return None
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else None


def read_record(folder: Path) -> dict[str, Any] | None:
    """Return a built runtime's ``runtime.json``, or ``None`` when it is not built."""
    try:
        data = json.loads((folder / READY_FILE).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


@contextlib.contextmanager
def build_slot(cache_root: Path, kind: str, key: str) -> Iterator[BuildSlot]:
    """Hold ``key``'s build lock and yield its slot; a failed build leaves nothing behind."""
    parent = cache_root / kind
    parent.mkdir(parents=True, exist_ok=True)
    final = parent / key
    with open(parent / f".{key}.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if read_record(final) is not None:
            yield BuildSlot(final, None)
            return
        # We hold the lock: any earlier build folder of this key belongs to a dead builder.
        for stale in parent.glob(f"{BUILD_PREFIX}{key}-*"):
            shutil.rmtree(stale, ignore_errors=True)
        if final.exists():
            shutil.rmtree(final, ignore_errors=True)  # no runtime.json: an unfinished copy
        work = Path(tempfile.mkdtemp(prefix=f"{BUILD_PREFIX}{key}-", dir=parent))
        slot = BuildSlot(final, work)
        slot.log.write_text("")
        marker = building_file(parent, key)
        marker.write_text(json.dumps({"started_at": time.time()}))
        try:
            yield slot
        except RuntimeFailed as failed:
            record = {"kind": type(failed).__name__, "message": failed.message}
            failure_file(parent, key).write_text(
                json.dumps(record | {"message_zh": failed.message_zh})
            )
            raise
        finally:
            marker.unlink(missing_ok=True)
            if slot.work is not None:
                shutil.rmtree(slot.work, ignore_errors=True)
