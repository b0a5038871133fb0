"""A scoring program folder as one deterministic tar: the same files give the same sha256.

Entries are sorted, owners, times and modes fixed (0644, or 0755 where any execute bit
was set), symlinks and special files refused, caches (``__pycache__``, ``*.pyc``) left out.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tarfile
from pathlib import Path

from jiebang.core import tarsafe

FIXED_MTIME = 0
SKIPPED_DIRS = frozenset({"__pycache__", ".git", ".pytest_cache", ".mypy_cache"})
MAX_PROGRAM_FILES = 10_000


class PackingRefused(ValueError):
    """A file in the folder cannot be part of a scoring program; names it."""

    def __init__(self, file: str, en: str, zh: str) -> None:
        super().__init__(f"{file}: {en}")
        self.file, self.en, self.zh = file, en, zh


def program_files(folder: Path) -> list[Path]:
    """Relative paths of the files that make up the program, sorted."""
    found: list[Path] = []
    for current, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        base = Path(current)
        for name in list(dirs):
            if (base / name).is_symlink():
                link = (base / name).relative_to(folder).as_posix()
                raise PackingRefused(link, "symbolic links are not allowed", "不允许符号链接")
        for filename in sorted(files):
            path = base / filename
            rel = path.relative_to(folder)
            if filename.endswith((".pyc", ".pyo")):
                continue
            mode = path.lstat().st_mode
            if not stat.S_ISREG(mode):
                raise PackingRefused(
                    rel.as_posix(), "only regular files are allowed", "只允许普通文件"
                )
            found.append(rel)
    if len(found) > MAX_PROGRAM_FILES:
        raise PackingRefused(".", f"more than {MAX_PROGRAM_FILES} files", "文件数超过上限")
    return sorted(found, key=lambda p: p.as_posix())


def pack(folder: Path, dest: Path) -> str:
    """Write the deterministic tar of ``folder`` to ``dest``; return its sha256."""
    with tarfile.open(dest, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for rel in program_files(folder):
            path = folder / rel
            info = tarfile.TarInfo(rel.as_posix())
            info.size = path.stat().st_size
            info.mtime = FIXED_MTIME
            info.mode = 0o755 if path.stat().st_mode & 0o111 else 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            with path.open("rb") as fh:
                tar.addfile(info, fh)
    digest = hashlib.sha256()
    with dest.open("rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def unpack(archive: Path, dest: Path) -> None:
    """Unpack a deterministic program tar (the ``data`` filter refuses anything escaping)."""
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive, mode="r:") as tar:
        tarsafe.extract_data(tar, dest)
