"""Who owns a scratch folder or a run's cgroup: the process that made it, told apart for good.

A process is named by the boot, its pid namespace, its pid and its start time (in
clock ticks since boot, from ``/proc/<pid>/stat``), so a reused pid, a restarted worker
or a reboot never passes for the owner. The owner of a folder is recorded in a marker
file inside it; the owner of a cgroup in its name. The housekeeper reclaims what a
dead owner left (after a SIGKILL nothing else would) and never what a live one holds,
nor what belongs to a process of another pid namespace (another container), which it
cannot judge.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import os
import tempfile
from pathlib import Path

OWNER_FILE = ".jiebang-owner"
BOOT_ID_FILE = Path("/proc/sys/kernel/random/boot_id")


class Liveness:
    """How a recorded owner compares with the processes this one can see."""

    ALIVE = "alive"
    DEAD = "dead"
    UNKNOWN = "unknown"  # another boot is DEAD; another pid namespace is UNKNOWN


@dataclasses.dataclass(frozen=True)
class ProcessOwner:
    """One process, identified so that no other process can ever match it."""

    boot_id: str
    pid_namespace: int
    pid: int
    start_ticks: int

    @classmethod
    def current(cls) -> ProcessOwner:
        """Return the calling process."""
        pid = os.getpid()
        start = _start_ticks(pid)
        assert start is not None, "/proc/self/stat is unreadable"
        return cls(_boot_id(), _pid_namespace(), pid, start)

    @property
    def token(self) -> str:
        """A short form for names (cgroups live for one boot only): ``<ns>.<pid>.<start>``."""
        return f"{self.pid_namespace}.{self.pid}.{self.start_ticks}"

    @classmethod
    def from_token(cls, token: str) -> ProcessOwner | None:
        """Parse :attr:`token` (the boot is the current one); ``None`` if it is not one."""
        parts = token.split(".")
        if len(parts) != 3 or not all(part.isdigit() for part in parts):
            return None
        namespace, pid, start = (int(part) for part in parts)
        return cls(_boot_id(), namespace, pid, start)

    def liveness(self) -> str:
        """Return :class:`Liveness` of this owner as seen from the calling process."""
        if self.boot_id != _boot_id():
            return Liveness.DEAD
        if self.pid_namespace != _pid_namespace():
            return Liveness.UNKNOWN
        start = _start_ticks(self.pid)
        return Liveness.ALIVE if start == self.start_ticks else Liveness.DEAD


def create_owned_dir(parent: Path | str | None, *, prefix: str) -> Path:
    """Create a fresh directory under ``parent`` with the calling process recorded as owner."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    write_owner(path)
    return path


def write_owner(directory: Path) -> None:
    """Record the calling process as the owner of ``directory``."""
    marker = directory / OWNER_FILE
    marker.write_text(json.dumps(dataclasses.asdict(ProcessOwner.current())))
    marker.chmod(0o644)


def read_owner(directory: Path) -> ProcessOwner | None:
    """Return the recorded owner of ``directory``, or ``None`` without a readable marker."""
    try:
        data = json.loads((directory / OWNER_FILE).read_text())
        return ProcessOwner(
            boot_id=str(data["boot_id"]),
            pid_namespace=int(data["pid_namespace"]),
            pid=int(data["pid"]),
            start_ticks=int(data["start_ticks"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


@functools.lru_cache(maxsize=1)
def _boot_id() -> str:
    try:
        return BOOT_ID_FILE.read_text().strip()
    except OSError:
        return "unknown-boot"


def _pid_namespace() -> int:
    try:
        return os.stat("/proc/self/ns/pid").st_ino
    except OSError:
        return 0


def _start_ticks(pid: int) -> int | None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        text = Path(f"/proc/{pid}/stat").read_text()
        # The command name may hold spaces and parentheses: fields resume after the last ')'.
        fields = text.rsplit(")", 1)[1].split()
        if fields[0] in ("Z", "X"):
            return None  # a zombie runs no code and holds nothing
        return int(fields[19])
    return None
