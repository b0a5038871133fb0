"""A program that makes every refused system call for real and records what it answered.

The probe calls each entry of the deny-list through ``syscall(2)`` with its harmless
probe arguments and writes one JSON record per call. A call was refused when it
answered ``-1`` with exactly the errno the filter returns; the probe also records
the ``Seccomp:`` line of ``/proc/self/status`` (2 = a filter is installed).
"""

from __future__ import annotations

import dataclasses
import json
import textwrap
from collections.abc import Sequence
from pathlib import Path

from jiebang.sandbox.policy import DENIED_SYSCALLS, DeniedSyscall
from jiebang.sandbox.seccomp import errno_name, native_syscall_number

PROBE_SOURCE = """
import ctypes, json, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
rows = []
for label, number, args in {calls!r}:
    ctypes.set_errno(0)
    answer = libc.syscall(ctypes.c_long(number), *[ctypes.c_long(a) for a in args])
    rows.append({{"label": label, "answer": answer, "errno": ctypes.get_errno()}})
status = [l.split()[1] for l in open("/proc/self/status") if l.startswith("Seccomp:")]
with open(sys.argv[1], "w") as out:
    json.dump({{"seccomp_mode": int(status[0]) if status else -1, "calls": rows}}, out)
"""


@dataclasses.dataclass(frozen=True)
class ProbeRow:
    """What one refused call answered inside the sandbox."""

    label: str
    refused: bool
    detail: str


def probe_calls(denied: Sequence[DeniedSyscall] = DENIED_SYSCALLS) -> list[DeniedSyscall]:
    """Return the entries this machine's ABI has a number for (the ones a program can make)."""
    return [entry for entry in denied if native_syscall_number(entry.name) is not None]


def probe_program(denied: Sequence[DeniedSyscall] = DENIED_SYSCALLS) -> str:
    """Return the Python source of the probe; its first argument is the JSON file to write."""
    calls = [
        (entry.label, native_syscall_number(entry.name), entry.probe)
        for entry in probe_calls(denied)
    ]
    return textwrap.dedent(PROBE_SOURCE).format(calls=calls)


def read_probe(
    report: Path,
    denied: Sequence[DeniedSyscall] = DENIED_SYSCALLS,
    *,
    errno_override: int | None = None,
) -> tuple[int, list[ProbeRow]]:
    """Return the probe's seccomp mode and one row per call, judged against ``denied``."""
    data = json.loads(report.read_text())
    expected = {
        entry.label: errno_override if errno_override is not None else entry.errno
        for entry in denied
    }
    rows = []
    for call in data["calls"]:
        want = expected[call["label"]]
        refused = call["answer"] == -1 and call["errno"] == want
        got = errno_name(call["errno"]) if call["answer"] == -1 else f"returned {call['answer']}"
        detail = f"refused with {got}" if refused else f"{got}, expected {errno_name(want)}"
        rows.append(ProbeRow(call["label"], refused, detail))
    return int(data["seccomp_mode"]), rows
