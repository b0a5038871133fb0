"""Reading outputs safely after the run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jiebang.sandbox import UnsafeOutputError, safe_collect_outputs


def test_regular_files_are_listed(tmp_path: Path) -> None:
    (tmp_path / "frames").mkdir()
    (tmp_path / "frames" / "0001.png").write_bytes(b"png")
    (tmp_path / "bitstream.bin").write_bytes(b"1234")
    files = safe_collect_outputs(tmp_path)
    assert [(f.relative_path, f.size_bytes) for f in files] == [
        ("bitstream.bin", 4),
        ("frames/0001.png", 3),
    ]


@pytest.mark.parametrize(
    ("plant", "message"),
    [
        (lambda d: (d / "link").symlink_to("/etc/shadow"), "symlink"),
        (lambda d: (d / "dirlink").symlink_to("/root", target_is_directory=True), "symlink"),
        (lambda d: ((d / "a").write_text("a"), os.link(d / "a", d / "b")), "hard links"),
        (lambda d: os.mkfifo(d / "fifo"), "FIFO"),
        (lambda d: (d / os.fsdecode(b"\xff.bin")).write_text("x"), "not valid UTF-8"),
        (lambda d: (d / "tab\there").write_text("x"), "control characters"),
        (lambda d: (d / ("n" * 255)).write_text("x"), "longer than"),
    ],
)
def test_unsafe_entries_are_rejected(tmp_path: Path, plant, message: str) -> None:
    plant(tmp_path)
    with pytest.raises(UnsafeOutputError, match=message):
        safe_collect_outputs(tmp_path)


def test_too_many_files_and_too_deep(tmp_path: Path) -> None:
    for index in range(11):
        (tmp_path / f"f{index}").touch()
    with pytest.raises(UnsafeOutputError, match="more than 10 files"):
        safe_collect_outputs(tmp_path, max_files=10)
    deep = tmp_path / "deep"
    deep.joinpath(*["d"] * 5).mkdir(parents=True)
    with pytest.raises(UnsafeOutputError, match="nested deeper"):
        safe_collect_outputs(deep, max_depth=3)


def test_total_size_is_capped(tmp_path: Path) -> None:
    (tmp_path / "big").write_bytes(b"x" * 100)
    with pytest.raises(UnsafeOutputError, match="larger than"):
        safe_collect_outputs(tmp_path, max_total_bytes=99)
