"""The one archive policy: what the arrival check accepts is exactly what the worker unpacks.

:class:`ArchivePolicy` holds the track's limits and applies the same format detection, the
same entry-name rules and the same tree rules (no duplicates, no file inside a file) in both
places. On arrival it also reads every entry's data through (sizes and CRCs), so a file it
accepts cannot fail to unpack later. Every rejection names the entry and the limit, in
English and Chinese (``ArchiveRejected.text(locale)``). Sizes declared in archive headers can
lie, so reading counts the bytes actually produced and stops at the same limits.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import shutil
import stat
import tarfile
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields
from functools import partial
from pathlib import Path, PurePosixPath
from typing import IO, Any

from jiebang.core.i18n import Locale
from jiebang.submissions.archive_messages import render

CHUNK = 1024 * 1024
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
COMPRESSED_MAGIC = (b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00")
TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz")
# errors raised by the archive readers when the bytes themselves are wrong
DATA_ERRORS = (
    zipfile.BadZipFile,
    tarfile.TarError,
    EOFError,
    zlib.error,
    lzma.LZMAError,
    gzip.BadGzipFile,
)


class ArchiveRejected(ValueError):
    """The archive is unsafe, damaged or too big; ``str()`` is English, ``text()`` localises."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(render(key, "en", params))

    def text(self, locale: Locale) -> str:
        return render(self.key, locale, self.params)

    @property
    def zh(self) -> str:
        return self.text("zh-CN")


@dataclass(frozen=True)
class ArchiveLimits:
    max_files: int = 10_000
    max_unpacked_bytes: int = 8 * 1024**3
    max_ratio: float = 200.0  # unpacked / packed, over the whole archive

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> ArchiveLimits:
        """The track's ``archive`` limits over the defaults; unknown keys are ignored."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in dict(values or {}).items() if k in known})


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


# ---------------------------------------------------------------- format detection
def archive_kind(path: Path, filename: str = "") -> str:
    """zip, tar or file; refuses a file that claims to be an archive and cannot be read as one.

    The claim is the name (``.zip``, ``.tar.gz`` …) or the content's magic bytes (a zip local
    header, a tar ``ustar`` header, a gzip/bzip2/xz stream under a tar name).
    """
    if zipfile.is_zipfile(path):
        return "zip"
    try:
        if tarfile.is_tarfile(path):
            return "tar"
    except (OSError, *DATA_ERRORS):
        pass
    with path.open("rb") as fh:
        head = fh.read(512)
    name = filename.lower()
    claims_tar = name.endswith(TAR_SUFFIXES)
    if head.startswith(ZIP_MAGIC) or head[257:262] == b"ustar":
        raise ArchiveRejected("damaged", detail="its end is missing or unreadable")
    if claims_tar and head.startswith(COMPRESSED_MAGIC):
        raise ArchiveRejected("damaged", detail="the compressed stream does not hold a tar")
    if name.endswith(".zip") or claims_tar:
        raise ArchiveRejected("not_an_archive", filename=_display(filename))
    return "file"


# ---------------------------------------------------------------- names and tree
def _display(name: str) -> str:
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


class _Tree:
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


# ---------------------------------------------------------------- entries
@dataclass(frozen=True)
class _Entry:
    path: PurePosixPath | None  # None: the archive's root folder
    is_dir: bool
    size: int
    open: Callable[[], IO[bytes] | None]


def _zip_entries(zf: zipfile.ZipFile) -> Iterator[_Entry]:
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
        yield _Entry(path, info.is_dir(), info.file_size, partial(zf.open, info))


def _tar_entries(tf: tarfile.TarFile) -> Iterator[_Entry]:
    for member in tf:
        if member.issym() or member.islnk():
            raise ArchiveRejected("link", name=member.name)
        if not (member.isfile() or member.isdir()):
            raise ArchiveRejected("special", name=member.name)
        path = entry_path(member.name, is_dir=member.isdir())
        yield _Entry(path, member.isdir(), member.size, partial(tf.extractfile, member))


class _CappedStream:
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
def _open_tar(path: Path, limits: ArchiveLimits) -> Iterator[tarfile.TarFile]:
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
            raw = _CappedStream(open_compressed(path), cap, limits.max_unpacked_bytes)
            try:
                with tarfile.open(fileobj=raw, mode="r:") as tf:  # type: ignore[call-overload]
                    yield tf
            finally:
                raw.close()
            return
    with tarfile.open(path) as tf:
        yield tf


@dataclass(frozen=True)
class ArchivePolicy:
    """The track's archive rules, applied identically on arrival and in the worker."""

    limits: ArchiveLimits = ArchiveLimits()

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> ArchivePolicy:
        return cls(ArchiveLimits.from_mapping(values))

    @classmethod
    def for_sandbox_limits(cls, sandbox_limits: Any) -> ArchivePolicy:
        """A track's policy from its ``sandbox_limits`` (the ``archive`` entry)."""
        stages = sandbox_limits if isinstance(sandbox_limits, dict) else {}
        return cls.from_mapping(stages.get("archive"))

    def check(self, path: Path, *, filename: str) -> ArchiveReport:
        """Arrival: every rule, and every entry's data read through; nothing is written."""
        return self._walk(path, filename=filename, dest=None)

    def extract(self, path: Path, dest: Path, *, filename: str) -> ArchiveReport:
        """Worker: the same rules while unpacking into ``dest`` (a plain file keeps its name)."""
        dest.mkdir(parents=True, exist_ok=True)
        return self._walk(path, filename=filename, dest=dest)

    def _walk(self, path: Path, *, filename: str, dest: Path | None) -> ArchiveReport:
        kind = archive_kind(path, filename)
        packed = path.stat().st_size
        if kind == "file":
            name = plain_file_name(filename)  # bounded by the track's max_submission_bytes
            if dest is not None:
                shutil.copyfile(path, dest / name)
            return ArchiveReport(kind="file", files=1, unpacked_bytes=packed)
        try:
            if kind == "zip":
                with zipfile.ZipFile(path) as zf:
                    self._headers(list(_zip_entries(zf)), packed)
                    return self._read(_zip_entries(zf), kind, dest)
            with _open_tar(path, self.limits) as tf:
                self._headers(list(_tar_entries(tf)), packed)
                return self._read(_tar_entries(tf), kind, dest)
        except NotImplementedError as exc:  # e.g. deflate64, which Python cannot read
            raise ArchiveRejected("unsupported", detail=str(exc)[:200]) from exc
        except DATA_ERRORS as exc:
            raise ArchiveRejected("damaged", detail=str(exc)[:200] or type(exc).__name__) from exc

    def _headers(self, entries: list[_Entry], packed: int) -> None:
        """Names, tree and declared sizes, before a single byte is decompressed."""
        tree = _Tree()
        files = total = 0
        for entry in entries:
            if entry.path is not None:
                tree.add(entry.path, is_dir=entry.is_dir)
                if len(tree.dirs) > self.limits.max_files:  # folders cost inodes too
                    raise ArchiveRejected("too_many_folders", limit=self.limits.max_files)
            if entry.is_dir:
                continue
            files += 1
            total += entry.size
            if files > self.limits.max_files:
                raise ArchiveRejected("too_many_files", limit=self.limits.max_files)
        if total > self.limits.max_unpacked_bytes:
            raise ArchiveRejected(
                "too_big",
                size=human_bytes(total),
                limit=human_bytes(self.limits.max_unpacked_bytes),
            )
        if packed and total / packed > self.limits.max_ratio:
            raise ArchiveRejected(
                "bomb", ratio=f"{total / packed:.0f}", limit=f"{self.limits.max_ratio:.0f}"
            )

    def _read(self, entries: Iterator[_Entry], kind: str, dest: Path | None) -> ArchiveReport:
        """Decompress every entry (into ``dest``, or nowhere) within the declared budget."""
        budget = self.limits.max_unpacked_bytes
        files = total = 0
        for entry in entries:
            if entry.is_dir or entry.path is None:
                if dest is not None and entry.path is not None:
                    dest.joinpath(*entry.path.parts).mkdir(parents=True, exist_ok=True)
                continue
            files += 1
            written = _copy_entry(entry, dest, budget - total)
            total += written
        return ArchiveReport(kind=kind, files=files, unpacked_bytes=total)


