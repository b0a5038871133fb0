"""The network of a python runtime build, with real components: uv in the bubblewrap build
sandbox, an HTTP index served on loopback by a thread, and the index gate between them.

In index mode the build reaches the index through the gate and nothing else: an sdist whose
own build code tries a listener of the host on another loopback port and an external
address, directly and through the proxy uv is given, connects to neither, and the gate
records the refusals. Offline (a wheelhouse) the same build has no network at all."""

from __future__ import annotations

import logging
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from jiebang.runtimes import PythonRuntime, RuntimeBuildFailed, prepare
from jiebang.runtimes.cache import log_file
from jiebang.runtimes.config import RuntimeSettings
from jiebang.sandbox import run_sandboxed
from tests.runtimes.package_index import build_probing_sdist, serve_index, simple_index
from tests.runtimes.support import build_wheel
from tests.sandbox.support import TEST_LIMITS, needs_bwrap

pytestmark = needs_bwrap

VERSION = f"{sys.version_info.major}.{sys.version_info.minor}"
EXTERNAL = ("example.com", 80)
EXTERNAL_ADDRESS = ("93.184.215.14", 80)


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A host service on loopback that no build may reach."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


def _probing_sdist(folder: Path, listener: socket.socket) -> Path:
    port = listener.getsockname()[1]
    return build_probing_sdist(
        folder, "jiebang-probe", "1.0.0", [("127.0.0.1", port), EXTERNAL, EXTERNAL_ADDRESS]
    )


def _results(settings: RuntimeSettings, key: str) -> dict[str, object]:
    folder = settings.resolved_cache_dir() / "python" / key / "venv"
    (module,) = folder.glob("lib/python*/site-packages/jiebang_probe/__init__.py")
    namespace: dict[str, object] = {}
    exec(module.read_text(), namespace)  # noqa: S102  (a dict literal the build wrote)
    results = namespace["RESULTS"]
    assert isinstance(results, dict)
    return results


def _nobody_connected(listener: socket.socket) -> bool:
    try:
        listener.accept()[0].close()
    except BlockingIOError:
        return True
    return False


def test_an_environment_is_built_from_an_http_index_through_the_gate(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    base = build_wheel(wheels, "jiebang-tiny-base", "2.0.0", "BASE = 40\n")
    tiny = build_wheel(
        wheels,
        "jiebang-tiny",
        "1.0.0",
        "from jiebang_tiny_base import BASE\n\ndef answer():\n    return BASE + 2\n",
        requires=("jiebang-tiny-base==2.0.0",),
    )
    simple_index(tmp_path / "index", [base, tiny])
    with serve_index(tmp_path / "index") as (url, requested):
        settings = RuntimeSettings(cache_dir=tmp_path / "runtimes", index_url=url)
        runtime = prepare(
            PythonRuntime(version=VERSION, requirements=("jiebang-tiny==1.0.0",)),
            settings=settings,
        )
    # The sandbox's loopback is its own: the host's index was reached through the gate.
    assert "/simple/jiebang-tiny/" in requested and "/simple/jiebang-tiny-base/" in requested
    result = run_sandboxed(
        [runtime.python or "", "-c", "import jiebang_tiny; print(jiebang_tiny.answer())"],
        limits=TEST_LIMITS,
        mounts=list(runtime.mounts),
        env=dict(runtime.env),
    )
    assert result.succeeded and result.stdout_tail.strip() == "42", result.stderr_tail
    log = log_file(settings.resolved_cache_dir() / "python", runtime.key).read_text()
    assert "$ uv pip" in log and "jiebang-tiny==1.0.0" in log and "refused" not in log


def test_a_source_build_reaches_only_the_index(
    tmp_path: Path, listener: socket.socket, caplog: pytest.LogCaptureFixture
) -> None:
    sdist = _probing_sdist(tmp_path / "files", listener)
    simple_index(tmp_path / "index", [sdist])
    spec = PythonRuntime(version=VERSION, requirements=("jiebang-probe==1.0.0",))
    with (
        serve_index(tmp_path / "index") as (url, requested),
        caplog.at_level(logging.WARNING, logger="jiebang.runtimes.index_gate"),
    ):
        settings = RuntimeSettings(
            cache_dir=tmp_path / "runtimes", index_url=url, allow_source_builds=True
        )
        prepare(spec, settings=settings)
    assert any(path.endswith(sdist.name) for path in requested)
    results = _results(settings, spec.content_key)
    port = listener.getsockname()[1]
    assert results["interfaces"] == ["lo"]
    assert results[f"direct 127.0.0.1:{port}"] == "ConnectionRefusedError"  # its own loopback
    assert results["direct 93.184.215.14:80"] == "OSError"  # no route out (ENETUNREACH)
    assert results["direct example.com:80"] == "gaierror"  # no name service either
    for host in (f"127.0.0.1:{port}", "example.com:80", "93.184.215.14:80"):
        assert results[f"proxy {host}"] == "socks reply 2", results  # not allowed by ruleset
        assert f"index gate: refused a connection to {host}" in caplog.text
    assert _nobody_connected(listener)
    log = log_file(settings.resolved_cache_dir() / "python", spec.content_key).read_text()
    assert f"index gate: refused a connection to 127.0.0.1:{port}" in log
    # its uv cache was its own (beside the work folder), and is gone
    assert not list((settings.resolved_cache_dir() / "python").glob(".build-*"))
    assert not (settings.resolved_cache_dir() / "uv-build-cache").exists()


def test_offline_a_source_build_has_no_network_at_all(
    tmp_path: Path, listener: socket.socket
) -> None:
    wheelhouse = tmp_path / "wheelhouse"
    _probing_sdist(wheelhouse, listener)
    wheelhouse.chmod(0o755)
    settings = RuntimeSettings(
        cache_dir=tmp_path / "runtimes",
        find_links=wheelhouse,
        offline=True,
        allow_source_builds=True,
    )
    spec = PythonRuntime(version=VERSION, requirements=("jiebang-probe==1.0.0",))
    prepare(spec, settings=settings)
    results = _results(settings, spec.content_key)
    port = listener.getsockname()[1]
    assert results["interfaces"] == ["lo"]
    assert results[f"direct 127.0.0.1:{port}"] == "ConnectionRefusedError"
    assert results["direct 93.184.215.14:80"] == "OSError"
    assert results[f"proxy 127.0.0.1:{port}"] == "no proxy"
    assert _nobody_connected(listener)


def test_a_build_past_its_time_limit_is_stopped_saying_so(
    tmp_path: Path, listener: socket.socket
) -> None:
    # An index that accepts connections (the kernel's backlog) and never answers.
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/simple"
    settings = RuntimeSettings(
        cache_dir=tmp_path / "runtimes", index_url=url, build_timeout_seconds=5
    )
    spec = PythonRuntime(version=VERSION, requirements=("jiebang-tiny==1.0.0",))
    with pytest.raises(RuntimeBuildFailed) as caught:
        prepare(spec, settings=settings)
    assert caught.value.message == "building the environment took longer than 5 s"
    assert caught.value.message_zh == "构建环境超过 5 秒"
    assert not (settings.resolved_cache_dir() / "python" / spec.content_key).exists()
