"""Reclaiming what a killed worker left behind: job scratch folders, run cgroups, staging.

A worker that is SIGKILLed mid-job never reaches its ``finally``: the job's scratch
folder, the run's cgroups and the run's staging folder (under ``/dev/shm``) stay.
Each of them names its owner (see ``ownership.py``); :func:`reclaim_leftovers`
removes those whose owner is dead, kills any process still in an orphaned cgroup,
and keeps whatever a live process owns, whatever its age. Only leftovers without an
owner (made before owners were recorded) are judged by age, after a day.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from jiebang.sandbox.cgroups import (
    DEFAULT_CGROUP_ROOT,
    GROUP_PARENT,
    RUN_GROUP_PREFIX,
    RunCgroup,
    cgroup_dirs,
    run_group_owner_token,
)
from jiebang.sandbox.ownership import Liveness, ProcessOwner, read_owner

log = logging.getLogger(__name__)

JOB_DIR_PREFIX = "job-"
SANDBOX_WORKDIR_PREFIX = "jiebang-sandbox-"
UNOWNED_GRACE_SECONDS = 24 * 3600


def reclaim_leftovers(
    scratch_roots: Iterable[Path] = (),
    *,
    workdir_parents: Iterable[Path] | None = None,
    cgroup_root: Path = DEFAULT_CGROUP_ROOT,
) -> list[str]:
    """Remove job folders, sandbox staging folders and run cgroups no live process owns.

    Returns what was removed (paths), for the log. Safe to call at any time, from
    any process on the machine, while other jobs run.
    """
    removed = _reclaim_run_cgroups(cgroup_root)
    parents = list(workdir_parents) if workdir_parents is not None else default_workdir_parents()
    for parent in parents:
        removed += _reclaim_dirs(parent, SANDBOX_WORKDIR_PREFIX, deep=False)
    for root in scratch_roots:
        removed += _reclaim_dirs(root, JOB_DIR_PREFIX, deep=True)
    if removed:
        log.info("reclaimed %d leftover(s) of dead jobs: %s", len(removed), removed)
    return removed


def default_workdir_parents() -> list[Path]:
    """Where the runner puts per-run staging folders: ``/dev/shm``, else the temp dir."""
    return [Path("/dev/shm"), Path(tempfile.gettempdir())]  # noqa: S108


def _group_owner(name: str) -> ProcessOwner | None:
    token = run_group_owner_token(name)
    return ProcessOwner.from_token(token) if token else None


def _reclaim_run_cgroups(root: Path) -> list[str]:
    removed: list[str] = []
    groups: dict[str, list[Path]] = {}
    for parent in cgroup_dirs(root, GROUP_PARENT):
        with contextlib.suppress(OSError):
            for path in parent.iterdir():
                if path.is_dir() and path.name.startswith(RUN_GROUP_PREFIX):
                    groups.setdefault(path.name, []).append(path)
    for name, paths in groups.items():
        owner = _group_owner(name)
        if owner is not None:
            if owner.liveness() != Liveness.DEAD:
                continue
        elif not all(_older_than(path, UNOWNED_GRACE_SECONDS) for path in paths):
            continue
        group = RunCgroup.existing(paths)
        if not group.kill_all():
            log.warning("processes of leftover cgroup %s would not die", name)
            continue
        group.remove()
        removed += [str(path) for path in paths if not path.exists()]
    return removed


def _reclaim_dirs(parent: Path, prefix: str, *, deep: bool) -> list[str]:
    removed: list[str] = []
    for path in _children(parent, prefix):
        owner = read_owner(path)
        if owner is not None:
            if owner.liveness() != Liveness.DEAD:
                continue
        elif not _older_than(path, UNOWNED_GRACE_SECONDS):
            continue  # just made (its marker follows at once) or made by an older version
        if _holds_mount(path):
            log.warning("leftover %s has a mount inside; leaving it", path)
            continue
        if deep:
            shutil.rmtree(path, ignore_errors=True)
        else:
            _remove_shallow(path)
        if not path.exists():
            removed.append(str(path))
    return removed


def _children(parent: Path, prefix: str) -> Iterator[Path]:
    try:
        entries = list(parent.iterdir())
    except OSError:
        return
    for path in entries:
        if path.name.startswith(prefix) and path.is_dir() and not path.is_symlink():
            yield path


def _remove_shallow(directory: Path) -> None:
    # A staging folder holds only small files and empty stage points; anything deeper
    # is not ours to delete, so rmdir (not rmtree) leaves it in place.
    for entry in directory.iterdir():
        with contextlib.suppress(OSError):
            if entry.is_dir() and not entry.is_symlink():
                entry.rmdir()
            else:
                entry.unlink()
    with contextlib.suppress(OSError):
        directory.rmdir()


def _holds_mount(path: Path) -> bool:
    inside = str(path).rstrip("/") + "/"
    try:
        mountinfo = Path("/proc/self/mountinfo").read_text()
    except OSError:
        return True  # cannot tell: be safe
    for line in mountinfo.splitlines():
        fields = line.split()
        if len(fields) > 4:
            point = fields[4].replace("\\040", " ")
            if point == str(path) or point.startswith(inside):
                return True
    return False


def _older_than(path: Path, seconds: float) -> bool:
    try:
        return time.time() - os.stat(path).st_mtime > seconds
    except OSError:
        return False
