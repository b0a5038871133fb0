"""The sandbox a python runtime build runs in: what each uv step sees, and how it may fail.

Every step (``uv venv``, ``uv pip install``, the probe of the new environment) runs through
:func:`jiebang.sandbox.run_sandboxed` with every namespace new, under
:meth:`RuntimeSettings.build_limits`. Writable: the build slot's work folder (at
``/opt/jiebang/build``), uv's cache and the build's progress log; read-only: the uv
binary, the base interpreter, the platform interpreter that runs ``build_launcher.py``
and the wheelhouse. The network is loopback only; in index mode the launcher relays to
the index gate's Unix socket, bound in, which reaches nothing but the index
(``index_gate.py``). uv links nothing from its cache into the environment (copy mode), so
a later build that can write the cache cannot change an environment already published.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from jiebang.runtimes import build_launcher
from jiebang.runtimes.index_gate import IndexGate
from jiebang.runtimes.interpreters import interpreter_mounts
from jiebang.runtimes.prepared import RuntimeBuildFailed
from jiebang.sandbox import Mount, SandboxLimits, SandboxResult, run_sandboxed

WORK_TARGET = "/opt/jiebang/build"
UV_TARGET = "/opt/jiebang/uv"
UV_CACHE_TARGET = "/opt/jiebang/uv-cache"
LOG_TARGET = "/opt/jiebang/build.log"
LAUNCHER_TARGET = "/opt/jiebang/build_launcher.py"
WHEELHOUSE_TARGET = "/opt/jiebang/wheelhouse"
GATE_TARGET = "/opt/jiebang/gate.sock"
SANDBOX_TMP = "/tmp"  # noqa: S108  (the sandbox's own size-capped tmpfs)
# The launcher needs only the standard library: the platform's base interpreter, not its venv.
PLATFORM_PYTHON = os.path.realpath(getattr(sys, "_base_executable", None) or sys.executable)
# How uv reaches a TLS index: certificate authorities, taken from the worker when it sets them.
CERTIFICATE_VARIABLES = ("SSL_CERT_FILE", "SSL_CERT_DIR")
NATIVE_TLS = "UV_NATIVE_TLS"
SYSTEM_CERTIFICATES = ("/etc/ssl", "/etc/pki", "/etc/ca-certificates")


@dataclasses.dataclass(frozen=True)
class StepOutcome:
    """How one uv step ended: its exit code and what it wrote to the log."""

    returncode: int
    said: str


@dataclasses.dataclass(frozen=True)
class BuildSandbox:
    """The mounts, environment and limits shared by every step of one build."""

    work: Path
    log: Path
    uv: Path
    uv_cache: Path
    interpreter: tuple[Mount, ...]
    wheelhouse: Path | None
    limits: SandboxLimits

    def inside(self, name: str) -> str:
        """Return where ``<work>/<name>`` is inside the sandbox."""
        return f"{WORK_TARGET}/{name}"

    def run_uv(self, args: Sequence[str], *, gate: IndexGate | None = None) -> StepOutcome:
        """Run ``uv ARGS`` in the sandbox (relaying to ``gate`` when given); uv's words go to
        the log as it says them and come back in the outcome."""
        command = [PLATFORM_PYTHON, "-I", "-S", LAUNCHER_TARGET, "--log", LOG_TARGET]
        mounts = self._mounts()
        if gate is not None:
            command += ["--gate", GATE_TARGET]
            mounts.append(Mount(gate.socket_path, GATE_TARGET))
        with self.log.open("rb") as log:
            start = log.seek(0, os.SEEK_END)
        result = run_sandboxed(
            [*command, "--", UV_TARGET, *args],
            limits=self.limits,
            mounts=mounts,
            env=self._environment(),
            cwd=WORK_TARGET,
        )
        with self.log.open("rb") as log:
            log.seek(start)
            said = log.read().decode("utf-8", "replace")
        self._check(result)
        if result.exit_code != 0 and result.stderr_tail.strip():
            said += result.stderr_tail  # the launcher itself failed (it writes no log then)
        code = result.exit_code if result.exit_code is not None else 1
        return StepOutcome(returncode=code, said=said)

    def run_python(self, python: str, code: str) -> SandboxResult:
        """Run ``python -c code`` (an interpreter inside the work folder) without network."""
        result = run_sandboxed(
            [python, "-c", code],
            limits=self.limits,
            mounts=[Mount(self.work, WORK_TARGET), *self.interpreter],
            env={"PATH": "/usr/bin:/bin", "HOME": SANDBOX_TMP, "LANG": "C.UTF-8"},
            cwd=WORK_TARGET,
        )
        self._check(result)
        return result

    def _mounts(self) -> list[Mount]:
        platform = interpreter_mounts([sys.base_prefix, os.path.dirname(PLATFORM_PYTHON)])
        mounts = [
            Mount(self.work, WORK_TARGET, writable=True),
            Mount(self.uv_cache, UV_CACHE_TARGET, writable=True),
            Mount(self.log, LOG_TARGET, writable=True),
            Mount(self.uv, UV_TARGET),
            Mount(Path(build_launcher.__file__), LAUNCHER_TARGET),
            *_distinct(self.interpreter, platform),
            *_certificate_mounts(),
        ]
        if self.wheelhouse is not None:
            mounts.append(Mount(self.wheelhouse, WHEELHOUSE_TARGET))
        return mounts

    def _environment(self) -> dict[str, str]:
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": SANDBOX_TMP,
            "TMPDIR": SANDBOX_TMP,
            "LANG": "C.UTF-8",
            "UV_CACHE_DIR": UV_CACHE_TARGET,
            "UV_PYTHON_DOWNLOADS": "never",
            "UV_NO_PROGRESS": "1",
            "UV_LINK_MODE": "copy",
        }
        return env | _certificate_environment()

    def _check(self, result: SandboxResult) -> None:
        limits = self.limits
        if result.timed_out:
            raise RuntimeBuildFailed(
                f"building the environment took longer than {limits.wall_seconds:.0f} s",
                f"构建环境超过 {limits.wall_seconds:.0f} 秒",
            )
        if result.oom_killed:
            gib = limits.memory_bytes / 1024**3
            raise RuntimeBuildFailed(
                f"building the environment needed more than {gib:.1f} GiB of memory",
                f"构建环境所需内存超过 {gib:.1f} GiB",
            )
        if result.cpu_limit_hit:
            raise RuntimeBuildFailed(
                f"building the environment used more than {limits.cpu_seconds:.0f} s of CPU",
                f"构建环境占用 CPU 时间超过 {limits.cpu_seconds:.0f} 秒",
            )
        if result.output_limit_hit:
            gib = limits.output_bytes / 1024**3
            raise RuntimeBuildFailed(
                f"building the environment filled more than {gib:.1f} GiB of disk "
                "(the environment and uv's cache together)",
                f"构建环境占用磁盘超过 {gib:.1f} GiB（环境与 uv 缓存合计）",
            )


def _distinct(first: Sequence[Mount], second: Sequence[Mount]) -> list[Mount]:
    targets = {mount.target for mount in first}
    return [*first, *(mount for mount in second if mount.target not in targets)]


def _certificate_environment() -> dict[str, str]:
    # Read here, once per step, because only how to trust the index crosses into the build.
    names = (*CERTIFICATE_VARIABLES, NATIVE_TLS)
    return {name: os.environ[name] for name in names if os.environ.get(name)}


def _certificate_mounts() -> list[Mount]:
    paths = [os.environ[name] for name in CERTIFICATE_VARIABLES if os.environ.get(name)]
    if os.environ.get(NATIVE_TLS):
        paths += list(SYSTEM_CERTIFICATES)
    return [Mount(Path(path), path) for path in dict.fromkeys(paths) if os.path.exists(path)]
