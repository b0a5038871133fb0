"""``python`` runtimes with real components: uv builds a relocatable environment from a local
wheelhouse made in the test, once per content key, atomically; a program runs from it in the
sandbox; a requirement that does not resolve fails with the resolver's own message."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from jiebang.runtimes import (
    PreparedRuntime,
    PythonRuntime,
    RuntimeBuildFailed,
    RuntimeUnavailable,
    parse_runtime_spec,
    prepare,
    python_env,
    runtime_state,
)
from jiebang.runtimes.config import RuntimeSettings
from jiebang.runtimes.prepared import PYTHON_ENV_TARGET
from jiebang.sandbox import run_sandboxed
from tests.runtimes.support import build_wheel
from tests.sandbox.support import TEST_LIMITS, needs_bwrap

VERSION = f"{sys.version_info.major}.{sys.version_info.minor}"


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> RuntimeSettings:
    wheelhouse = tmp_path_factory.mktemp("wheelhouse")
    wheelhouse.chmod(0o755)  # the build sandbox reads it as the sandbox uid
    build_wheel(wheelhouse, "jiebang-tiny-base", "2.0.0", "BASE = 40\n")
    build_wheel(
        wheelhouse,
        "jiebang-tiny",
        "1.0.0",
        "from jiebang_tiny_base import BASE\n\ndef answer():\n    return BASE + 2\n",
        requires=("jiebang-tiny-base==2.0.0",),
    )
    return RuntimeSettings(
        cache_dir=tmp_path_factory.mktemp("runtimes"), find_links=wheelhouse, offline=True
    )


@pytest.fixture(scope="module")
def runtime(settings: RuntimeSettings) -> PreparedRuntime:
    spec = PythonRuntime(version=VERSION, requirements=("jiebang-tiny==1.0.0",))
    return prepare(spec, settings=settings)


def test_specs_are_data_keyed_by_their_normalised_content() -> None:
    one = parse_runtime_spec(
        {"kind": "python", "version": "3.11", "requirements": ["Jiebang_Tiny == 1.0.0  # ok", ""]}
    )
    two = parse_runtime_spec(
        {"kind": "python", "version": "3.11", "requirements": "jiebang-tiny==1.0.0\n"}
    )
    assert isinstance(one, PythonRuntime) and one.requirements == ("jiebang-tiny==1.0.0",)
    assert one.content_key == two.content_key
    other = PythonRuntime(version="3.12", requirements=("jiebang-tiny==1.0.0",))
    assert other.content_key != one.content_key
    assert parse_runtime_spec({"kind": "platform"}).content_key == "platform"


@pytest.mark.parametrize(
    ("requirements", "message"),
    [
        (["numpy"], "is not pinned"),
        (["numpy>=1.26"], "is not pinned"),
        (["numpy==1.*"], "is not pinned"),
        (["numpy @ https://example.org/numpy.whl"], "direct URLs are not allowed"),
        (["numpy==1.26.0", "numpy==2.0.0"], "pinned twice"),
        (["not a requirement!"], "is not valid"),
    ],
)
def test_unpinned_or_invalid_requirements_are_refused(
    requirements: list[str], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_runtime_spec({"kind": "python", "version": "3.11", "requirements": requirements})


def test_the_environment_is_built_into_the_cache(
    runtime: PreparedRuntime, settings: RuntimeSettings
) -> None:
    folder = settings.resolved_cache_dir() / "python" / runtime.key
    assert (folder / "runtime.json").is_file()
    spec = PythonRuntime(version=VERSION, requirements=("jiebang-tiny==1.0.0",))
    assert runtime_state(spec, settings=settings).status == "ready"
    unbuilt = PythonRuntime(version=VERSION, requirements=("jiebang-tiny-base==2.0.0",))
    assert runtime_state(unbuilt, settings=settings).status in {"absent", "ready"}
    assert (folder / "venv" / "bin" / "python").exists()
    assert runtime.python == f"{PYTHON_ENV_TARGET}/bin/python"
    assert runtime.mounts[0].source == folder / "venv"
    assert not list(folder.parent.glob(".build-*"))


@needs_bwrap
def test_a_program_runs_from_the_environment_in_the_sandbox(runtime: PreparedRuntime) -> None:
    program = (
        "import sys, jiebang_tiny\n"
        "print(jiebang_tiny.answer(), sys.prefix)\n"
        "try:\n    import numpy\nexcept ImportError:\n    print('no platform packages')\n"
    )
    result = run_sandboxed(
        [runtime.python or "", "-c", program],
        limits=TEST_LIMITS,
        mounts=list(runtime.mounts),
        env=dict(runtime.env),
    )
    assert result.succeeded, result.stderr_tail
    assert result.isolated
    assert result.stdout_tail.split("\n")[:2] == [
        f"42 {PYTHON_ENV_TARGET}",
        "no platform packages",
    ]


def test_a_built_environment_is_reused_without_building(
    runtime: PreparedRuntime, settings: RuntimeSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("uv ran again")

    monkeypatch.setattr(python_env, "_uv", no_build)
    spec = PythonRuntime(version=VERSION, requirements=("JIEBANG-TINY==1.0.0",))
    assert prepare(spec, settings=settings) == runtime


def test_requirements_that_do_not_resolve_keep_the_resolvers_message(
    settings: RuntimeSettings,
) -> None:
    spec = PythonRuntime(version=VERSION, requirements=("jiebang-tiny==9.9.9",))
    with pytest.raises(RuntimeBuildFailed) as caught:
        prepare(spec, settings=settings)
    message = caught.value.message
    assert message.startswith("the requirements could not be installed")
    assert "jiebang-tiny==9.9.9" in message and "No solution found" in message, message
    assert caught.value.message_zh.startswith("依赖无法安装")
    folder = settings.resolved_cache_dir() / "python"
    assert not (folder / spec.content_key).exists()
    assert not list(folder.glob(".build-*"))  # the half-built environment is gone
    state = runtime_state(spec, settings=settings)
    assert state.status == "failed" and state.message == message


def test_a_python_the_worker_lacks_is_unavailable(settings: RuntimeSettings) -> None:
    with pytest.raises(RuntimeUnavailable, match=r"Python 3\.2 is not available"):
        prepare(PythonRuntime(version="3.2"), settings=settings)


def test_a_half_built_environment_of_a_dead_builder_is_replaced(
    settings: RuntimeSettings, tmp_path: Path
) -> None:
    spec = PythonRuntime(version=VERSION, requirements=("jiebang-tiny-base==2.0.0",))
    folder = settings.resolved_cache_dir() / "python"
    stale = folder / f".build-{spec.content_key}-deadbeef"
    stale.mkdir(parents=True)
    (stale / "junk").write_text("left by a killed build")
    prepared = prepare(spec, settings=settings)
    assert not stale.exists()
    assert (folder / prepared.key / "runtime.json").is_file()


def test_two_workers_preparing_one_runtime_build_it_once(
    settings: RuntimeSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    calls: list[str] = []
    real_uv = python_env._uv

    def counting_uv(args: list[str], **kwargs: object) -> object:
        calls.append(args[0])
        return real_uv(args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(python_env, "_uv", counting_uv)
    spec = PythonRuntime(
        version=VERSION, requirements=("jiebang-tiny==1.0.0", "jiebang-tiny-base==2.0.0")
    )
    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(lambda _: prepare(spec, settings=settings), range(2))
    assert first == second
    assert calls.count("venv") == 1
