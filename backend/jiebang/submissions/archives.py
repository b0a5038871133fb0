"""Checking and unpacking team archives (zip, tar) before anything else touches them.

Every rejection names the entry and the limit, e.g. "entry ../x escapes the archive" or
"unpacked size 40 GiB exceeds 8 GiB". Sizes declared in archive headers can lie, so
extraction counts the bytes it actually writes and stops at the same limits.
"""

from __future__ import annotations

import shutil
import stat
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

CHUNK = 1024 * 1024


class ArchiveRejected(ValueError):
    """The archive is unsafe or too big; the message is shown to the team as is."""


@dataclass(frozen=True)
class ArchiveLimits:
    max_files: int = 10_000
    max_unpacked_bytes: int = 8 * 1024**3
    max_ratio: float = 200.0  # unpacked / packed, over the whole archive


@dataclass(frozen=True)
class ArchiveReport:
    kind: str  # zip | tar | file
    files: int
    unpacked_bytes: int


def human_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" or n == int(n) else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def archive_kind(path: Path) -> str:
    if zipfile.is_zipfile(path):
        return "zip"
    try:
        if tarfile.is_tarfile(path):
            return "tar"
    except OSError:
        pass
    return "file"


def _check_name(name: str) -> PurePosixPath:
    if "\x00" in name:
        raise ArchiveRejected(f"entry {name!r} has a NUL byte in its name")
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        raise ArchiveRejected(f"entry {name} is an absolute path")
    path = PurePosixPath(name.replace("\\", "/"))
    if ".." in path.parts:
        raise ArchiveRejected(f"entry {name} escapes the archive")
    if len(name.encode("utf-8", "surrogateescape")) > 1024 or any(len(p) > 255 for p in path.parts):
        raise ArchiveRejected(f"entry {name[:60]}… has a name longer than the file system allows")
    return path


@dataclass(frozen=True)
class _Entry:
    name: PurePosixPath
    is_dir: bool
    size: int


def _zip_entries(path: Path) -> Iterator[_Entry]:
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            name = _check_name(info.filename)
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise ArchiveRejected(f"entry {info.filename} is a symbolic link")
            kind = stat.S_IFMT(mode)  # zero when the archiver recorded permissions only
            if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
                raise ArchiveRejected(f"entry {info.filename} is a device or special file")
            yield _Entry(name, info.is_dir(), info.file_size)


def _tar_entries(path: Path) -> Iterator[_Entry]:
    with tarfile.open(path) as tf:
        for member in tf:
            name = _check_name(member.name)
            if member.issym() or member.islnk():
                raise ArchiveRejected(f"entry {member.name} is a link")
            if not (member.isfile() or member.isdir()):
                raise ArchiveRejected(f"entry {member.name} is a device or special file")
            yield _Entry(name, member.isdir(), member.size)


def inspect_archive(path: Path, limits: ArchiveLimits) -> ArchiveReport:
    """Validate an upload without unpacking it; raise ArchiveRejected with a specific message."""
    kind = archive_kind(path)
    packed = path.stat().st_size
    if kind == "file":
        return ArchiveReport(kind="file", files=1, unpacked_bytes=packed)
    entries = _zip_entries(path) if kind == "zip" else _tar_entries(path)
    files = total = 0
    try:
        for entry in entries:
            if entry.is_dir:
                continue
            files += 1
            total += entry.size
            if files > limits.max_files:
                raise ArchiveRejected(f"the archive holds more than {limits.max_files} files")
            if total > limits.max_unpacked_bytes:
                raise ArchiveRejected(
                    f"unpacked size {human_bytes(_full_size(path, kind))} exceeds "
                    f"{human_bytes(limits.max_unpacked_bytes)}"
                )
    except (zipfile.BadZipFile, tarfile.TarError, EOFError) as exc:
        raise ArchiveRejected(f"the archive is damaged: {exc}") from exc
    if packed and total / packed > limits.max_ratio:
        raise ArchiveRejected(
            f"the archive expands {total / packed:.0f}× (limit {limits.max_ratio:.0f}×); "
            "this looks like a decompression bomb"
        )
    return ArchiveReport(kind=kind, files=files, unpacked_bytes=total)


def _full_size(path: Path, kind: str) -> int:
    """The declared unpacked size of every entry, for the error message."""
    if kind == "zip":
        with zipfile.ZipFile(path) as zf:
            return sum(i.file_size for i in zf.infolist())
    with tarfile.open(path) as tf:
        return sum(m.size for m in tf)


def extract_archive(
    path: Path, dest: Path, limits: ArchiveLimits, *, filename: str
) -> ArchiveReport:
    """Check, then unpack into ``dest``; a plain file is copied in under its own name."""
    report = inspect_archive(path, limits)
    dest.mkdir(parents=True, exist_ok=True)
    if report.kind == "file":
        shutil.copyfile(path, dest / _check_name(filename).name)
        return report
    budget = [limits.max_unpacked_bytes]
    if report.kind == "zip":
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                _write_entry(dest, info.filename, info.is_dir(), lambda i=info: zf.open(i), budget)
    else:
        with tarfile.open(path) as tf:
            for member in tf:
                _write_entry(
                    dest, member.name, member.isdir(), lambda m=member: tf.extractfile(m), budget
                )
    return report


def _write_entry(dest: Path, name: str, is_dir: bool, opener, budget: list[int]) -> None:
    target = dest.joinpath(*_check_name(name).parts)
    if is_dir:
        target.mkdir(parents=True, exist_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    source = opener()
    if source is None:
        return
    with source, target.open("xb") as out:
        while chunk := source.read(CHUNK):
            budget[0] -= len(chunk)
            if budget[0] < 0:
                raise ArchiveRejected("the archive unpacks to more than its headers declare")
            out.write(chunk)
