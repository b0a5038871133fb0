"""bubblewrap: finding it, probing it, and building its command line."""

from __future__ import annotations

import dataclasses
import functools
import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from jiebang.sandbox.mounts import SANDBOX_SHM, SANDBOX_TMP, SYSTEM_DIRS, SYSTEM_ETC_FILES

SANDBOX_HOSTNAME = "jiebang-sandbox"
DEFAULT_BWRAP_CANDIDATES = ("/usr/bin/bwrap", "/usr/local/bin/bwrap")


@dataclasses.dataclass(frozen=True)
class BindSpec:
    """One bwrap bind: ``source`` as bwrap sees it (often a staging path) at ``target``."""

    source: str
    target: str
    writable: bool
    device: bool = False


def find_bwrap() -> str | None:
    """Return the bwrap executable path, or ``None`` when it is not installed."""
    found = shutil.which(
        "bwrap", path=":".join(str(Path(c).parent) for c in DEFAULT_BWRAP_CANDIDATES)
    )
    return found


@functools.lru_cache(maxsize=1)
def bwrap_version() -> str | None:
    """Return bwrap's version string, e.g. ``0.8.0``."""
    bwrap = find_bwrap()
    if bwrap is None:
        return None
    done = subprocess.run([bwrap, "--version"], capture_output=True, text=True, env={}, check=False)
    return done.stdout.strip().removeprefix("bubblewrap ") or None


@functools.lru_cache(maxsize=4)
def probe_bwrap(uid: int | None, gid: int | None) -> str | None:
    """Run a trivial sandbox as ``uid``; return ``None`` if it works, else the error text."""
    bwrap = find_bwrap()
    if bwrap is None:
        return "bwrap is not installed"
    argv = [bwrap, *_base_arguments(tmp_bytes=1 << 20), "--", "/bin/true"]

    def drop() -> None:
        if uid is not None and gid is not None:
            os.setgroups([])
            os.setresgid(gid, gid, gid)
            os.setresuid(uid, uid, uid)

    done = subprocess.run(
        argv, capture_output=True, text=True, env={}, preexec_fn=drop, check=False, timeout=30
    )
    if done.returncode == 0:
        return None
    return done.stderr.strip() or f"bwrap exited with code {done.returncode}"


def build_bwrap_argv(
    *,
    bwrap: str,
    command: Sequence[str],
    binds: Sequence[BindSpec],
    etc_files: Mapping[str, str],
    env: Mapping[str, str],
    cwd: str,
    tmp_bytes: int,
    root_args: Sequence[str] | None = None,
) -> list[str]:
    """Return the full bwrap command line for one run.

    ``root_args`` lay out a root folder of the caller's (see ``rootfs.py``) in place of
    the host's read-only system directories.
    """
    argv = [bwrap, *_base_arguments(tmp_bytes=tmp_bytes, root_args=root_args)]
    for target, host_file in sorted(etc_files.items()):
        argv += ["--ro-bind", host_file, target]
    for bind in sorted(binds, key=lambda b: b.target.count("/")):
        flag = "--dev-bind" if bind.device else "--bind" if bind.writable else "--ro-bind"
        argv += [flag, bind.source, bind.target]
    argv += ["--remount-ro", "/", "--chdir", cwd]
    for name, value in sorted(env.items()):
        argv += ["--setenv", name, value]
    return [*argv, "--", *command]


def with_seccomp(argv: list[str], seccomp_fd: int | None) -> list[str]:
    """Return ``argv`` with ``--seccomp FD`` before the program: bwrap installs that BPF
    program on the program it starts, after its own namespace set-up (``seccomp.py``)."""
    if seccomp_fd is None:
        return argv
    split = argv.index("--")
    return [*argv[:split], "--seccomp", str(seccomp_fd), *argv[split:]]


def _base_arguments(*, tmp_bytes: int, root_args: Sequence[str] | None = None) -> list[str]:
    args = [
        "--unshare-all",
        "--unshare-user",
        "--disable-userns",
        "--die-with-parent",
        "--new-session",
        "--clearenv",
        "--cap-drop",
        "ALL",
        "--hostname",
        SANDBOX_HOSTNAME,
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--size",
        str(tmp_bytes),
        "--tmpfs",
        SANDBOX_TMP,
        "--size",
        str(tmp_bytes),
        "--tmpfs",
        SANDBOX_SHM,
    ]
    if root_args is not None:
        return [*args, *root_args]
    for path in SYSTEM_DIRS:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for path in SYSTEM_ETC_FILES:
        if os.path.exists(path):
            args += ["--ro-bind", path, path]
    return args
