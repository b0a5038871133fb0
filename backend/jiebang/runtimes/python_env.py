"""``python`` runtimes: a relocatable virtual environment built by uv, once per content key.

The environment is built in a temporary folder of the cache and renamed into place
(see ``cache.py``), from the configured index or a local wheelhouse, with wheels only
unless source builds are allowed (a source build runs the package's own build code on
the worker). When the resolver or installer fails, its own message is kept. The
sandbox sees the environment read-only at ``/opt/jiebang/python`` and the base
interpreter it was made from at that interpreter's own path.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

from jiebang.runtimes.cache import build_slot, read_record
from jiebang.runtimes.config import RuntimeSettings
from jiebang.runtimes.prepared import (
    PYTHON_ENV_TARGET,
    PreparedRuntime,
    RuntimeBuildFailed,
    RuntimeUnavailable,
    thread_capped_env,
)
from jiebang.runtimes.spec import PythonRuntime
from jiebang.sandbox import Mount
from jiebang.sandbox.mounts import SYSTEM_DIRS

MESSAGE_TAIL = 4000
# uv's words when a pinned package has no wheel and source builds are off
NO_WHEEL = (
    re.compile(r"Wheels are required for `([^`]+)`"),
    re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)==\S+ has no usable wheels"),
)
NETWORK_ENV = (
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "UV_NATIVE_TLS",
    "HTTPS_PROXY",
    "HTTP_PROXY",
    "NO_PROXY",
    "https_proxy",
    "http_proxy",
    "no_proxy",
)
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
    """Return the cached environment folder for ``spec`` (``<folder>/venv``), built if needed."""
    cache = settings.resolved_cache_dir()
    with build_slot(cache, "python", spec.content_key) as slot:
        if slot.ready:
            return slot.final
        assert slot.work is not None
        venv = slot.work / "venv"
        env = _uv_environment(cache)
        created = _uv(
            ["venv", "--relocatable", "--no-config", "--python", spec.version, str(venv)],
            env=env,
            settings=settings,
            log=slot.log,
        )
        if created.returncode != 0:
            said = _tail(created, hide=slot.work)
            raise RuntimeUnavailable(
                f"Python {spec.version} is not available on this worker: {said}",
                f"此评测机没有 Python {spec.version}：{said}",
            )
        requirements = slot.work / "requirements.txt"
        requirements.write_text("".join(f"{line}\n" for line in spec.requirements))
        if spec.requirements:
            installed = _uv(
                [
                    "pip",
                    "install",
                    "--no-config",
                    "--python",
                    str(venv / "bin" / "python"),
                    "-r",
                    str(requirements),
                    *_source_arguments(settings),
                ],
                env=env,
                settings=settings,
                log=slot.log,
            )
            if installed.returncode != 0:
                said = _tail(installed, hide=slot.work)
                wheelless = _without_wheel(said, spec.requirements)
                if wheelless and not settings.allow_source_builds:
                    raise _no_wheel(wheelless, spec.version, said)
                raise RuntimeBuildFailed(
                    f"the requirements could not be installed:\n{said}",
                    f"依赖无法安装：\n{said}",
                )
        probe = subprocess.run(
            [str(venv / "bin" / "python"), "-c", PROBE],
            capture_output=True,
            text=True,
            env={"PATH": "/usr/bin:/bin"},
            timeout=60,
            check=False,
        )
        if probe.returncode != 0:
            raise RuntimeBuildFailed(
                f"the new environment does not start: {_tail(probe)}",
                f"新建的环境无法启动：{_tail(probe)}",
            )
        facts = json.loads(probe.stdout)
        return slot.publish(
            {
                "kind": "python",
                "key": spec.content_key,
                "version": spec.version,
                "python_version": facts["version"],
                "base_prefix": facts["base_prefix"],
                "requirements": list(spec.requirements),
            }
        )


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
        args += ["--find-links", str(settings.find_links)]
    if not settings.allow_source_builds:
        args += ["--only-binary", ":all:"]
    return args


def _uv_environment(cache: Path) -> dict[str, str]:
    # Never download an interpreter, never read a user's uv.toml or pip.conf, and keep
    # uv's own download cache beside the runtimes; only how to reach the index (proxy,
    # certificate authorities) is taken from the worker's environment.
    passed = {name: os.environ[name] for name in NETWORK_ENV if name in os.environ}
    return passed | {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "HOME": str(cache),
        "UV_CACHE_DIR": str(cache / "uv-cache"),
        "UV_PYTHON_DOWNLOADS": "never",
        "UV_NO_PROGRESS": "1",
        "LANG": "C.UTF-8",
    }


def _uv(
    args: list[str], *, env: dict[str, str], settings: RuntimeSettings, log: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run uv; what it says goes to ``log`` as it says it (the build's progress), and back."""
    try:
        if log is None:
            return subprocess.run(
                [_uv_binary(), *args],
                capture_output=True,
                text=True,
                env=env,
                timeout=settings.build_timeout_seconds,
                check=False,
            )
        with log.open("ab") as out:
            start = out.tell()
            out.write(f"$ uv {' '.join(args[:2])}\n".encode())
            out.flush()
            done = subprocess.run(
                [_uv_binary(), *args],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                timeout=settings.build_timeout_seconds,
                check=False,
            )
        with log.open("rb") as back:
            back.seek(start)
            said = back.read().decode("utf-8", "replace").split("\n", 1)[-1]
        return subprocess.CompletedProcess(done.args, done.returncode, stdout=said, stderr="")
    except subprocess.TimeoutExpired as error:
        seconds = settings.build_timeout_seconds
        raise RuntimeBuildFailed(
            f"building the environment took longer than {seconds:.0f} s",
            f"构建环境超过 {seconds:.0f} 秒",
        ) from error


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


def _tail(done: subprocess.CompletedProcess[str], *, hide: Path | None = None) -> str:
    """Return the end of what uv said, with the worker's build folder hidden."""
    text = (done.stderr or "") + (done.stdout or "")
    if hide is not None:
        text = text.replace(str(hide), "<build>")
    return text.strip()[-MESSAGE_TAIL:]


def _within(path: str, parent: str) -> bool:
    return path == parent or path.startswith(parent.rstrip("/") + "/")
