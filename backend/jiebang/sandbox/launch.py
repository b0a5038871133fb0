"""Set-up done in the forked child, as root, just before it execs bwrap.

In order: join the run's cgroups, bind each mount source into a private staging
directory (in a mount namespace of its own, so the host never sees these mounts
and sources behind root-only directories stay reachable), set rlimits, then drop
to the unprivileged sandbox uid for good. bwrap then runs unprivileged and builds
its user namespace on top, so no sandboxed process is ever root on the host.
"""

from __future__ import annotations

import ctypes
import dataclasses
import os
import resource

from jiebang.sandbox.rlimits import RlimitSetting
from jiebang.sandbox.seccomp import load_filter

CLONE_NEWNS = 0x00020000
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
PR_SET_NO_NEW_PRIVS = 38


@dataclasses.dataclass(frozen=True)
class SandboxIdentity:
    """The host uid and gid sandboxed programs run as; never 0."""

    uid: int = 65534
    gid: int = 65534

    def __post_init__(self) -> None:
        if self.uid == 0 or self.gid == 0:
            raise ValueError("the sandbox identity must not be root")


@dataclasses.dataclass(frozen=True)
class ChildSetup:
    """A preexec callable; all data is computed in the parent before fork."""

    cgroup_procs_files: tuple[str, ...]
    staged_binds: tuple[tuple[str, str], ...]
    rlimits: tuple[RlimitSetting, ...]
    identity: SandboxIdentity | None
    # Installed here only without bwrap; with bwrap, bwrap installs it on the program.
    seccomp_program: bytes | None = None

    def __call__(self) -> None:
        pid = str(os.getpid())
        for procs_file in self.cgroup_procs_files:
            with open(procs_file, "w") as handle:
                handle.write(pid)
        if self.staged_binds:
            _bind_into_private_namespace(self.staged_binds)
        for which, soft, hard in self.rlimits:
            resource.setrlimit(which, (soft, hard))
        _set_no_new_privs()
        if self.identity is not None:
            os.setgroups([])
            os.setresgid(self.identity.gid, self.identity.gid, self.identity.gid)
            os.setresuid(self.identity.uid, self.identity.uid, self.identity.uid)
        if self.seccomp_program is not None:
            load_filter(self.seccomp_program)


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def _bind_into_private_namespace(binds: tuple[tuple[str, str], ...]) -> None:
    libc = _libc()
    _check(libc.unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)")
    _check(libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "make / private")
    for source, stage_point in binds:
        _check(
            libc.mount(os.fsencode(source), os.fsencode(stage_point), None, MS_BIND | MS_REC, None),
            f"bind {source}",
        )


def _set_no_new_privs() -> None:
    _check(_libc().prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)")