def _copy_entry(entry: _Entry, dest: Path | None, budget: int) -> int:
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


# ---------------------------------------------------------------- one folder too many
def unwrap_single_folder(
    root: Path, reference_dir: Path, *, markers: tuple[str, ...] = ()
) -> str | None:
    """Lift the contents of one folder wrapped around the layout up to ``root``; return its name.

    Done only when unambiguous: ``root`` holds that folder and nothing else, and either the
    folder holds one of ``markers`` (a code track's manifest) that ``root`` lacks, or the
    track has reference data and no top-level reference entry is named like the folder
    (a one-clip submission ``chelsea/`` beside a reference ``chelsea/`` stays as it is).
    """
    entries = list(root.iterdir())
    if len(entries) != 1 or not entries[0].is_dir() or entries[0].is_symlink():
        return None
    folder = entries[0]
    if markers:
        if not any((folder / m).is_file() for m in markers):
            return None
    else:
        expected = {p.name for p in reference_dir.iterdir()} if reference_dir.is_dir() else set()
        stems = expected | {name.split(".", 1)[0] for name in expected}
        if not expected or folder.name in stems:
            return None
    holder = root / f".unwrap-{folder.name}"
    folder.rename(holder)
    for child in holder.iterdir():
        child.rename(root / child.name)
    holder.rmdir()
    return folder.name


# ---------------------------------------------------------------- the old entry points
def inspect_archive(path: Path, limits: ArchiveLimits, *, filename: str = "") -> ArchiveReport:
    """Validate an upload without unpacking it; raise ArchiveRejected with a specific message."""
    return ArchivePolicy(limits).check(path, filename=filename or path.name)


def extract_archive(
    path: Path, dest: Path, limits: ArchiveLimits, *, filename: str
) -> ArchiveReport:
    """Check, then unpack into ``dest``; a plain file is copied in under its own name."""
    return ArchivePolicy(limits).extract(path, dest, filename=filename)
