"""Hostile archives are refused on arrival, each with a message naming what is wrong."""

from __future__ import annotations

import io
import os
import stat
import tarfile
import zipfile
from pathlib import Path

import pytest

from jiebang.submissions.archives import (
    ArchiveLimits,
    ArchiveRejected,
    extract_archive,
    inspect_archive,
)


def _zip(path: Path, entries: dict[str, bytes], *, compression: int = zipfile.ZIP_STORED) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def _tar_with(path: Path, member: tarfile.TarInfo, data: bytes = b"") -> Path:
    with tarfile.open(path, "w") as tf:
        tf.addfile(member, io.BytesIO(data) if data else None)
    return path


@pytest.mark.parametrize(
    "name,message",
    [
        ("../x", "entry ../x escapes the archive"),
        ("a/../../x", "escapes the archive"),
        ("/etc/passwd", "is an absolute path"),
    ],
)
def test_traversal_and_absolute_paths(tmp_path: Path, name: str, message: str) -> None:
    with pytest.raises(ArchiveRejected, match=message.replace(".", r"\.")):
        inspect_archive(_zip(tmp_path / "a.zip", {name: b"x"}), ArchiveLimits())


def test_tar_symlink_hardlink_and_device(tmp_path: Path) -> None:
    link = tarfile.TarInfo("evil")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/shadow"
    with pytest.raises(ArchiveRejected, match="entry evil is a link"):
        inspect_archive(_tar_with(tmp_path / "s.tar", link), ArchiveLimits())
    hard = tarfile.TarInfo("hard")
    hard.type, hard.linkname = tarfile.LNKTYPE, "outside"
    with pytest.raises(ArchiveRejected, match="entry hard is a link"):
        inspect_archive(_tar_with(tmp_path / "h.tar", hard), ArchiveLimits())
    device = tarfile.TarInfo("dev/sda")
    device.type = tarfile.BLKTYPE
    with pytest.raises(ArchiveRejected, match="device or special file"):
        inspect_archive(_tar_with(tmp_path / "d.tar", device), ArchiveLimits())


def test_zip_symlink(tmp_path: Path) -> None:
    path = tmp_path / "l.zip"
    with zipfile.ZipFile(path, "w") as zf:
        info = zipfile.ZipInfo("link")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(ArchiveRejected, match="entry link is a symbolic link"):
        inspect_archive(path, ArchiveLimits())


def test_zip_bomb_ratio_and_unpacked_size(tmp_path: Path) -> None:
    bomb = _zip(
        tmp_path / "bomb.zip",
        {"zeros.bin": bytes(50 * 1024 * 1024)},
        compression=zipfile.ZIP_DEFLATED,
    )
    with pytest.raises(ArchiveRejected, match=r"expands \d+× \(limit 200×\).*decompression bomb"):
        inspect_archive(bomb, ArchiveLimits())
    with pytest.raises(ArchiveRejected, match="unpacked size 50 MiB exceeds 8 MiB"):
        inspect_archive(bomb, ArchiveLimits(max_unpacked_bytes=8 * 1024 * 1024, max_ratio=1e9))


def test_header_lying_about_size_is_caught_while_extracting(tmp_path: Path) -> None:
    path = _zip(tmp_path / "lie.zip", {"f.bin": os.urandom(4096)})
    raw = bytearray(path.read_bytes())
    # shrink the declared uncompressed size in the central directory to 16 bytes
    central = raw.rfind(b"PK\x01\x02")
    raw[central + 24 : central + 28] = (16).to_bytes(4, "little")
    path.write_bytes(bytes(raw))
    with pytest.raises((ArchiveRejected, zipfile.BadZipFile)):
        extract_archive(
            path, tmp_path / "out", ArchiveLimits(max_unpacked_bytes=1024), filename="lie.zip"
        )


def test_too_many_files(tmp_path: Path) -> None:
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(100_000):
            zf.writestr(f"f{i}", b"")
    with pytest.raises(ArchiveRejected, match="more than 10000 files"):
        inspect_archive(path, ArchiveLimits())


def test_good_archive_and_plain_file_extract(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "ok.zip", {"seq/a.bin": os.urandom(1000), "b.txt": b"hello"})
    report = extract_archive(archive, tmp_path / "ok", ArchiveLimits(), filename="ok.zip")
    assert (report.kind, report.files) == ("zip", 2)
    assert (tmp_path / "ok" / "b.txt").read_bytes() == b"hello"
    plain = tmp_path / "scores.csv"
    plain.write_text("id,score\n")
    assert (
        extract_archive(plain, tmp_path / "p", ArchiveLimits(), filename="scores.csv").kind
        == "file"
    )
    assert (tmp_path / "p" / "scores.csv").read_text() == "id,score\n"
