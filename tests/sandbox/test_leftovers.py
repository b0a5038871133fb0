"""A worker SIGKILLed mid-job leaves its scratch folder, its run cgroups and its /dev/shm
staging folder behind; the housekeeper (even a freshly restarted one) reclaims exactly those,
and keeps what a live job holds."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from jiebang.evaluation import housekeeping
from jiebang.sandbox.cgroups import (
    GROUP_PARENT,
    CgroupMode,
    cgroup_dirs,
    detect_cgroup_mode,
    run_group_owner_token,
)
from jiebang.sandbox.leftovers import (
    SANDBOX_WORKDIR_PREFIX,
    UNOWNED_GRACE_SECONDS,
    default_workdir_parents,
    reclaim_leftovers,
)
from jiebang.sandbox.ownership import OWNER_FILE, ProcessOwner, create_owned_dir, read_owner
from tests.sandbox.support import needs_bwrap

REPO = Path(__file__).resolve().parents[2]

# A stand-in worker: the pipeline's own calls (an owned job folder, a sandboxed run writing
# into it), stopped mid-run by the test.
WORKER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from jiebang.sandbox import Mount, SandboxLimits, run_sandboxed
    from jiebang.sandbox.limits import MIB
    from jiebang.sandbox.ownership import create_owned_dir

    job = create_owned_dir(Path(sys.argv[1]), prefix="job-4242-")
    (job / "upload.bin").write_bytes(b"x" * (4 * MIB))
    output = job / "output"
    output.mkdir()
    limits = SandboxLimits(
        cpu_seconds=60, wall_seconds=300, memory_bytes=128 * MIB, max_processes=16,
        max_open_files=64, output_bytes=8 * MIB, tmp_bytes=4 * MIB, log_bytes_kept=4096,
    )
    run_sandboxed(
        ["/bin/sh", "-c", "echo started > /output/started; exec sleep 300"],
        limits=limits,
        mounts=[Mount(output, "/output", writable=True)],
    )
    """
)

RESTARTED_HOUSEKEEPER = (
    "import json, sys; from pathlib import Path; "
    "from jiebang.sandbox.leftovers import reclaim_leftovers; "
    "print(json.dumps(reclaim_leftovers([Path(p) for p in sys.argv[1:]])))"
)


def _start_worker(scratch: Path) -> subprocess.Popen[bytes]:
    scratch.mkdir()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-c", WORKER, str(scratch)], env=env)


def _wait_until_running(scratch: Path, worker: subprocess.Popen[bytes]) -> Path:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        started = list(scratch.glob("job-*/output/started"))
        if started:
            return started[0].parents[1]
        assert worker.poll() is None, "the worker ended before its job started"
        time.sleep(0.1)
    raise AssertionError("the sandboxed job never started")


def _staging_of(pid: int) -> list[Path]:
    found = []
    for parent in default_workdir_parents():
        for path in parent.glob(f"{SANDBOX_WORKDIR_PREFIX}*"):
            owner = read_owner(path)
            if owner is not None and owner.pid == pid:
                found.append(path)
    return found


def _cgroups_of(pid: int) -> list[Path]:
    found = []
    for parent in cgroup_dirs(Path("/sys/fs/cgroup"), GROUP_PARENT):
        for path in parent.glob("run-*"):
            token = run_group_owner_token(path.name)
            owner = ProcessOwner.from_token(token) if token else None
            if owner is not None and owner.pid == pid:
                found.append(path)
    return found


def _restarted_housekeeper(*roots: Path) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", RESTARTED_HOUSEKEEPER, *map(str, roots)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
    )
    return list(json.loads(done.stdout))


