"""Reading what a sandboxed program wrote, without trusting any of it.

Collect only after the run, when every sandboxed process is dead, so nothing can
swap files while the platform looks. Symlinks are never followed: a symlink in a
submission could otherwise point the scoring sandbox at the reference data.
"""

from __future__ import annotations

import dataclasses
import os
import stat
from pathlib import Path

DEFAULT_MAX_FILES = 4096
DEFAULT_MAX_DEPTH = 16
DEFAULT_MAX_PATH_BYTES = 1024
MAX_NAME_BYTES = 200  # below the 255-byte file-system limit, to leave room for suffixes


class UnsafeOutputError(ValueError):
    """The output directory holds something the platform will not read."""


@dataclasses.dataclass(frozen=True)
class OutputFile:
    """One regular file found in an output directory."""

    relative_path: str
    size_bytes: int


def safe_collect_outputs(
    output_dir: Path,
    *,
    max_files: int = DEFAULT_MAX_FILES,
    max_total_bytes: int | None = None,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> list[OutputFile]:
    """Return every regular file under ``output_dir``, or raise :class:`UnsafeOutputError`.

    Rejects symlinks, hard links (a regular file with more than one link),
    devices, FIFOs and sockets, names that are not UTF-8 or contain control
    characters, over-long paths, deep nesting and too many files.
    """
    found: list[OutputFile] = []
    total = 0
    pending: list[tuple[Path, str, int]] = [(output_dir, "", 0)]
    while pending:
        directory, prefix, depth = pending.pop()
        with os.scandir(directory) as entries:
            for entry in entries:
                relative = _checked_relative(prefix, entry.name)
                info = entry.stat(follow_symlinks=False)
                kind = _kind(info.st_mode)
                if kind == "directory":
                    if depth + 1 > max_depth:
                        raise UnsafeOutputError(f"{relative}: nested deeper than {max_depth}")
                    pending.append((Path(entry.path), relative + "/", depth + 1))
                    continue
                if kind != "file":
                    raise UnsafeOutputError(f"{relative}: {kind} is not allowed in outputs")
                if info.st_nlink > 1:
                    raise UnsafeOutputError(f"{relative}: hard links are not allowed in outputs")
                found.append(OutputFile(relative, info.st_size))
                total += info.st_size
                if len(found) > max_files:
                    raise UnsafeOutputError(f"more than {max_files} files in outputs")
                if max_total_bytes is not None and total > max_total_bytes:
                    raise UnsafeOutputError(f"outputs larger than {max_total_bytes} bytes")
    return sorted(found, key=lambda item: item.relative_path)


def directory_size(path: Path) -> int:
    """Return the summed apparent size of everything under ``path``, never following links."""
    total = 0
    pending = [str(path)]
    while pending:
        try:
            with os.scandir(pending.pop()) as entries:
                for entry in entries:
                    try:
                        info = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    total += max(info.st_size, info.st_blocks * 512)
                    if stat.S_ISDIR(info.st_mode):
                        pending.append(entry.path)
        except OSError:
            continue
    return total


def _checked_relative(prefix: str, name: str) -> str:
    raw = os.fsencode(name)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UnsafeOutputError(f"{prefix}{raw!r}: file name is not valid UTF-8") from None
    if any(ord(char) < 32 or ord(char) == 127 for char in text):
        raise UnsafeOutputError(f"{prefix}{text!r}: file name contains control characters")
    if len(raw) > MAX_NAME_BYTES:
        raise UnsafeOutputError(f"{prefix}{text[:40]}…: file name longer than {MAX_NAME_BYTES}")
    relative = prefix + text
    if len(relative.encode()) > DEFAULT_MAX_PATH_BYTES:
        raise UnsafeOutputError(
            f"{relative[:60]}…: path longer than {DEFAULT_MAX_PATH_BYTES} bytes"
        )
    return relative


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "directory"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISLNK(mode):
        return "symlink"
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "device file"
