"""Tar extraction with the ``data`` filter of PEP 706 on every Python 3.11.

``TarFile.extractall(filter="data")`` arrived in 3.11.4; Debian 12's system Python is 3.11.2,
and the project's environment is made from the system Python (the sandbox uid must reach it).
There the same rules are applied here before extracting: no absolute names, nothing leaving
the destination, links only to inside it, no devices or FIFOs; modes lose set-id and
group/other write bits.
"""

from __future__ import annotations

import copy
import os
import tarfile
from collections.abc import Iterable
from pathlib import Path


class FilterError(tarfile.TarError):
    """A member the data filter refuses; ``tarinfo`` names it."""

    def __init__(self, message: str, tarinfo: tarfile.TarInfo) -> None:
        super().__init__(message)
        self.tarinfo = tarinfo


def _checked(member: tarfile.TarInfo, dest: Path) -> tarfile.TarInfo:
    name = member.name
    if name.startswith("/") or os.path.isabs(name):
        raise FilterError(f"{name!r} is an absolute path", member)
    target = (dest / name).resolve()
    if not target.is_relative_to(dest):
        raise FilterError(f"{name!r} would be extracted outside the folder", member)
    if member.isdev() or member.isfifo():
        raise FilterError(f"{name!r} is a special file", member)
    if member.issym() or member.islnk():
        base = target.parent if member.issym() else dest
        if os.path.isabs(member.linkname):
            raise FilterError(f"{name!r} links to an absolute path", member)
        if not (base / member.linkname).resolve().is_relative_to(dest):
            raise FilterError(f"{name!r} links outside the folder", member)
    member = copy.copy(member)
    member.uid, member.gid, member.uname, member.gname = os.getuid(), os.getgid(), "", ""
    if member.isfile() or member.isdir():
        member.mode = (member.mode or 0o644) & 0o755
    return member


def extract_data(
    tar: tarfile.TarFile, dest: Path, members: Iterable[tarfile.TarInfo] | None = None
) -> None:
    """Extract ``members`` (all by default) into ``dest`` under the ``data`` filter's rules."""
    chosen = list(tar.getmembers() if members is None else members)
    root = Path(dest).resolve()
    checked = [_checked(member, root) for member in chosen]  # the same rules on every Python
    if not hasattr(tarfile, "data_filter"):
        tar.extractall(root, members=checked)  # noqa: S202 - every member checked above
        return
    try:
        tar.extractall(root, members=chosen, filter="data")
    except tarfile.TarError as exc:  # tarfile's own FilterError, in the same shape
        member = getattr(exc, "tarinfo", None)
        if member is None:
            raise
        raise FilterError(str(exc), member) from exc
