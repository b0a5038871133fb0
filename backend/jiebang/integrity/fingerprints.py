"""What makes two entries the same: pure functions, no database (the worker uses these too)."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

# Files shorter than this are left out: small files (a manifest, a one-line answer) are
# identical across honest teams by chance.
MIN_FILE_BYTES = 32
MAX_FILES = 5_000  # fingerprints kept per submission; the rest are not compared
CHUNK = 1 << 20


def file_hashes(root: Path) -> dict[str, str]:
    """sha256 of every regular file of at least MIN_FILE_BYTES under ``root``, by path."""
    found: dict[str, str] = {}
    for directory, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(directory, name)
            info = path.lstat()
            if not stat.S_ISREG(info.st_mode) or info.st_size < MIN_FILE_BYTES:
                continue
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
            found[path.relative_to(root).as_posix()] = digest.hexdigest()
            if len(found) >= MAX_FILES:
                return found
    return found


def metric_vector_hash(items: Iterable[Mapping[str, Any]]) -> str | None:
    """sha256 of the per-item metrics, every digit kept; None when fewer than two values
    (one number alone, e.g. a perfect score, is shared by honest teams)."""
    vector = sorted(
        (str(item.get("id")), sorted((str(k), repr(float(v))) for k, v in metrics.items()))
        for item in items
        if isinstance(metrics := item.get("metrics"), dict)
    )
    if sum(len(values) for _, values in vector) < 2:
        return None
    return hashlib.sha256(json.dumps(vector).encode()).hexdigest()
