"""``oci`` runtimes with real components: an image assembled from files (busybox-static),
unpacked by umoci, run as ``/`` by bubblewrap under every limit and without network;
hostile or foreign images are refused with the entry or architecture named."""

from __future__ import annotations

from pathlib import Path

import pytest

from jiebang.runtimes import (
    OciRuntime,
    PreparedRuntime,
    RuntimeRejected,
    prepare,
    runtime_state,
)
from jiebang.runtimes.config import RuntimeSettings
from jiebang.runtimes.oci_layout import worker_architecture
from jiebang.runtimes.prepared import RuntimeUnavailable
from jiebang.sandbox import Mount, SandboxResult, run_sandboxed
from tests.runtimes.support import (
    Entry,
    busybox_available,
    busybox_layer,
    docker_save_archive,
    oci_archive,
)
from tests.sandbox.support import TEST_LIMITS, needs_bwrap

pytestmark = pytest.mark.skipif(not busybox_available(), reason="busybox-static or umoci missing")

SECOND_LAYER = [Entry("app/.wh.remove-me"), Entry("app/added.txt", data=b"added\n")]


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> RuntimeSettings:
    return RuntimeSettings(cache_dir=tmp_path_factory.mktemp("runtimes"))


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory, settings: RuntimeSettings) -> PreparedRuntime:
    archive, digest = oci_archive(
        tmp_path_factory.mktemp("image") / "image.tar", [busybox_layer(), SECOND_LAYER]
    )
    return prepare(OciRuntime(archive_digest=digest), archive=archive, settings=settings)


def _run(image: PreparedRuntime, script: str, **kwargs: object) -> SandboxResult:
    return run_sandboxed(
        ["/bin/sh", "-c", script],
        limits=kwargs.pop("limits", TEST_LIMITS),  # type: ignore[arg-type]
        mounts=[*image.mounts, *kwargs.pop("mounts", [])],  # type: ignore[misc]
        env=dict(image.env),
        cwd=image.workdir,
        root=image.root,
    )


def test_the_image_config_is_read(image: PreparedRuntime) -> None:
    assert image.kind == "oci" and image.root is not None
    assert image.entrypoint == ("/bin/sh", "/app/run.sh")
    assert image.workdir == "/app"
    assert image.env["GREETING"] == "hello" and image.env["PATH"] == "/bin"
    assert image.python is None  # busybox has none
    assert (image.root / "bin" / "busybox").is_file()


@needs_bwrap
def test_the_entrypoint_runs_with_the_image_as_root(image: PreparedRuntime) -> None:
    result = run_sandboxed(
        list(image.entrypoint),
        limits=TEST_LIMITS,
        mounts=list(image.mounts),
        env=dict(image.env),
        cwd=image.workdir,
        root=image.root,
    )
    assert result.succeeded, result.stderr_tail
    assert result.isolated
    assert result.stdout_tail == "hello from /app as 65534\n"


@needs_bwrap
def test_layers_apply_in_order_with_whiteouts(image: PreparedRuntime) -> None:
    result = _run(image, "ls /app; ls /")
    assert result.stdout_tail.split() == [
        "added.txt",
        "run.sh",
        "app",
        "bin",
        "dev",
        "etc",
        "proc",
        "tmp",
    ]
    assert "remove-me" not in result.stdout_tail


