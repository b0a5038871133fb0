"""Isolation properties checked from the host side, with real bwrap."""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path

from jiebang.sandbox import (
    Mount,
    platform_runtime_mounts,
    run_sandboxed,
    runtime_env,
)
from jiebang.sandbox.cgroups import RunCgroup
from jiebang.sandbox.limits import SandboxLimits
from jiebang.sandbox.mounts import runtime_python
from tests.sandbox.support import needs_bwrap

pytestmark = needs_bwrap


def _python(source: str) -> list[str]:
    return [runtime_python(), "-c", source]


def _host_status_of(marker: str) -> list[dict[str, str]]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if marker.encode() in cmdline.read_bytes():
                text = (cmdline.parent / "status").read_text()
                found.append(
                    dict(line.split(":\t", 1) for line in text.splitlines() if ":\t" in line)
                )
        except OSError:
            continue
    return found


def test_sandboxed_processes_are_not_root_on_the_host(limits: SandboxLimits) -> None:
    marker = f"marker-{uuid.uuid4().hex}"
    runner = threading.Thread(
        target=run_sandboxed,
        args=(["/bin/sh", "-c", f"sleep 2; : {marker}"],),
        kwargs={"limits": limits, "mounts": []},
    )
    runner.start()
    seen: list[dict[str, str]] = []
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline and not seen:
        seen = [s for s in _host_status_of(marker) if s.get("Name") == "sh"]
        time.sleep(0.05)
    runner.join()
    assert seen, "the sandboxed shell was not found on the host"
    for status in seen:
        assert status["Uid"].split()[0] != "0" and status["Gid"].split()[0] != "0"
        assert int(status["CapEff"], 16) == 0
        assert status["NoNewPrivs"].strip() == "1"


def test_worker_secrets_never_reach_the_sandbox(monkeypatch, limits: SandboxLimits) -> None:
    monkeypatch.setenv("JIEBANG_WORKER_DB_PASSWORD", "fake-secret-4242")
    result = run_sandboxed(
        ["/bin/sh", "-c", "env; cat /proc/self/environ /proc/1/environ 2>&1"],
        limits=limits,
        mounts=[],
        env={"ONLY": "this"},
    )
    assert result.succeeded
    assert "fake-secret-4242" not in result.stdout_tail
    assert "ONLY=this" in result.stdout_tail


def test_platform_runtime_has_numpy_and_ffmpeg(limits: SandboxLimits) -> None:
    result = run_sandboxed(
        _python(
            "import numpy, subprocess, sys; print(numpy.arange(3).sum(), flush=True);"
            "subprocess.run(['ffmpeg', '-hide_banner', '-version'], check=True)"
        ),
        limits=limits.with_overrides(memory_bytes=512 * 2**20, cpu_seconds=5, wall_seconds=10),
        mounts=platform_runtime_mounts(),
        env=runtime_env(),
    )
    assert result.succeeded, result.stderr_tail
    assert result.stdout_tail.startswith("3\nffmpeg version")


def test_daemon_holding_the_pipes_does_not_block_the_run(limits: SandboxLimits) -> None:
    started = time.monotonic()
    result = run_sandboxed(
        ["/bin/sh", "-c", "(sleep 60 &) ; echo parent-done"],
        limits=limits.with_overrides(wall_seconds=30),
        mounts=[],
    )
    assert time.monotonic() - started < 5
    assert result.exit_code == 0 and "parent-done" in result.stdout_tail
    assert not result.timed_out


def test_stdin_is_delivered_and_cwd_is_respected(tmp_path: Path, limits: SandboxLimits) -> None:
    (tmp_path / "data").mkdir()
    result = run_sandboxed(
        ["/bin/sh", "-c", "pwd; cat"],
        limits=limits,
        mounts=[Mount(tmp_path / "data", "/data")],
        cwd="/data",
        stdin=b"hello from stdin",
    )
    assert result.stdout_tail == "/data\nhello from stdin"


def test_host_paths_are_scrubbed_from_logs(tmp_path: Path, limits: SandboxLimits) -> None:
    source = tmp_path / "team-42-secret-layout"
    source.mkdir()
    leak = f"{source}/x and {tmp_path}/elsewhere"
    result = run_sandboxed(
        ["/bin/sh", "-c", f"echo '{leak}' >&2"],
        limits=limits,
        mounts=[Mount(source, "/submission")],
        scrub_paths=[str(tmp_path)],
    )
    assert str(tmp_path) not in result.stderr_tail
    assert "/submission/x" in result.stderr_tail


def test_cgroup_is_removed_after_the_run(monkeypatch, limits: SandboxLimits) -> None:
    created: list[RunCgroup] = []
    original = RunCgroup.create

    def recording_create(**kwargs: int) -> RunCgroup | None:
        group = original(**kwargs)
        if group is not None:
            created.append(group)
        return group

    monkeypatch.setattr(RunCgroup, "create", staticmethod(recording_create))
    run_sandboxed(["/bin/sh", "-c", "sleep 60 & sleep 60 & echo started"], limits=limits, mounts=[])
    assert created, "no cgroup was used on this machine"
    procs_files = [Path(name) for name in created[0].procs_files()]
    assert procs_files and not any(path.parent.exists() for path in procs_files)


def test_memory_and_cpu_are_measured(limits: SandboxLimits) -> None:
    result = run_sandboxed(
        _python(
            "x = bytearray(48 << 20); import time; t = time.process_time()\n"
            "while time.process_time() - t < 0.3: pass"
        ),
        limits=limits,
        mounts=platform_runtime_mounts(),
        env=runtime_env(),
    )
    assert result.succeeded, result.stderr_tail
    assert result.peak_memory_bytes >= 48 << 20
    assert 0.3 <= result.cpu_seconds < 1.0
