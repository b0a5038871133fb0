"""Hidden reference data, downloaded once per sha256 and unpacked into a read-only cache."""

from __future__ import annotations

import fcntl
import shutil
import uuid
from pathlib import Path

from jiebang.submissions.archives import ArchiveLimits, ArchiveRejected, extract_archive
from jiebang.worker.context import JobContext, platform_fault

# Reference data is the organiser's, so it may be large; still never unbounded.
REFERENCE_LIMITS = ArchiveLimits(
    max_files=1_000_000, max_unpacked_bytes=2 * 1024**4, max_ratio=10_000
)


def reference_dir_for(ctx: JobContext) -> Path:
    """The unpacked reference directory for this job (an empty one if the phase has none)."""
    if not ctx.spec.reference_url or not ctx.spec.reference_sha256:
        empty = ctx.workdir / "no-reference"
        empty.mkdir(exist_ok=True)
        return empty
    root = ctx.cache_dir / "reference"
    root.mkdir(parents=True, exist_ok=True)
    final = root / ctx.spec.reference_sha256
    with (root / f"{ctx.spec.reference_sha256}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one download per reference, even with many workers
        if final.is_dir():
            return final
        staging = root / f".{uuid.uuid4().hex}"
        archive = ctx.workdir / "reference.bin"
        ctx.api.download(
            ctx.spec.reference_url,
            archive,
            sha256=ctx.spec.reference_sha256,
            lease_owner=ctx.spec.lease_owner,
        )
        try:
            extract_archive(archive, staging, REFERENCE_LIMITS, filename="reference.bin")
        except ArchiveRejected as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise platform_fault(f"the phase's reference archive is unusable: {exc}") from exc
        finally:
            archive.unlink(missing_ok=True)
        staging.rename(final)
    return final
