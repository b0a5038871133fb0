"""The data filter's rules hold on every Python 3.11 (3.11.2 has no ``filter=``)."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from jiebang.core import tarsafe


def _tar(*members: tuple[tarfile.TarInfo, bytes]) -> tarfile.TarFile:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for info, data in members:
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    buffer.seek(0)
    return tarfile.open(fileobj=buffer)


def _file(name: str, mode: int = 0o644) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.mode = mode
    return info


def _link(name: str, target: str) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = tarfile.SYMTYPE, target
    return info


def test_plain_files_extract_without_set_id_bits(tmp_path: Path) -> None:
    tarsafe.extract_data(_tar((_file("a/b.txt", 0o4777), b"hi")), tmp_path)
    path = tmp_path / "a" / "b.txt"
    assert path.read_bytes() == b"hi"
    assert path.stat().st_mode & 0o7777 == 0o755


@pytest.mark.parametrize(
    "member",
    [
        _file("../escape.txt"),
        _file("/etc/escape.txt"),
        _link("out", "../../x"),
        _link("abs", "/etc"),
    ],
    ids=["dotdot", "absolute", "link-out", "link-absolute"],
)
def test_escaping_members_are_refused(tmp_path: Path, member: tarfile.TarInfo) -> None:
    with pytest.raises(tarsafe.FilterError):
        tarsafe.extract_data(_tar((member, b"" if member.issym() else b"x")), tmp_path / "d")
    assert not (tmp_path / "escape.txt").exists()
