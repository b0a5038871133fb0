"""The base interpreter a python runtime is built from, chosen on the worker before the build.

``uv python find --system`` picks it as ``uv venv --python X`` would (never downloading
one); the build sandbox then sees only that interpreter's installation, read-only at its
own path, which is also where every later run of the environment finds it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from jiebang.runtimes.prepared import RuntimeUnavailable
from jiebang.sandbox import Mount
from jiebang.sandbox.mounts import SYSTEM_DIRS

FIND_TIMEOUT_SECONDS = 120
PREFIXES = "import json, sys; print(json.dumps([sys.base_prefix, sys.prefix]))"


@dataclasses.dataclass(frozen=True)
class BaseInterpreter:
    """An interpreter's real path and the read-only mounts that make it run in a sandbox."""

    executable: str
    mounts: tuple[Mount, ...]


def find_base_interpreter(version: str, *, uv: str, env: Mapping[str, str]) -> BaseInterpreter:
    """Return the worker's Python ``version`` (e.g. ``3.11``), or raise ``RuntimeUnavailable``."""
    found = subprocess.run(
        [uv, "python", "find", "--system", "--no-config", "--no-cache", version],
        capture_output=True,
        text=True,
        env=dict(env),
        timeout=FIND_TIMEOUT_SECONDS,
        check=False,
    )
    executable = os.path.realpath(found.stdout.strip()) if found.returncode == 0 else ""
    if not executable:
        said = (found.stderr or found.stdout).strip()[-2000:]
        raise RuntimeUnavailable(
            f"Python {version} is not available on this worker: {said}",
            f"此评测机没有 Python {version}：{said}",
        )
    # A system interpreter, run with -I -S: no site, no user code, only where it lives.
    asked = subprocess.run(
        [executable, "-I", "-S", "-c", PREFIXES],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
        timeout=FIND_TIMEOUT_SECONDS,
        check=False,
    )
    if asked.returncode != 0:
        said = asked.stderr.strip()[-2000:]
        raise RuntimeUnavailable(
            f"Python {version} ({executable}) does not start on this worker: {said}",
            f"此评测机上的 Python {version}（{executable}）无法启动：{said}",
        )
    folders = [*json.loads(asked.stdout), str(Path(executable).parent)]
    return BaseInterpreter(executable=executable, mounts=tuple(interpreter_mounts(folders)))


def interpreter_mounts(folders: list[str]) -> list[Mount]:
    """Return read-only mounts of ``folders`` at their own paths, skipping nested ones and
    the system folders every sandbox has anyway."""
    kept: list[str] = []
    for folder in sorted({os.path.realpath(folder) for folder in folders}, key=len):
        if any(_within(folder, other) for other in (*SYSTEM_DIRS, *kept)):
            continue
        kept.append(folder)
    return [Mount(Path(folder), folder) for folder in kept]


def _within(path: str, parent: str) -> bool:
    return path == parent or path.startswith(parent.rstrip("/") + "/")
