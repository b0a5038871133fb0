"""Which isolation this machine offers, for the runner and the organiser console."""

from __future__ import annotations

import dataclasses
import os
import stat
import sys
from pathlib import Path

from jiebang.sandbox import bwrap as bwrap_cli
from jiebang.sandbox.cgroups import CgroupMode, detect_cgroup_mode
from jiebang.sandbox.launch import SandboxIdentity
from jiebang.sandbox.seccomp import seccomp_problem

USERNS_LIMIT_FILE = Path("/proc/sys/user/max_user_namespaces")


class SandboxUnavailable(RuntimeError):
    """Isolation is required but this machine cannot provide it."""


@dataclasses.dataclass(frozen=True)
class SandboxStatus:
    """A summary for the organiser console."""

    mechanism: str
    isolated: bool
    bwrap_version: str | None
    cgroup: str
    sandbox_uid: int | None
    warnings: tuple[str, ...]


def default_identity() -> SandboxIdentity | None:
    """Return the uid to drop to: ``nobody`` when running as root, else stay as we are."""
    return SandboxIdentity() if os.geteuid() == 0 else None


def bubblewrap_available() -> bool:
    """True when bwrap is installed and can build a sandbox as the sandbox uid."""
    return _bwrap_problem() is None


def _bwrap_problem() -> str | None:
    identity = default_identity()
    if identity is None:
        return bwrap_cli.probe_bwrap(None, None)
    return bwrap_cli.probe_bwrap(identity.uid, identity.gid)


def sandbox_status() -> SandboxStatus:
    """Return which mechanism runs submissions here and what is degraded."""
    problem = _bwrap_problem()
    cgroup = detect_cgroup_mode()
    warnings: list[str] = []
    if problem is not None:
        warnings.append(
            f"bubblewrap unusable ({problem}); only rlimits apply and code tracks are refused"
        )
    if cgroup is CgroupMode.NONE:
        warnings.append("no writable cgroup: memory and process limits fall back to rlimits")
    seccomp = seccomp_problem()
    if seccomp is not None:
        warnings.append(f"no seccomp filter can be built ({seccomp}); sandboxed runs will fail")
    unreachable = interpreter_problem()
    if unreachable is not None:
        warnings.append(unreachable)
    userns = _read_int(USERNS_LIMIT_FILE)
    if userns == 0:
        warnings.append("user.max_user_namespaces is 0: unprivileged user namespaces are off")
    identity = default_identity()
    return SandboxStatus(
        mechanism="bubblewrap" if problem is None else "rlimits-only",
        isolated=problem is None,
        bwrap_version=bwrap_cli.bwrap_version(),
        cgroup=cgroup.value,
        sandbox_uid=identity.uid if identity else os.getuid(),
        warnings=tuple(warnings),
    )


def interpreter_problem(executable: str | None = None) -> str | None:
    """Why the sandbox uid cannot run the platform's interpreter, or ``None``.

    Sandboxed programs start as an unprivileged uid, so every folder on the way to the
    interpreter (after symlinks) must be searchable by others: a virtual environment built from
    a Python under a private home (pyenv in ``/root``, say) fails with "Permission denied"."""
    if default_identity() is None:
        return None
    real = Path(os.path.realpath(executable or sys.executable))
    for folder in reversed(real.parents):
        try:
            mode = folder.stat().st_mode
        except OSError:
            continue
        if not mode & stat.S_IXOTH:
            return (
                f"the platform interpreter {real} cannot be reached by the sandbox uid: "
                f"{folder} is not searchable by others; build the virtual environment from a "
                "system Python (./run does: /usr/bin/python3.11)"
            )
    return None


def require_isolation() -> None:
    """Raise :class:`SandboxUnavailable` unless full isolation is available (code tracks)."""
    problem = _bwrap_problem()
    if problem is not None:
        raise SandboxUnavailable(
            "code submissions need the bubblewrap sandbox, which is unavailable here: "
            f"{problem}. See docs/sandbox.md (user namespaces in containers)."
        )


def _read_int(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None
