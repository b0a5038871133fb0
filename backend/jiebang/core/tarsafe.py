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

if hasattr(tarfile, "data_filter"):
    FilterError: type[Exception] = tarfile.FilterError
else:

    class _FilterError(tarfile.TarError):
        def __init__(self, message: str, tarinfo: tarfile.TarInfo) -> None:
            super().__init__(message)
            self.tarinfo = tarinfo

    FilterError = _FilterError


def _checked(member: tarfile.TarInfo, dest: Path) -> tarfile.TarInfo:
    name = member.name
    if name.startswith("/") or os.path.isabs(name):
        raise FilterError(f"{name!r} is an absolute path", member)  # type: ignore[call-arg]
    target = (dest / name).resolve()
    if not target.is_relative_to(dest):
        raise FilterError(f"{name!r} would be extracted outside the folder", member)  # type: ignore[call-arg]
    if member.isdev() or member.isfifo():
        raise FilterError(f"{name!r} is a special file", member)  # type: ignore[call-arg]
    if member.issym() or member.islnk():
        base = target.parent if member.issym() else dest
        if os.path.isabs(member.linkname):
            raise FilterError(f"{name!r} links to an absolute path", member)  # type: ignore[call-arg]
        if not (base / member.linkname).resolve().is_relative_to(dest):
            raise FilterError(f"{name!r} links outside the folder", member)  # type: ignore[call-arg]
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
    if hasattr(tarfile, "data_filter"):
        tar.extractall(dest, members=chosen, filter="data")
        return
    root = Path(dest).resolve()
    checked = [_checked(member, root) for member in chosen]
    tar.extractall(root, members=checked)  # noqa: S202 - every member checked above
