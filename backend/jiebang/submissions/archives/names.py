"""Entry names and the tree they form: no escape from the archive's root, no control
characters, no path twice, and never a file inside a file."""

from __future__ import annotations

import unicodedata
from pathlib import PurePosixPath

from jiebang.submissions.archives.rejection import ArchiveRejected


def printable_name(name: str) -> str:
    """The name as a message may show it: quoted where it holds control characters."""
    return repr(name) if any(_is_control(c) for c in name) else name


def _is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc"


def entry_path(name: str, *, is_dir: bool) -> PurePosixPath | None:
    """The entry's path inside the archive, or None for the archive's own root folder."""
    if "\x00" in name:
        raise ArchiveRejected("nul_in_name", name=repr(name))
    if any(_is_control(c) for c in name):
        raise ArchiveRejected("control_in_name", name=repr(name))
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        raise ArchiveRejected("absolute", name=name)
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
    if ".." in parts:
        raise ArchiveRejected("escapes", name=name)
    if len(name.encode("utf-8", "surrogateescape")) > 1024 or any(len(p) > 255 for p in parts):
        raise ArchiveRejected("name_too_long", name=name[:60] + "…")
    if not parts:
        if is_dir:
            return None
        raise ArchiveRejected("not_a_file_name", name=repr(name))
    return PurePosixPath(*parts)


def plain_file_name(filename: str) -> str:
    """The name a plain (non-archive) upload is stored under; refuses '.', '..' and the like."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    if base in ("", ".", "..") or "\x00" in base or any(_is_control(c) for c in base):
        raise ArchiveRejected("bad_plain_name", name=repr(filename))
    if len(base.encode("utf-8", "surrogateescape")) > 255:
        raise ArchiveRejected("name_too_long", name=base[:60] + "…")
    return base


class EntryTree:
    """Paths seen so far: a path may appear once, and never both as a file and a folder."""

    def __init__(self) -> None:
        self.files: set[PurePosixPath] = set()
        self.dirs: set[PurePosixPath] = set()

    def add(self, path: PurePosixPath, *, is_dir: bool) -> None:
        if path in self.files:
            raise ArchiveRejected("duplicate" if not is_dir else "file_and_folder", name=path)
        if not is_dir and path in self.dirs:
            raise ArchiveRejected("file_and_folder", name=path)
        for parent in path.parents:
            if parent in self.files:
                raise ArchiveRejected("inside_a_file", name=path, parent=parent)
            if parent != PurePosixPath("."):
                self.dirs.add(parent)
        (self.dirs if is_dir else self.files).add(path)
