"""Per-run control groups: memory and process caps, CPU and peak accounting, tree kill.

cgroup v1 (separate ``memory``, ``pids`` and ``cpuacct`` hierarchies) is preferred when
writable; cgroup v2 is used when it delegates the ``memory`` and ``pids`` controllers.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import os
import signal
import time
import uuid
from pathlib import Path

DEFAULT_CGROUP_ROOT = Path("/sys/fs/cgroup")
GROUP_PARENT = "jiebang-sandbox"
# bwrap's own monitor and pid-1 helper share the pids budget with the team's program.
BWRAP_HELPER_PROCESSES = 2
V1_CONTROLLERS = ("memory", "pids", "cpuacct")
RUN_GROUP_PREFIX = "run-"


class CgroupMode(enum.StrEnum):
    V1 = "v1"
    V2 = "v2"
    NONE = "none"


@dataclasses.dataclass(frozen=True)
class CgroupUsage:
    """Accounting read from the group after a run; ``None`` when not measured."""

    cpu_seconds: float | None
    peak_memory_bytes: int | None
    oom_kills: int


def detect_cgroup_mode(root: Path = DEFAULT_CGROUP_ROOT) -> CgroupMode:
    """Return which cgroup layout can hold per-run groups on this machine."""
    if all(os.access(root / name, os.W_OK) for name in ("memory", "pids")):
        return CgroupMode.V1
    v2_root = _v2_root(root)
    if v2_root is not None:
        return CgroupMode.V2
    return CgroupMode.NONE


def _v2_root(root: Path) -> Path | None:
    for candidate in (root, root / "unified"):
        controllers = _read(candidate / "cgroup.controllers")
        if controllers is None or not os.access(candidate, os.W_OK):
            continue
        if {"memory", "pids"} <= set(controllers.split()):
            return candidate
    return None


def _read(path: Path) -> str | None:
    try:
        return path.read_text()
    except OSError:
        return None


def _write(path: Path, value: str) -> None:
    path.write_text(value)


class RunCgroup:
    """One group (per controller hierarchy) that holds a single sandboxed run."""

    def __init__(self, mode: CgroupMode, dirs: dict[str, Path]) -> None:
        self.mode = mode
        self._dirs = dirs

    @classmethod
    def create(
        cls,
        *,
        memory_bytes: int,
        max_processes: int,
        root: Path = DEFAULT_CGROUP_ROOT,
        owner_token: str | None = None,
    ) -> RunCgroup | None:
        """Create and configure a fresh group, or return ``None`` if none is writable.

        ``owner_token`` (see ``ownership.py``) goes into the group's name, so that the
        housekeeper can tell the group of a killed worker from one still in use.
        """
        mode = detect_cgroup_mode(root)
        name = run_group_name(owner_token, uuid.uuid4().hex)
        pids_max = str(max_processes + BWRAP_HELPER_PROCESSES)
        if mode is CgroupMode.V1:
            dirs = {c: root / c / GROUP_PARENT / name for c in V1_CONTROLLERS}
            if not os.access(root / "cpuacct", os.W_OK):
                del dirs["cpuacct"]
            group = cls(mode, dirs)
            group._make_dirs()
            _write(dirs["memory"] / "memory.limit_in_bytes", str(memory_bytes))
            # Without swap accounting this file is absent; the RAM limit still holds.
            with contextlib.suppress(OSError):
                _write(dirs["memory"] / "memory.memsw.limit_in_bytes", str(memory_bytes))
            _write(dirs["pids"] / "pids.max", pids_max)
            return group
        if mode is CgroupMode.V2:
            v2_root = _v2_root(root)
            assert v2_root is not None
            parent = v2_root / GROUP_PARENT
            parent.mkdir(exist_ok=True)
            _write(parent / "cgroup.subtree_control", "+memory +pids")
            with contextlib.suppress(OSError):
                _write(parent / "cgroup.subtree_control", "+cpu")
            group = cls(mode, {"unified": parent / name})
            group._make_dirs()
            unified = group._dirs["unified"]
            _write(unified / "memory.max", str(memory_bytes))
            with contextlib.suppress(OSError):
                _write(unified / "memory.swap.max", "0")
            _write(unified / "pids.max", pids_max)
            return group
        return None

    @classmethod
    def existing(cls, paths: list[Path]) -> RunCgroup:
        """Return a handle on a group found on disk (one directory per hierarchy)."""
        dirs = {
            (path.parent.parent.name if path.parent.parent.name in V1_CONTROLLERS else "unified"): (
                path
            )
            for path in paths
        }
        return cls(CgroupMode.V2 if "unified" in dirs else CgroupMode.V1, dirs)

    def _make_dirs(self) -> None:
        for path in self._dirs.values():
            path.mkdir(parents=True, exist_ok=False)

    def procs_files(self) -> list[str]:
        """Return the files a new process writes its pid to, to join every hierarchy."""
        return [str(path / "cgroup.procs") for path in self._dirs.values()]

    def pids(self) -> set[int]:
        """Return the pids currently in the group."""
        found: set[int] = set()
        for path in self._dirs.values():
            text = _read(path / "cgroup.procs") or ""
            found.update(int(line) for line in text.split())
        return found

    def usage(self) -> CgroupUsage:
        """Return CPU time, peak memory and OOM kills recorded by the group."""
        if self.mode is CgroupMode.V1:
            cpu_ns = (
                _read(self._dirs["cpuacct"] / "cpuacct.usage") if "cpuacct" in self._dirs else None
            )
            peak = _read(self._dirs["memory"] / "memory.max_usage_in_bytes")
            oom = _keyed(_read(self._dirs["memory"] / "memory.oom_control"), "oom_kill")
            return CgroupUsage(
                cpu_seconds=int(cpu_ns) / 1e9 if cpu_ns else None,
                peak_memory_bytes=int(peak) if peak else None,
                oom_kills=oom,
            )
        unified = self._dirs["unified"]
        usec = _keyed(_read(unified / "cpu.stat"), "usage_usec")
        peak = _read(unified / "memory.peak")
        return CgroupUsage(
            cpu_seconds=usec / 1e6 if usec else None,
            peak_memory_bytes=int(peak) if peak else None,
            oom_kills=_keyed(_read(unified / "memory.events"), "oom_kill"),
        )

    def cpu_seconds_now(self) -> float | None:
        """Return the CPU time used so far by every process in the group."""
        return self.usage().cpu_seconds

    def kill_all(self, *, timeout: float = 5.0) -> bool:
        """SIGKILL every process in the group until it is empty; True when empty."""
        if self.mode is CgroupMode.V2:
            with contextlib.suppress(OSError):
                _write(self._dirs["unified"] / "cgroup.kill", "1")
        deadline = time.monotonic() + timeout
        while True:
            remaining = self.pids()
            if not remaining:
                return True
            if time.monotonic() > deadline:
                return False
            for pid in remaining:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.01)

    def remove(self) -> None:
        """Kill what is left and delete the group directories."""
        self.kill_all()
        for path in self._dirs.values():
            for _ in range(50):
                try:
                    path.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.02)


def run_group_name(owner_token: str | None, unique: str) -> str:
    """Return a run group's name: ``run-<owner token>-<unique>`` (``run-<unique>`` unowned)."""
    return f"{RUN_GROUP_PREFIX}{owner_token}-{unique}" if owner_token else RUN_GROUP_PREFIX + unique


def run_group_owner_token(name: str) -> str | None:
    """Return the owner token in a run group's name, or ``None`` for an unowned name."""
    token = name.removeprefix(RUN_GROUP_PREFIX).rpartition("-")[0]
    return token or None


def cgroup_dirs(root: Path, parent: str) -> list[Path]:
    """Return ``parent`` in every hierarchy under ``root`` that has it (v1 and v2)."""
    candidates = [root / name / parent for name in V1_CONTROLLERS]
    candidates += [candidate / parent for candidate in (root, root / "unified")]
    return [path for path in candidates if path.is_dir()]


def _keyed(text: str | None, key: str) -> int:
    for line in (text or "").splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == key:
            return int(parts[1])
    return 0
