"""The seccomp deny-list: every listed call is refused inside the sandbox, each rule really
matches the call it names, and ordinary programs (threads, fork, subprocesses) still work."""

from __future__ import annotations

import errno
import subprocess
import sys
from pathlib import Path

import pytest

from jiebang.sandbox import platform_runtime_mounts, run_sandboxed, runtime_env
from jiebang.sandbox.policy import DENIED_SYSCALLS
from jiebang.sandbox.seccomp import compile_filter, native_syscall_number
from jiebang.sandbox.selftest import AttackBench, AttackOutcome, run_syscall_probe
from jiebang.sandbox.syscall_probe import probe_calls, probe_program, read_probe
from tests.sandbox.support import TEST_LIMITS, needs_bwrap

# No kernel path answers a system call with this errno: seeing it proves the rule matched.
MARKER_ERRNO = 133  # EHWPOISON (memory page has a hardware error)

REQUIRED = {
    "ptrace",
    "mount",
    "umount2",
    "kexec_load",
    "kexec_file_load",
    "bpf",
    "perf_event_open",
    "userfaultfd",
    "keyctl",
    "add_key",
    "request_key",
    "init_module",
    "finit_module",
    "delete_module",
    "pivot_root",
    "swapon",
    "swapoff",
    "reboot",
    "setns",
    "unshare",
    "open_by_handle_at",
    "name_to_handle_at",
    "iopl",
    "ioperm",
    "quotactl",
    "acct",
    "lookup_dcookie",
}

LOAD_AND_PROBE = """
import ctypes, sys
from jiebang.sandbox.seccomp import compile_filter, load_filter
ctypes.CDLL(None, use_errno=True).prctl(38, 1, 0, 0, 0)  # PR_SET_NO_NEW_PRIVS
load_filter(compile_filter(errno_override={marker}))
exec(compile(open(sys.argv[2]).read(), "probe", "exec"))
"""


@pytest.fixture(scope="module")
def probe_rows(bench: AttackBench) -> dict[str, AttackOutcome]:
    return {row.name: row for row in run_syscall_probe(bench)}


def test_the_deny_list_holds_every_call_the_review_named() -> None:
    names = {entry.name for entry in DENIED_SYSCALLS}
    assert names >= REQUIRED
    assert all(entry.errno in (errno.EPERM, errno.ENOSYS) for entry in DENIED_SYSCALLS)
    labels = [entry.label for entry in DENIED_SYSCALLS]
    assert len(labels) == len(set(labels))
    assert all(native_syscall_number(name) is not None for name in REQUIRED)


def test_the_filter_is_real_bpf_from_libseccomp() -> None:
    program = compile_filter()
    assert program and len(program) % 8 == 0
    assert compile_filter(errno_override=MARKER_ERRNO) != program


def test_each_rule_matches_the_call_it_names(tmp_path: Path) -> None:
    # Outside any sandbox (as root here, with every capability), a filter answering a
    # marker errno shows that each probe reaches its own rule, not some other refusal.
    source = tmp_path / "probe.py"
    source.write_text(probe_program())
    report = tmp_path / "probe.json"
    subprocess.run(
        [sys.executable, "-c", LOAD_AND_PROBE.format(marker=MARKER_ERRNO), report, source],
        check=True,
        timeout=60,
    )
    mode, rows = read_probe(report, errno_override=MARKER_ERRNO)
    assert mode == 2
    assert len(rows) == len(probe_calls()) >= len(REQUIRED)
    assert [row.label for row in rows if not row.refused] == []


def test_without_the_filter_the_probes_are_not_refused_that_way(tmp_path: Path) -> None:
    source = tmp_path / "probe.py"
    source.write_text(probe_program())
    report = tmp_path / "probe.json"
    subprocess.run([sys.executable, source, report], check=True, timeout=60)
    _, rows = read_probe(report, errno_override=MARKER_ERRNO)
    assert not any(row.refused for row in rows)


@needs_bwrap
def test_the_filter_is_installed_in_the_sandbox(probe_rows: dict[str, AttackOutcome]) -> None:
    installed = probe_rows["seccomp: filter installed"]
    assert installed.contained, installed.reason


@needs_bwrap
@pytest.mark.parametrize("label", [entry.label for entry in DENIED_SYSCALLS])
def test_selftest_row_per_denied_call(label: str, probe_rows: dict[str, AttackOutcome]) -> None:
    entry = next(item for item in DENIED_SYSCALLS if item.label == label)
    if native_syscall_number(entry.name) is None:
        pytest.skip(f"{entry.name} does not exist on this machine's ABI")
    row = probe_rows[f"seccomp: {label}"]
    assert row.contained, row.reason
    assert row.reason == f"refused with {errno.errorcode[entry.errno]}"


@needs_bwrap
def test_threads_fork_and_subprocesses_still_work_under_the_filter() -> None:
    program = (
        "import os, subprocess, threading, multiprocessing as mp\n"
        "t = threading.Thread(target=print, args=('thread',)); t.start(); t.join()\n"
        "pid = os.fork()\n"
        "if pid == 0: os._exit(7)\n"
        "print('child', os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))\n"
        "print(subprocess.run(['/bin/sh', '-c', 'echo shell'], capture_output=True).stdout)\n"
        "with mp.get_context('spawn').Pool(1) as pool: print('pool', pool.map(abs, [-3]))\n"
    )
    result = run_sandboxed(
        [sys.executable, "-c", program],
        limits=TEST_LIMITS.with_overrides(wall_seconds=20, cpu_seconds=10),
        mounts=platform_runtime_mounts(),
        env=runtime_env(),
    )
    assert result.succeeded, result.stderr_tail
    assert result.stdout_tail.split("\n")[:4] == ["thread", "child 7", "b'shell\\n'", "pool [3]"]


def test_the_fallback_runner_installs_the_filter_itself(monkeypatch, tmp_path: Path) -> None:
    from jiebang.sandbox import runner as sandbox_runner

    monkeypatch.setattr(sandbox_runner, "bubblewrap_available", lambda: False)
    program = (
        "import ctypes\n"
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        f"r = libc.syscall({native_syscall_number('keyctl')}, -1, 0, 0, 0, 0)\n"
        "print(r, ctypes.get_errno())\n"
        "print([l.split()[1] for l in open('/proc/self/status') if l.startswith('Seccomp:')])\n"
    )
    # Without bwrap's mount staging the sandbox uid needs an interpreter it can reach.
    python = "/usr/bin/python3"
    result = run_sandboxed(
        [python, "-c", program], limits=TEST_LIMITS, mounts=[], env={"PATH": "/usr/bin:/bin"}
    )
    assert result.isolated is False
    assert result.stdout_tail.split("\n")[:2] == [f"-1 {errno.EPERM}", "['2']"], result.stderr_tail
