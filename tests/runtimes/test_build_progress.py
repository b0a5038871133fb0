"""What a python runtime build shows while it runs and when a package has no wheel:
``building`` with its elapsed time and uv's words so far (read from the cache, as the
browser polls it), a killed builder's marker ignored, and a pinned package published only
as a source distribution refused by name (wheels only by default), not as a stack trace."""

from __future__ import annotations

import fcntl
import json
import sys
import tarfile
import time
from pathlib import Path

import pytest

from jiebang.runtimes import PythonRuntime, RuntimeBuildFailed, prepare, runtime_state
from jiebang.runtimes.cache import building_file, log_file
from jiebang.runtimes.config import RuntimeSettings
from tests.runtimes.support import build_wheel

VERSION = f"{sys.version_info.major}.{sys.version_info.minor}"


def _sdist(wheelhouse: Path, name: str, version: str) -> Path:
    """A source distribution only (no wheel) of ``name``: what uv must not build by default."""
    stem = f"{name.replace('-', '_')}-{version}"
    folder = wheelhouse / "src" / stem
    folder.mkdir(parents=True)
    (folder / "PKG-INFO").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    (folder / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
        f'[project]\nname = "{name}"\nversion = "{version}"\n'
    )
    sdist = wheelhouse / f"{stem}.tar.gz"
    with tarfile.open(sdist, "w:gz") as archive:
        archive.add(folder, arcname=stem)
    return sdist


@pytest.fixture
def settings(tmp_path: Path) -> RuntimeSettings:
    wheelhouse = tmp_path / "wheelhouse"
    build_wheel(wheelhouse, "jiebang-wheeled", "1.0.0", "X = 1\n")
    _sdist(wheelhouse, "jiebang-sdist-only", "1.0.0")
    wheelhouse.chmod(0o755)  # the build sandbox reads it as the sandbox uid
    return RuntimeSettings(cache_dir=tmp_path / "runtimes", find_links=wheelhouse, offline=True)


def test_a_package_without_a_wheel_is_named_in_the_failure(settings: RuntimeSettings) -> None:
    spec = PythonRuntime(
        version=VERSION, requirements=("jiebang-wheeled==1.0.0", "jiebang-sdist-only==1.0.0")
    )
    with pytest.raises(RuntimeBuildFailed) as caught:
        prepare(spec, settings=settings)
    message = caught.value.message
    assert message.startswith("jiebang-sdist-only==1.0.0 has no wheel for this worker"), message
    assert "wheels only" in message and f"Python {VERSION}" in message
    assert "Traceback" not in message
    assert "uv said:" in message and "no usable wheels" in message  # uv's own words kept
    assert caught.value.message_zh.startswith("jiebang-sdist-only==1.0.0 没有适用于本评测机")
    state = runtime_state(spec, settings=settings)
    assert state.status == "failed" and state.message == message


def test_a_running_build_shows_building_with_its_log(settings: RuntimeSettings) -> None:
    spec = PythonRuntime(version=VERSION, requirements=("jiebang-wheeled==1.0.0",))
    parent = settings.resolved_cache_dir() / "python"
    parent.mkdir(parents=True)
    key = spec.content_key
    # what build_slot leaves while uv runs: the held lock, the marker and the log so far
    with open(parent / f".{key}.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        building_file(parent, key).write_text(json.dumps({"started_at": time.time() - 12}))
        log_file(parent, key).write_text("$ uv pip install\nResolved 1 package in 3ms\n")
        state = runtime_state(spec, settings=settings)
        assert state.status == "building"
        assert state.elapsed_seconds is not None and 11 <= state.elapsed_seconds < 60
        assert "Resolved 1 package" in state.log_tail
    # the lock is gone (the builder died): the marker alone does not mean building
    assert runtime_state(spec, settings=settings).status == "absent"


def test_a_finished_build_leaves_its_log_and_no_marker(settings: RuntimeSettings) -> None:
    spec = PythonRuntime(version=VERSION, requirements=("jiebang-wheeled==1.0.0",))
    prepare(spec, settings=settings)
    parent = settings.resolved_cache_dir() / "python"
    assert not building_file(parent, spec.content_key).exists()
    log = log_file(parent, spec.content_key).read_text()
    assert "$ uv venv" in log and "$ uv pip" in log and "jiebang-wheeled" in log
    assert runtime_state(spec, settings=settings).status == "ready"
