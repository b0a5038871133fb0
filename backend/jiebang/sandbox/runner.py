"""``run_sandboxed``: one program, one set of limits, one fixed result record."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from jiebang.sandbox import bwrap as bwrap_cli
from jiebang.sandbox import rootfs
from jiebang.sandbox.cgroups import CgroupUsage, RunCgroup
from jiebang.sandbox.launch import ChildSetup, SandboxIdentity
from jiebang.sandbox.leftovers import SANDBOX_WORKDIR_PREFIX
from jiebang.sandbox.limits import SandboxLimits
from jiebang.sandbox.logtail import TailBuffer, scrub_host_paths
from jiebang.sandbox.monitor import Supervision, signal_name, supervise
from jiebang.sandbox.mounts import Mount
from jiebang.sandbox.outputs import directory_size
from jiebang.sandbox.ownership import OWNER_FILE, ProcessOwner, create_owned_dir
from jiebang.sandbox.result import SandboxResult
from jiebang.sandbox.rlimits import rlimits_for
from jiebang.sandbox.seccomp import filter_memfd, sandbox_filter
from jiebang.sandbox.status import SandboxUnavailable, bubblewrap_available, default_identity

HIDDEN_PATH = "<host>"


def run_sandboxed(
    argv: Sequence[str],
    *,
    limits: SandboxLimits,
    mounts: Sequence[Mount],
    env: Mapping[str, str] | None = None,
    cwd: str = "/",
    stdin: bytes | None = None,
    scrub_paths: Sequence[str] = (),
    root: Path | None = None,
) -> SandboxResult:
    """Run ``argv`` in a fresh sandbox that sees only ``mounts`` and return what happened.

    With bubblewrap every namespace is new and the tree runs as an unprivileged host
    uid; without it, the program runs under rlimits only (``isolated=False``), with
    mount targets in ``argv``, ``env`` and ``cwd`` rewritten to their host sources.
    ``root`` replaces the host's read-only system directories by that folder's
    contents as ``/`` (read-only; needs bubblewrap), with ``mounts`` on top.
    """
    if not argv:
        raise ValueError("argv must not be empty")
    identity = default_identity()
    isolated = bubblewrap_available()
    if root is not None:
        if not isolated:
            raise SandboxUnavailable("a program with its own root folder needs bubblewrap")
        rootfs.check_mount_points(root, [mount.target for mount in mounts])
    owner = ProcessOwner.current()
    workdir = create_owned_dir(_workdir_parent(), prefix=SANDBOX_WORKDIR_PREFIX)
    workdir.chmod(0o711)
    for mount in mounts:
        if mount.writable and identity is not None:
            os.chown(mount.source, identity.uid, identity.gid)
    cgroup = _create_cgroup(limits, owner)
    stdout, stderr = TailBuffer(limits.log_bytes_kept), TailBuffer(limits.log_bytes_kept)
    stage_points: list[Path] = []
    # bwrap installs the filter on the program; the fallback installs it itself.
    seccomp_fd = filter_memfd(sandbox_filter()) if isolated else None
    try:
        with _stdin_file(stdin) as stdin_file:
            if isolated:
                command, setup, stage_points = _bwrap_plan(
                    argv, limits, mounts, dict(env or {}), cwd, workdir, identity, cgroup, root
                )
                command = bwrap_cli.with_seccomp(command, seccomp_fd)
                process_cwd = workdir
            else:
                command, setup = _fallback_plan(
                    argv, limits, mounts, dict(env or {}), identity, cgroup
                )
                process_cwd = Path(_host_path(cwd, mounts))
            process = subprocess.Popen(
                command,
                stdin=stdin_file,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=dict(env or {}) if not isolated else {},
                cwd=process_cwd,
                preexec_fn=setup,
                start_new_session=True,
                close_fds=True,
                pass_fds=(seccomp_fd,) if seccomp_fd is not None else (),
            )

            def kill_tree() -> None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signal.SIGKILL)
                if cgroup is not None:
                    cgroup.kill_all()

            writable = [m.source for m in mounts if m.writable]
            seen = supervise(
                process,
                limits=limits,
                cgroup=cgroup,
                writable_dirs=writable,
                stdout=stdout,
                stderr=stderr,
                kill_tree=kill_tree,
            )
            kill_tree()
            for stream in (process.stdout, process.stderr):
                if stream is not None:
                    stream.close()
        usage = cgroup.usage() if cgroup is not None else None
        written = sum(directory_size(path) for path in writable)
    finally:
        if seccomp_fd is not None:
            os.close(seccomp_fd)
        if cgroup is not None:
            cgroup.remove()
        _remove_workdir(workdir, stage_points)
    replacements = [(str(m.source), m.target) for m in mounts]
    replacements += [(str(workdir), HIDDEN_PATH)] + [(path, HIDDEN_PATH) for path in scrub_paths]
    return _result(
        seen,
        usage,
        limits=limits,
        isolated=isolated,
        written_bytes=written,
        stdout_tail=scrub_host_paths(stdout.text(), replacements),
        stderr_tail=scrub_host_paths(stderr.text(), replacements),
    )


def _workdir_parent() -> str | None:
    # The per-run directory holds only small generated files and empty stage points;
    # on a tmpfs creating them costs microseconds instead of milliseconds of disk I/O.
    shared_memory = "/dev/shm"  # noqa: S108
    return shared_memory if os.access(shared_memory, os.W_OK | os.X_OK) else None


def _create_cgroup(limits: SandboxLimits, owner: ProcessOwner) -> RunCgroup | None:
    try:
        return RunCgroup.create(
            memory_bytes=limits.memory_bytes,
            max_processes=limits.max_processes,
            owner_token=owner.token,
        )
    except OSError:
        return None


@contextlib.contextmanager
def _stdin_file(data: bytes | None) -> Any:
    if data is None:
        with open(os.devnull, "rb") as handle:
            yield handle
        return
    with tempfile.TemporaryFile() as handle:
        handle.write(data)
        handle.seek(0)
        yield handle


def _bwrap_plan(
    argv: Sequence[str],
    limits: SandboxLimits,
    mounts: Sequence[Mount],
    env: dict[str, str],
    cwd: str,
    workdir: Path,
    identity: SandboxIdentity | None,
    cgroup: RunCgroup | None,
    root: Path | None = None,
) -> tuple[list[str], ChildSetup, list[Path]]:
    binds: list[bwrap_cli.BindSpec] = []
    staged: list[tuple[str, str]] = []
    stage_points: list[Path] = []
    root_args: list[str] | None = None
    etc_files = _write_etc_files(workdir, identity)
    if root is not None:
        staged_root = str(root)
        if identity is not None:
            stage = workdir / "root"
            stage.mkdir()
            stage_points.append(stage)
            staged.append((str(root), str(stage)))
            staged_root = str(stage)
        reserved = rootfs.top_level_targets(mount.target for mount in mounts)
        root_args = rootfs.root_arguments(root, staged_root, reserved=reserved)
        etc_files = rootfs.etc_files_for_root(root, etc_files)
    for index, mount in enumerate(mounts):
        source = str(mount.source)
        if identity is not None:
            # Bound by root in the child's private mount namespace; see launch.py.
            stage = workdir / f"mount-{index}"
            stage.mkdir() if mount.source.is_dir() else stage.touch()
            stage_points.append(stage)
            staged.append((source, str(stage)))
            source = str(stage)
        binds.append(bwrap_cli.BindSpec(source, mount.target, mount.writable, mount.device))
    bwrap_path = bwrap_cli.find_bwrap()
    assert bwrap_path is not None
    command = bwrap_cli.build_bwrap_argv(
        bwrap=bwrap_path,
        command=argv,
        binds=binds,
        etc_files=etc_files,
        env=env,
        cwd=cwd,
        tmp_bytes=limits.tmp_bytes,
        root_args=root_args,
    )
    setup = ChildSetup(
        cgroup_procs_files=tuple(cgroup.procs_files()) if cgroup else (),
        staged_binds=tuple(staged),
        rlimits=tuple(
            rlimits_for(
                limits, memory_by_cgroup=cgroup is not None, processes_by_cgroup=cgroup is not None
            )
        ),
        identity=identity,
    )
    return command, setup, stage_points


def _write_etc_files(workdir: Path, identity: SandboxIdentity | None) -> dict[str, str]:
    uid, gid = (identity.uid, identity.gid) if identity else (os.getuid(), os.getgid())
    contents = {
        "/etc/passwd": f"sandbox:x:{uid}:{gid}:sandbox:/tmp:/usr/sbin/nologin\n",
        "/etc/group": f"sandbox:x:{gid}:\n",
        "/etc/hosts": "127.0.0.1 localhost jiebang-sandbox\n",
    }
    files: dict[str, str] = {}
    for target, text in contents.items():
        path = workdir / f"etc-{Path(target).name}"
        path.write_text(text)
        path.chmod(0o644)
        files[target] = str(path)
    return files


def _fallback_plan(
    argv: Sequence[str],
    limits: SandboxLimits,
    mounts: Sequence[Mount],
    env: dict[str, str],
    identity: SandboxIdentity | None,
    cgroup: RunCgroup | None,
) -> tuple[list[str], ChildSetup]:
    for name, value in env.items():
        env[name] = ":".join(_host_path(part, mounts) for part in value.split(":"))
    setup = ChildSetup(
        cgroup_procs_files=tuple(cgroup.procs_files()) if cgroup else (),
        staged_binds=(),
        rlimits=tuple(
            rlimits_for(
                limits, memory_by_cgroup=cgroup is not None, processes_by_cgroup=cgroup is not None
            )
        ),
        identity=identity,
        seccomp_program=sandbox_filter(),
    )
    return [_host_path(arg, mounts) for arg in argv], setup


def _host_path(path: str, mounts: Sequence[Mount]) -> str:
    for mount in sorted(mounts, key=lambda m: len(m.target), reverse=True):
        if path == mount.target or path.startswith(mount.target.rstrip("/") + "/"):
            return str(mount.source) + path[len(mount.target.rstrip("/")) :]
    return path


def _remove_workdir(workdir: Path, stage_points: Sequence[Path]) -> None:
    # Never rmtree: a stage point is only ever an empty directory or file on the host.
    for path in [*stage_points, *workdir.glob("etc-*"), workdir / OWNER_FILE]:
        with contextlib.suppress(OSError):
            path.rmdir() if path.is_dir() and not path.is_symlink() else path.unlink()
    with contextlib.suppress(OSError):
        workdir.rmdir()


def _result(
    seen: Supervision,
    usage: CgroupUsage | None,
    *,
    limits: SandboxLimits,
    isolated: bool,
    written_bytes: int,
    stdout_tail: str,
    stderr_tail: str,
) -> SandboxResult:
    exit_code, signal_text = _exit_and_signal(seen.wait_status, via_bwrap=isolated)
    rusage: Any = seen.rusage
    cpu = usage.cpu_seconds if usage and usage.cpu_seconds is not None else None
    if cpu is None:
        cpu = (rusage.ru_utime + rusage.ru_stime) if rusage else 0.0
    peak = usage.peak_memory_bytes if usage and usage.peak_memory_bytes else None
    if peak is None:
        peak = rusage.ru_maxrss * 1024 if rusage else 0
    return SandboxResult(
        exit_code=exit_code,
        signal=signal_text,
        cpu_seconds=round(cpu, 3),
        wall_seconds=round(seen.wall_seconds, 3),
        peak_memory_bytes=peak,
        timed_out=seen.timed_out,
        oom_killed=bool(usage and usage.oom_kills > 0),
        output_limit_hit=seen.output_exceeded
        or signal_text == "SIGXFSZ"
        or written_bytes > limits.output_bytes,
        stdout_tail=stdout_tail,
        stderr_tail=stderr_tail,
        limits=limits,
        isolated=isolated,
        cpu_limit_hit=seen.cpu_exceeded or signal_text == "SIGXCPU",
    )


def _exit_and_signal(status: int | None, *, via_bwrap: bool) -> tuple[int | None, str | None]:
    if status is None:
        return None, "SIGKILL"
    if os.WIFSIGNALED(status):
        return None, signal_name(os.WTERMSIG(status))
    code = os.WEXITSTATUS(status)
    # bwrap's pid 1 reports a payload killed by signal N as exit status 128 + N.
    if via_bwrap and 128 < code < 128 + signal.NSIG:
        return None, signal_name(code - 128)
    return code, None
