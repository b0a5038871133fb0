"""Opening a tar, compressed or not, with decompression bounded by the track's limits."""

from __future__ import annotations

import bz2
import gzip
import lzma
import tarfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from jiebang.submissions.archives.entries import CHUNK
from jiebang.submissions.archives.limits import ArchiveLimits, human_bytes
from jiebang.submissions.archives.rejection import ArchiveRejected


class CappedStream:
    """A decompressed stream that refuses to go past ``cap`` bytes.

    Listing a compressed tar's members means decompressing everything between their
    headers, before any declared size can be checked; this bounds that work."""

    def __init__(self, raw: IO[bytes], cap: int, limit: int) -> None:
        self.raw, self.cap, self.limit = raw, cap, limit

    def _check(self) -> None:
        if self.raw.tell() > self.cap:
            raise ArchiveRejected("stream_too_big", limit=human_bytes(self.limit))

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size if size >= 0 else CHUNK)
        self._check()
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        position = self.raw.seek(offset, whence)
        self._check()
        return position

    def tell(self) -> int:
        return self.raw.tell()

    def close(self) -> None:
        self.raw.close()


@contextmanager
def open_tar(path: Path, limits: ArchiveLimits) -> Iterator[tarfile.TarFile]:
    with path.open("rb") as fh:
        head = fh.read(6)
    openers: dict[bytes, Callable[[Path], Any]] = {
        b"\x1f\x8b": gzip.GzipFile,
        b"BZh": bz2.BZ2File,
        b"\xfd7zXZ": lzma.LZMAFile,
    }
    for magic, open_compressed in openers.items():
        if head.startswith(magic):
            # tar adds a 512-byte header per entry and pads data to 512 bytes
            cap = limits.max_unpacked_bytes + 1024 * (2 * limits.max_files + 16)
            raw = CappedStream(open_compressed(path), cap, limits.max_unpacked_bytes)
            try:
                with tarfile.open(fileobj=raw, mode="r:") as tf:  # type: ignore[call-overload]
                    yield tf
            finally:
                raw.close()
            return
    with tarfile.open(path) as tf:
        yield tf
