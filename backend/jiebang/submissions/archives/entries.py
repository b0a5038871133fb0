"""An archive's entries read alike from zip and tar: links, special files and encrypted
entries refused, names checked; and each entry's data copied out within a byte budget."""

from __future__ import annotations

import stat
import tarfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath
from typing import IO

from jiebang.submissions.archives.names import entry_path
from jiebang.submissions.archives.rejection import ArchiveRejected

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Entry:
    path: PurePosixPath | None  # None: the archive's root folder
    is_dir: bool
    size: int
    open: Callable[[], IO[bytes] | None]


def zip_entries(zf: zipfile.ZipFile) -> Iterator[Entry]:
    for info in zf.infolist():
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise ArchiveRejected("symlink", name=info.filename)
        kind = stat.S_IFMT(mode)  # zero when the archiver recorded permissions only
        if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
            raise ArchiveRejected("special", name=info.filename)
        if info.flag_bits & 0x1:
            raise ArchiveRejected("encrypted", name=info.filename)
        path = entry_path(info.filename, is_dir=info.is_dir())
        yield Entry(path, info.is_dir(), info.file_size, partial(zf.open, info))


def tar_entries(tf: tarfile.TarFile) -> Iterator[Entry]:
    for member in tf:
        if member.issym() or member.islnk():
            raise ArchiveRejected("link", name=member.name)
        if not (member.isfile() or member.isdir()):
            raise ArchiveRejected("special", name=member.name)
        path = entry_path(member.name, is_dir=member.isdir())
        yield Entry(path, member.isdir(), member.size, partial(tf.extractfile, member))


def copy_entry(entry: Entry, dest: Path | None, budget: int) -> int:
    """Decompress one file entry (into ``dest``, or nowhere); the bytes it actually produced.

    Counting what comes out, not what the header declares, catches a lying header."""
    assert entry.path is not None
    out: IO[bytes] | None = None
    if dest is not None:
        target = dest.joinpath(*entry.path.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        out = target.open("xb")
    written = 0
    try:
        source = entry.open()
        if source is None:
            return 0
        with source:
            while chunk := source.read(CHUNK):
                written += len(chunk)
                if written > budget:
                    raise ArchiveRejected("lying_header")
                if out is not None:
                    out.write(chunk)
    finally:
        if out is not None:
            out.close()
    return written
