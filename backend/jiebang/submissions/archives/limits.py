"""What an archive may hold (a track's limits), what a check reports, and sizes as people read them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any


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
