"""A caller's root folder as ``/``: the sandbox binds its top level read-only, keeps /proc, /dev
and /tmp its own, and knows nothing of where the folder came from."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from jiebang.sandbox import Mount, SandboxUnavailable, run_sandboxed
from jiebang.sandbox import runner as sandbox_runner
from tests.sandbox.support import TEST_LIMITS, needs_bwrap

BUSYBOX = Path("/bin/busybox")
pytestmark = pytest.mark.skipif(not BUSYBOX.is_file(), reason="busybox-static is not installed")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "root"
    (folder / "bin").mkdir(parents=True)
    shutil.copy(BUSYBOX, folder / "bin" / "busybox")
    for applet in ("sh", "ls", "cat", "id"):
        os.symlink("busybox", folder / "bin" / applet)
    (folder / "tmp").mkdir()
    (folder / "tmp" / "image-file").write_text("the image's own /tmp")
    (folder / "opt").mkdir()
    (folder / "lib64").symlink_to("bin")
    folder.chmod(0o755)
    return folder


@needs_bwrap
def test_the_folder_is_the_root_and_the_sandbox_keeps_its_own_tmp(
    root: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o755)
    (data / "in.txt").write_text("input")
    result = run_sandboxed(
        ["/bin/sh", "-c", "ls /; ls /tmp; cat /data/in.txt; ls -l /lib64 | cat; id -u"],
        limits=TEST_LIMITS,
        mounts=[Mount(data, "/data")],
        env={"PATH": "/bin"},
        root=root,
    )
    assert result.succeeded, result.stderr_tail
    lines = result.stdout_tail.split("\n")
    assert lines[:7] == ["bin", "data", "dev", "etc", "lib64", "opt", "proc"]
    assert "image-file" not in result.stdout_tail
    assert "input" in result.stdout_tail and "lib64 -> bin" in result.stdout_tail
    assert lines[-2] == "65534"


def test_a_mount_point_missing_inside_a_read_only_root_folder_is_named(root: Path) -> None:
    with pytest.raises(ValueError, match="mount target /opt/tool/bin does not exist"):
        run_sandboxed(
            ["/bin/true"], limits=TEST_LIMITS, mounts=[Mount(root, "/opt/tool/bin")], root=root
        )


def test_a_root_folder_needs_bubblewrap(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox_runner, "bubblewrap_available", lambda: False)
    with pytest.raises(SandboxUnavailable, match="needs bubblewrap"):
        run_sandboxed(["/bin/sh", "-c", "true"], limits=TEST_LIMITS, mounts=[], root=root)