@needs_bwrap
def test_the_image_is_read_only_and_the_output_mount_writable(
    image: PreparedRuntime, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = _run(
        image,
        "echo x > /bin/planted; echo y > /app/planted; echo ok > /output/result.txt; "
        "grep Seccomp: /proc/self/status",
        mounts=[Mount(out, "/output", writable=True)],
    )
    assert "Read-only file system" in result.stderr_tail
    assert (out / "result.txt").read_text() == "ok\n"
    assert "Seccomp:\t2" in result.stdout_tail
    assert not (image.root / "bin" / "planted").exists()  # type: ignore[operator]


@needs_bwrap
def test_no_network_in_the_image(image: PreparedRuntime) -> None:
    result = _run(
        image,
        "nc -w 2 127.0.0.1 5432 </dev/null && echo ESCAPED-local; "
        "wget -q -T 2 -O- http://1.1.1.1/ && echo ESCAPED-internet; echo done",
    )
    assert "ESCAPED" not in result.stdout_tail
    assert result.stdout_tail.strip().endswith("done")


@needs_bwrap
@pytest.mark.parametrize(
    ("script", "check"),
    [
        ("while :; do :; done", lambda r: r.cpu_limit_hit and r.signal == "SIGXCPU"),
        ("sleep 60", lambda r: r.timed_out),
        ("dd if=/dev/zero of=/dev/null bs=256M count=1", lambda r: r.oom_killed),
        ("head -c 20000000 /dev/zero > /output/big", lambda r: r.output_limit_hit),
        ("for i in $(seq 40); do sleep 5 & done; wait", lambda r: "can't fork" in r.stderr_tail),
        (
            "head -c 8000000 /dev/zero > /tmp/fill || echo tmp-full",
            lambda r: "tmp-full" in r.stdout_tail,
        ),
    ],
    ids=["cpu", "wall", "memory", "output", "processes", "tmp"],
)
def test_every_limit_holds_in_the_image(
    image: PreparedRuntime, tmp_path: Path, script: str, check: object
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = _run(image, script, mounts=[Mount(out, "/output", writable=True)])
    assert check(result), (result.reason("en"), result.stderr_tail[-300:])  # type: ignore[operator]


def test_a_cached_image_needs_no_archive(image: PreparedRuntime, settings: RuntimeSettings) -> None:
    again = prepare(OciRuntime(archive_digest=f"sha256:{image.key}"), settings=settings)
    assert again == image


def test_an_unknown_image_without_archive_is_unavailable(settings: RuntimeSettings) -> None:
    with pytest.raises(RuntimeUnavailable, match="no archive was given"):
        prepare(OciRuntime(archive_digest="sha256:" + "0" * 64), settings=settings)


@needs_bwrap
def test_docker_save_output_is_converted_with_skopeo(
    tmp_path: Path, settings: RuntimeSettings
) -> None:
    archive, digest = docker_save_archive(tmp_path / "saved.tar", [busybox_layer(), SECOND_LAYER])
    image = prepare(OciRuntime(archive_digest=digest), archive=archive, settings=settings)
    result = _run(image, "ls /app; echo $GREETING")
    assert result.stdout_tail.split() == ["added.txt", "run.sh", "hello"]


ESCAPES = {
    "dot-dot": ([Entry("../outside.txt", data=b"x")], "'../outside.txt' leaves the image root"),
    "absolute": ([Entry("/etc/evil", data=b"x")], "'/etc/evil' leaves the image root"),
    "symlink-up": (
        [Entry("app", "dir"), Entry("app/shadow", "symlink", target="../../../etc/shadow")],
        "'app/shadow' is a symlink to '../../../etc/shadow', which leaves the image root",
    ),
    "through-absolute-symlink": (
        [Entry("hostetc", "symlink", target="/etc"), Entry("hostetc/passwd", data=b"x")],
        "'hostetc/passwd' would be written through the symlink 'hostetc' (-> /etc)",
    ),
    "hard-link-out": (
        [Entry("passwd", "hardlink", target="../../etc/passwd")],
        "'passwd' is a hard link to '../../etc/passwd', outside the image",
    ),
    "device": ([Entry("dev-null", "chardev")], "'dev-null' is a device file"),
}


@pytest.mark.parametrize("case", ESCAPES, ids=list(ESCAPES))
def test_an_escaping_layer_is_rejected_with_the_entry_named(
    tmp_path: Path, case: str, settings: RuntimeSettings
) -> None:
    hostile, message = ESCAPES[case]
    archive, digest = oci_archive(tmp_path / "bad.tar", [busybox_layer(), hostile])
    with pytest.raises(RuntimeRejected) as caught:
        prepare(OciRuntime(archive_digest=digest), archive=archive, settings=settings)
    assert message in caught.value.message
    assert caught.value.message_zh
    cache = settings.resolved_cache_dir() / "oci"
    assert not (cache / digest.removeprefix("sha256:")).exists()
    assert not list(cache.glob(".build-*"))  # nothing half-built is left
    state = runtime_state(OciRuntime(archive_digest=digest), settings=settings)
    assert state.status == "failed" and message in state.message and state.message_zh


def test_an_image_for_another_architecture_is_rejected(
    tmp_path: Path, settings: RuntimeSettings
) -> None:
    ours = worker_architecture()
    other = "arm64" if ours != "arm64" else "amd64"
    archive, digest = oci_archive(tmp_path / "other.tar", [busybox_layer()], architecture=other)
    with pytest.raises(
        RuntimeRejected, match=f"built for linux/{other}; this worker runs linux/{ours}"
    ):
        prepare(OciRuntime(archive_digest=digest), archive=archive, settings=settings)


def test_an_archive_that_is_not_the_declared_one_is_rejected(
    tmp_path: Path, settings: RuntimeSettings
) -> None:
    archive, _ = oci_archive(tmp_path / "image.tar", [busybox_layer()])
    declared = "sha256:" + "1" * 64
    with pytest.raises(RuntimeRejected, match="not the declared"):
        prepare(OciRuntime(archive_digest=declared), archive=archive, settings=settings)
