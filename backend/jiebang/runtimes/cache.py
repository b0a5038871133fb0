"""The runtime cache: one folder per content key, built in a temporary folder and renamed.

A build holds an exclusive lock on its key (``flock``, released by the kernel if the
builder dies), so two workers never build the same runtime at once; the loser of the
race finds the finished folder. A folder counts as built once its ``runtime.json``
exists, which is written last, before the rename; half-built folders of dead builders
are removed by the next builder of that key. The last failure of a key is kept in
``.<key>.failed.json`` (its messages), so the platform can show why a runtime is unusable.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jiebang.runtimes.prepared import RuntimeFailed

READY_FILE = "runtime.json"
BUILD_PREFIX = ".build-"
FAILED_SUFFIX = ".failed.json"


class BuildSlot:
    """Where one build writes (``work``), and how it becomes the cached runtime."""

    def __init__(self, final: Path, work: Path | None) -> None:
        self.final = final
        self.work = work

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
        try:
            yield slot
        except RuntimeFailed as failed:
            record = {"kind": type(failed).__name__, "message": failed.message}
            failure_file(parent, key).write_text(
                json.dumps(record | {"message_zh": failed.message_zh})
            )
            raise
        finally:
            if slot.work is not None:
                shutil.rmtree(slot.work, ignore_errors=True)
