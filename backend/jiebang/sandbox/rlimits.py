"""Per-process rlimits derived from :class:`SandboxLimits` (the cgroup covers the tree)."""

from __future__ import annotations

import math
import resource

from jiebang.sandbox.limits import SandboxLimits

RlimitSetting = tuple[int, int, int]


def rlimits_for(
    limits: SandboxLimits, *, memory_by_cgroup: bool, processes_by_cgroup: bool
) -> list[RlimitSetting]:
    """Return ``(resource, soft, hard)`` triples to apply before exec.

    CPU soft = limit and hard = limit + 1, so an overrun arrives as SIGXCPU and
    not as a bare SIGKILL. Address-space and process-count rlimits are used only
    when no cgroup enforces memory or pids, because RLIMIT_AS breaks programs
    that reserve large virtual ranges and RLIMIT_NPROC counts every process of
    the host uid, not just this run's.
    """
    cpu_soft = max(1, math.ceil(limits.cpu_seconds))
    # One byte of slack: a file cut off by RLIMIT_FSIZE then measures as over the limit
    # in the post-run size check, even when the program ignores SIGXFSZ (Python does).
    fsize = limits.output_bytes + 1
    settings: list[RlimitSetting] = [
        (resource.RLIMIT_CPU, cpu_soft, cpu_soft + 1),
        (resource.RLIMIT_FSIZE, fsize, fsize),
        (resource.RLIMIT_NOFILE, limits.max_open_files, limits.max_open_files),
        (resource.RLIMIT_CORE, 0, 0),
    ]
    if not memory_by_cgroup:
        settings.append((resource.RLIMIT_AS, limits.memory_bytes, limits.memory_bytes))
    if not processes_by_cgroup:
        settings.append((resource.RLIMIT_NPROC, limits.max_processes, limits.max_processes))
    return settings
