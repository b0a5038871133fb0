"""Watching one sandboxed process tree: logs, wall clock, total CPU and output size."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import selectors
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from jiebang.sandbox.cgroups import RunCgroup
from jiebang.sandbox.limits import SandboxLimits
from jiebang.sandbox.logtail import TailBuffer
from jiebang.sandbox.outputs import directory_size

POLL_SECONDS = 0.05
CPU_CHECK_SECONDS = 0.25
OUTPUT_CHECK_SECONDS = 1.0
# Per-process RLIMIT_CPU catches a single spinner; the group total catches many.
CPU_GRACE_SECONDS = 1.0
DRAIN_SECONDS = 1.0
READ_CHUNK = 65536


@dataclasses.dataclass
class Supervision:
    """What the monitor saw; filled in while the run goes on."""

    wait_status: int | None = None
    rusage: object | None = None
    timed_out: bool = False
    cpu_exceeded: bool = False
    output_exceeded: bool = False
    wall_seconds: float = 0.0


def supervise(
    process: subprocess.Popen[bytes],
    *,
    limits: SandboxLimits,
    cgroup: RunCgroup | None,
    writable_dirs: Sequence[Path],
    stdout: TailBuffer,
    stderr: TailBuffer,
    kill_tree: Callable[[], None],
) -> Supervision:
    """Pump logs and enforce wall, total-CPU and output limits until the tree is gone."""
    seen = Supervision()
    started = time.monotonic()
    deadline = started + limits.wall_seconds
    selector = selectors.DefaultSelector()
    for stream, buffer in ((process.stdout, stdout), (process.stderr, stderr)):
        assert stream is not None
        os.set_blocking(stream.fileno(), False)
        selector.register(stream.fileno(), selectors.EVENT_READ, buffer)
    next_cpu_check = started + CPU_CHECK_SECONDS
    next_output_check = started + OUTPUT_CHECK_SECONDS
    drain_deadline: float | None = None

    def stop(reason: str) -> None:
        setattr(seen, reason, True)
        kill_tree()

    while selector.get_map():
        now = time.monotonic()
        if seen.wait_status is None:
            _reap(process, seen)
        if seen.wait_status is not None and drain_deadline is None:
            # The main process is gone; anything still holding the pipes dies now.
            kill_tree()
            drain_deadline = now + DRAIN_SECONDS
        if drain_deadline is not None and now > drain_deadline:
            break
        if seen.wait_status is None:
            if now > deadline:
                stop("timed_out")
            elif cgroup is not None and now > next_cpu_check:
                next_cpu_check = now + CPU_CHECK_SECONDS
                used = cgroup.cpu_seconds_now()
                if used is not None and used > limits.cpu_seconds + CPU_GRACE_SECONDS:
                    stop("cpu_exceeded")
            elif now > next_output_check:
                next_output_check = now + OUTPUT_CHECK_SECONDS
                if sum(directory_size(path) for path in writable_dirs) > limits.output_bytes:
                    stop("output_exceeded")
        for key, _ in selector.select(timeout=POLL_SECONDS):
            tail: TailBuffer = key.data
            try:
                chunk = os.read(key.fd, READ_CHUNK)
            except BlockingIOError:
                continue
            if not chunk:
                selector.unregister(key.fd)
                continue
            tail.append(chunk)
            logged = stdout.total_bytes + stderr.total_bytes
            if logged > limits.output_bytes and not seen.output_exceeded:
                stop("output_exceeded")
    selector.close()
    if seen.wait_status is None:
        kill_tree()
        _reap(process, seen, block=True)
    seen.wall_seconds = time.monotonic() - started
    return seen


def _reap(process: subprocess.Popen[bytes], seen: Supervision, *, block: bool = False) -> None:
    with contextlib.suppress(ChildProcessError):
        pid, status, rusage = os.wait4(process.pid, 0 if block else os.WNOHANG)
        if pid == process.pid:
            seen.wait_status = status
            seen.rusage = rusage
            process.returncode = os.waitstatus_to_exitcode(status)


def signal_name(number: int) -> str:
    """Return ``SIGKILL`` for 9 and so on; ``SIG<n>`` for unknown numbers."""
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"SIG{number}"
