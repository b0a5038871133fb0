"""``python`` runtimes: a relocatable virtual environment built by uv, once per content key.

The environment is built in a temporary folder of the cache and renamed into place
(see ``cache.py``), from the configured index or a local wheelhouse, with wheels only
unless source builds are allowed. uv runs in the build sandbox (``build_sandbox.py``),
whose only network is the index gate (``index_gate.py``), or none offline, so even a
package's own build code reaches nothing but the index. When the resolver or installer
fails, its own message is kept. Later runs see the environment read-only at
``/opt/jiebang/python`` and the base interpreter it was made from at its own path.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import sysconfig
from pathlib import Path

from packaging.utils import canonicalize_name

from jiebang.runtimes.build_sandbox import (
    WHEELHOUSE_TARGET,
    WORK_TARGET,
    BuildSandbox,
    StepOutcome,
)
from jiebang.runtimes.cache import build_slot, read_record
from jiebang.runtimes.config import RuntimeSettings
from jiebang.runtimes.index_gate import IndexGate, running_gate
from jiebang.runtimes.interpreters import find_base_interpreter
from jiebang.runtimes.prepared import (
    PYTHON_ENV_TARGET,
    PreparedRuntime,
    RuntimeBuildFailed,
    RuntimeUnavailable,
    thread_capped_env,
)
from jiebang.runtimes.spec import PythonRuntime
from jiebang.runtimes.uv_cache import uv_cache_for_build
from jiebang.sandbox import Mount
from jiebang.sandbox.mounts import SYSTEM_DIRS

MESSAGE_TAIL = 4000
# uv's words when a pinned package has no wheel and source builds are off
NO_WHEEL = (
    re.compile(r"Wheels are required for `([^`]+)`"),
    re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)==\S+ has no usable wheels"),
)
FROZEN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[A-Za-z0-9.+!_-]+)$")
PROBE = (
    "import json, sys; "
    "print(json.dumps({'base_prefix': sys.base_prefix, 'version': sys.version.split()[0]}))"
)


def prepare_python(spec: PythonRuntime, settings: RuntimeSettings) -> PreparedRuntime:
    """Return the environment for ``spec``, building it first if it is not cached."""
    folder = build_python_env(spec, settings)
    record = read_record(folder) or {}
    base_prefix = str(record.get("base_prefix", ""))
    mounts = [Mount(folder / "venv", PYTHON_ENV_TARGET)]
    if base_prefix and not any(_within(base_prefix, system) for system in SYSTEM_DIRS):
        mounts.append(Mount(Path(base_prefix), base_prefix))
    env = thread_capped_env(f"{PYTHON_ENV_TARGET}/bin:/usr/local/bin:/usr/bin:/bin")
    env |= {"VIRTUAL_ENV": PYTHON_ENV_TARGET, "PYTHONDONTWRITEBYTECODE": "1"}
    return PreparedRuntime(
        kind="python",
        key=spec.content_key,
        root=None,
        mounts=tuple(mounts),
        env=env,
        python=f"{PYTHON_ENV_TARGET}/bin/python",
    )


def build_python_env(spec: PythonRuntime, settings: RuntimeSettings) -> Path:
    """Return the cached environment folder for ``spec`` (``<folder>/venv``), built if needed.

    Every step runs in the build sandbox (``build_sandbox.py``); in index mode the install
    step's only network is the index gate (``index_gate.py``), offline it has none.
    """
    cache = settings.resolved_cache_dir()
    with build_slot(cache, "python", spec.content_key) as slot:
        if slot.ready:
            return slot.final
        assert slot.work is not None
        uv = _uv_binary()
        _check_wheelhouse(settings.find_links)
        base = find_base_interpreter(spec.version, uv=uv, env=_host_environment(cache))
        limits = settings.build_limits()
        with uv_cache_for_build(
            cache,
            # named like the work folder, so a dead builder's is removed with it (cache.py)
            private=slot.work.with_name(f"{slot.work.name}-uv-cache")
            if settings.allow_source_builds
            else None,
            disk_bytes=limits.output_bytes,
            log=slot.log,
        ) as uv_cache:
            box = BuildSandbox(
                work=slot.work,
                log=slot.log,
                uv=Path(uv),
                uv_cache=uv_cache,
                interpreter=base.mounts,
                wheelhouse=settings.find_links,
                limits=limits,
            )
            resolved = _create_and_install(box, spec, settings, base.executable)
        # Started for the first time without uv's cache: a package's .pth runs here.
        probe = box.run_python(box.inside("venv/bin/python"), PROBE)
        if not probe.succeeded:
            said = (probe.stderr_tail + probe.stdout_tail).strip()[-MESSAGE_TAIL:]
            raise RuntimeBuildFailed(
                f"the new environment does not start: {said}",
                f"新建的环境无法启动：{said}",
            )
        facts = json.loads(probe.stdout_tail)
        _own_by_worker(slot.work)
        return slot.publish(
            {
                "kind": "python",
                "key": spec.content_key,
                "version": spec.version,
                "python_version": facts["version"],
                "base_prefix": facts["base_prefix"],
                "requirements": list(spec.requirements),
                "exclude_newer": spec.exclude_newer,
                "resolved": resolved,
            }
        )


def _create_and_install(
    box: BuildSandbox, spec: PythonRuntime, settings: RuntimeSettings, interpreter: str
) -> list[str]:
    """``uv venv`` from ``interpreter``, then ``uv pip install -r`` the pinned requirements
    (as the index was at ``exclude_newer``); return what was installed, ``name==version``."""
    venv = box.inside("venv")
    created = _uv(["venv", "--relocatable", "--no-config", "--python", interpreter, venv], box=box)
    if created.returncode != 0:
        said = _tail(created)
        raise RuntimeUnavailable(
            f"Python {spec.version} is not available on this worker: {said}",
            f"此评测机没有 Python {spec.version}：{said}",
        )
    (box.work / "requirements.txt").write_text("".join(f"{line}\n" for line in spec.requirements))
    if not spec.requirements:
        return []
    install = ["pip", "install", "--no-config", "--python", f"{venv}/bin/python"]
    install += ["-r", box.inside("requirements.txt"), *_source_arguments(settings)]
    if spec.exclude_newer is not None:
        # files without an upload time (a wheelhouse) are kept; an index must publish them
        install += ["--exclude-newer", spec.exclude_newer]
    with _gate_for(settings, box.log) as gate:
        installed = _uv(install, box=box, gate=gate)
    if installed.returncode != 0:
        said = _tail(installed)
        wheelless = _without_wheel(said, spec.requirements)
        if wheelless and not settings.allow_source_builds:
            raise _no_wheel(wheelless, spec.version, said)
        raise RuntimeBuildFailed(
            f"the requirements could not be installed:\n{said}",
            f"依赖无法安装：\n{said}",
        )
    return _resolved_set(box, venv)


def _resolved_set(box: BuildSandbox, venv: str) -> list[str]:
    """``uv pip freeze`` of the new environment, in the sandbox without network: every
    package installed, pinned or not, as ``name==version`` (sorted)."""
    frozen = _uv(["pip", "freeze", "--no-config", "--python", f"{venv}/bin/python"], box=box)
    if frozen.returncode != 0:
        said = _tail(frozen)
        raise RuntimeBuildFailed(
            f"the installed packages could not be listed:\n{said}",
            f"无法列出已安装的软件包：\n{said}",
        )
    found: dict[str, str] = {}
    for line in frozen.said.splitlines():
        match = FROZEN.match(line.strip())
        if match:
            found[canonicalize_name(match["name"])] = match["version"]
    return [f"{name}=={version}" for name, version in sorted(found.items())]


def _gate_for(
    settings: RuntimeSettings, log: Path
) -> contextlib.AbstractContextManager[IndexGate | None]:
    """The index gate of an install step, or none offline (then the sandbox has no network)."""
    if settings.offline:
        return contextlib.nullcontext()

    def note(line: str) -> None:
        with log.open("a") as out:
            out.write(f"{line}\n")

    return running_gate(settings.index_destinations(), on_refusal=note)


def _without_wheel(said: str, requirements: tuple[str, ...]) -> str | None:
    """The pinned requirement uv found no wheel for (``name==version``), if that is the cause."""
    for pattern in NO_WHEEL:
        found = pattern.search(said)
        if found:
            name = found.group(1).lower().replace("_", "-").replace(".", "-")
            pinned = next((r for r in requirements if r.split("[")[0].split("=")[0] == name), None)
            return (pinned or name).split(";")[0].strip()
    return None


def _no_wheel(requirement: str, version: str, said: str) -> RuntimeBuildFailed:
    machine = f"Python {version}, {sysconfig.get_platform()}"
    return RuntimeBuildFailed(
        f"{requirement} has no wheel for this worker ({machine}), and this platform installs "
        "wheels only (building packages from source is off): pin a version that publishes a "
        "wheel for it, or ask the administrator to add one to the wheelhouse.\n"
        f"uv said:\n{said}",
        f"{requirement} 没有适用于本评测机（{machine}）的 wheel，而本平台只安装 wheel"
        "（不从源码构建软件包）：请固定一个提供该平台 wheel 的版本，或请管理员将其加入本地 "
        f"wheel 仓库。\nuv 的输出：\n{said}",
    )


def _source_arguments(settings: RuntimeSettings) -> list[str]:
    args: list[str] = []
    if settings.offline:
        args += ["--offline", "--no-index"]
    elif settings.index_url:
        args += ["--index-url", settings.index_url]
    if settings.find_links is not None:
        args += ["--find-links", WHEELHOUSE_TARGET]
    if not settings.allow_source_builds:
        args += ["--only-binary", ":all:"]
    return args


def _host_environment(cache: Path) -> dict[str, str]:
    # Choosing the interpreter on the worker: never download one, read no user's uv.toml.
    return {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "HOME": str(cache),
        "UV_PYTHON_DOWNLOADS": "never",
        "UV_NO_PROGRESS": "1",
        "LANG": "C.UTF-8",
    }


def _uv(args: list[str], *, box: BuildSandbox, gate: IndexGate | None = None) -> StepOutcome:
    """Run one uv step in the build sandbox; its words go to the build log (the progress)."""
    with box.log.open("ab") as out:
        out.write(f"$ uv {' '.join(args[:2])}\n".encode())
    return box.run_uv(args, gate=gate)


def _check_wheelhouse(folder: Path | None) -> None:
    # The build runs as the sandbox uid, which reads the wheelhouse through a read-only bind.
    if folder is None or os.geteuid() != 0:
        return
    if not folder.is_dir() or folder.stat().st_mode & 0o005 != 0o005:
        raise RuntimeUnavailable(
            f"the wheelhouse {folder} is missing or not readable by the sandbox uid: make it a "
            "folder others may read and enter (chmod o+rx)",
            f"本地 wheel 仓库 {folder} 不存在或沙箱用户无法读取：请允许其他用户读取并进入该目录"
            "（chmod o+rx）",
        )


def _own_by_worker(folder: Path) -> None:
    # The build ran as the sandbox uid; what is published belongs to the worker again.
    if os.geteuid() != 0:
        return
    uid, gid = os.getuid(), os.getgid()
    for parent, dirs, files in os.walk(folder):
        os.lchown(parent, uid, gid)
        for name in (*dirs, *files):
            path = os.path.join(parent, name)
            if not os.path.isdir(path) or os.path.islink(path):
                os.lchown(path, uid, gid)


def _uv_binary() -> str:
    try:
        from uv import find_uv_bin

        return str(find_uv_bin())
    except (ImportError, FileNotFoundError):
        beside = Path(sysconfig.get_path("scripts")) / "uv"
        if beside.exists():
            return str(beside)
        fallback = Path(sys.executable).parent / "uv"
        if fallback.exists():
            return str(fallback)
    raise RuntimeUnavailable("uv is not installed on this worker", "此评测机未安装 uv")


def _tail(done: StepOutcome) -> str:
    """Return the end of what uv said, with the build folder shown as ``<build>``."""
    return done.said.replace(WORK_TARGET, "<build>").strip()[-MESSAGE_TAIL:]


def _within(path: str, parent: str) -> bool:
    return path == parent or path.startswith(parent.rstrip("/") + "/")
