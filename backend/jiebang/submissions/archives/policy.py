"""The track's archive rules, walked identically on arrival (check) and in the worker (extract):
headers first (names, tree, declared sizes), then every entry's data read through."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jiebang.submissions.archives.entries import Entry, copy_entry, tar_entries, zip_entries
from jiebang.submissions.archives.formats import DATA_ERRORS, archive_kind
from jiebang.submissions.archives.limits import ArchiveLimits, ArchiveReport, human_bytes
from jiebang.submissions.archives.names import EntryTree, plain_file_name
from jiebang.submissions.archives.rejection import ArchiveRejected
from jiebang.submissions.archives.tar_streams import open_tar


@dataclass(frozen=True)
class ArchivePolicy:
    """The track's archive rules, applied identically on arrival and in the worker."""

    limits: ArchiveLimits = ArchiveLimits()  # noqa: RUF009 - frozen, so one shared default is safe

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
                    self._headers(list(zip_entries(zf)), packed)
                    return self._read(zip_entries(zf), kind, dest)
            with open_tar(path, self.limits) as tf:
                self._headers(list(tar_entries(tf)), packed)
                return self._read(tar_entries(tf), kind, dest)
        except NotImplementedError as exc:  # e.g. deflate64, which Python cannot read
            raise ArchiveRejected("unsupported", detail=str(exc)[:200]) from exc
        except DATA_ERRORS as exc:
            raise ArchiveRejected("damaged", detail=str(exc)[:200] or type(exc).__name__) from exc

    def _headers(self, entries: list[Entry], packed: int) -> None:
        """Names, tree and declared sizes, before a single byte is decompressed."""
        tree = EntryTree()
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

    def _read(self, entries: Iterator[Entry], kind: str, dest: Path | None) -> ArchiveReport:
        """Decompress every entry (into ``dest``, or nowhere) within the declared budget."""
        budget = self.limits.max_unpacked_bytes
        files = total = 0
        for entry in entries:
            if entry.is_dir or entry.path is None:
                if dest is not None and entry.path is not None:
                    dest.joinpath(*entry.path.parts).mkdir(parents=True, exist_ok=True)
                continue
            files += 1
            written = copy_entry(entry, dest, budget - total)
            total += written
        return ArchiveReport(kind=kind, files=files, unpacked_bytes=total)


def inspect_archive(path: Path, limits: ArchiveLimits, *, filename: str = "") -> ArchiveReport:
    """Validate an upload without unpacking it; raise ArchiveRejected with a specific message."""
    return ArchivePolicy(limits).check(path, filename=filename or path.name)


def extract_archive(
    path: Path, dest: Path, limits: ArchiveLimits, *, filename: str
) -> ArchiveReport:
    """Check, then unpack into ``dest``; a plain file is copied in under its own name."""
    return ArchivePolicy(limits).extract(path, dest, filename=filename)