@needs_bwrap
def test_leftovers_of_a_killed_worker_are_reclaimed_and_a_live_job_is_kept(
    tmp_path: Path,
) -> None:
    killed_root, live_root = tmp_path / "killed", tmp_path / "live"
    killed, live = _start_worker(killed_root), _start_worker(live_root)
    try:
        killed_job = _wait_until_running(killed_root, killed)
        live_job = _wait_until_running(live_root, live)
        killed_staging, live_staging = _staging_of(killed.pid), _staging_of(live.pid)
        killed_groups, live_groups = _cgroups_of(killed.pid), _cgroups_of(live.pid)
        assert killed_staging and live_staging
        if detect_cgroup_mode() is not CgroupMode.NONE:
            assert killed_groups and live_groups

        killed.send_signal(signal.SIGKILL)
        killed.wait()
        # What the issue saw: nothing removes them by itself.
        leftovers = [killed_job, *killed_staging, *killed_groups]
        assert all(path.exists() for path in leftovers)

        removed = _restarted_housekeeper(killed_root, live_root)

        assert not any(path.exists() for path in leftovers), removed
        # /dev/shm and the cgroup tree are machine-wide: another process's housekeeper (same
        # code) may reclaim them first, so only the test's own scratch must be in its list.
        assert str(killed_job) in removed
        assert live.poll() is None
        kept = [live_job, *live_staging, *live_groups]
        assert all(path.exists() for path in kept)
        assert (live_job / "output" / "started").is_file()
    finally:
        for worker in (killed, live):
            if worker.poll() is None:
                worker.send_signal(signal.SIGKILL)
                worker.wait()
    reclaim_leftovers([killed_root, live_root])
    assert not list(live_root.iterdir())
    assert not _staging_of(live.pid) and not _cgroups_of(live.pid)


def test_the_housekeeper_round_reclaims_the_embedded_scratch(monkeypatch, tmp_path: Path) -> None:
    scratch = tmp_path / "work" / "scratch"
    scratch.mkdir(parents=True)
    dead = _dead_owner_dir(scratch)
    mine = create_owned_dir(scratch, prefix="job-2-")

    class Settings:
        work_dir = tmp_path / "work"
        var_dir = tmp_path

    monkeypatch.setattr(housekeeping, "get_settings", lambda: Settings())
    removed = housekeeping.reclaim_scratch()

    assert str(dead) in removed and not dead.exists()
    assert mine.exists()


def _dead_owner_dir(root: Path, **changes: object) -> Path:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    pid = int(done.stdout)
    path = create_owned_dir(root, prefix="job-1-")
    data = json.loads((path / OWNER_FILE).read_text()) | {"pid": pid} | changes
    (path / OWNER_FILE).write_text(json.dumps(data))
    (path / "big.bin").write_bytes(b"x" * 1024)
    return path


@pytest.mark.parametrize(
    ("changes", "reclaimed"),
    [
        ({}, True),  # the owner's pid has exited
        ({"boot_id": "an-earlier-boot"}, True),  # folders that outlived a reboot
        ({"pid_namespace": 1}, False),  # another container's process: not ours to judge
    ],
)
def test_owner_markers_decide(tmp_path: Path, changes: dict[str, object], reclaimed: bool) -> None:
    path = _dead_owner_dir(tmp_path, **changes)
    reclaim_leftovers([tmp_path], workdir_parents=[])
    assert path.exists() is not reclaimed


def test_a_live_owner_is_kept_whatever_its_age(tmp_path: Path) -> None:
    path = create_owned_dir(tmp_path, prefix="job-7-")
    old = time.time() - 10 * UNOWNED_GRACE_SECONDS
    os.utime(path, (old, old))
    assert reclaim_leftovers([tmp_path], workdir_parents=[]) == []
    assert path.exists()


def test_a_reused_pid_is_not_the_owner(tmp_path: Path) -> None:
    path = create_owned_dir(tmp_path, prefix="job-8-")
    data = json.loads((path / OWNER_FILE).read_text())
    data["start_ticks"] -= 1  # same pid (this process), another start: a different process
    (path / OWNER_FILE).write_text(json.dumps(data))
    reclaim_leftovers([tmp_path], workdir_parents=[])
    assert not path.exists()


def test_unowned_folders_wait_a_day(tmp_path: Path) -> None:
    fresh, stale = tmp_path / "job-1-fresh", tmp_path / "job-2-stale"
    fresh.mkdir()
    stale.mkdir()
    old = time.time() - UNOWNED_GRACE_SECONDS - 60
    os.utime(stale, (old, old))
    reclaim_leftovers([tmp_path], workdir_parents=[])
    assert fresh.exists() and not stale.exists()
