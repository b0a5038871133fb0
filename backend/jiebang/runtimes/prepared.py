"""What preparing a runtime hands the worker, and the ways it can fail."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path

from jiebang.sandbox import Mount

# Where the sandbox finds a python runtime's environment (it is built relocatable).
PYTHON_ENV_TARGET = "/opt/jiebang/python"
SANDBOX_HOME = "/tmp"  # noqa: S108  (the sandbox's own size-capped tmpfs)


@dataclasses.dataclass(frozen=True)
class PreparedRuntime:
    """A runtime ready to run programs: pass it to ``run_sandboxed``.

    ``root`` is the folder to use as ``/`` (``None``: the host's read-only system),
    ``mounts`` are read-only binds to add to the run's own, ``env`` is the complete
    environment to start from, ``python`` the interpreter inside the sandbox (``None``
    where the runtime has none), ``entrypoint`` and ``workdir`` what an image declares.
    """

    kind: str
    key: str
    root: Path | None
    mounts: tuple[Mount, ...]
    env: Mapping[str, str]
    python: str | None
    entrypoint: tuple[str, ...] = ()
    workdir: str = "/"


class RuntimeFailed(Exception):
    """A runtime could not be prepared; ``message`` (en) and ``message_zh`` say why."""

    def __init__(self, message: str, message_zh: str) -> None:
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh


class RuntimeRejected(RuntimeFailed):
    """The declared runtime itself is unusable (an escaping layer, another architecture)."""


class RuntimeBuildFailed(RuntimeFailed):
    """Building failed, e.g. the requirements do not resolve; the resolver's words are kept."""


class RuntimeUnavailable(RuntimeFailed):
    """This worker cannot prepare it (a tool or Python version missing, no archive given)."""


def thread_capped_env(path: str, *, threads: int = 1) -> dict[str, str]:
    """Return the base environment of a sandboxed program: ``PATH``, home, locale, thread caps."""
    cap = str(threads)
    return {
        "PATH": path,
        "HOME": SANDBOX_HOME,
        "TMPDIR": SANDBOX_HOME,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "OMP_NUM_THREADS": cap,
        "OPENBLAS_NUM_THREADS": cap,
        "MKL_NUM_THREADS": cap,
        "NUMEXPR_NUM_THREADS": cap,
    }
