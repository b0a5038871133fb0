"""Scoring programs, downloaded once per sha256 and unpacked into a read-only cache.

A worker never looks for an evaluator on its own disk: what it runs is the archive the
job pins, checked against its hash; another version installed here is irrelevant.
"""

from __future__ import annotations

import fcntl
import shutil
import tarfile
import uuid
from pathlib import Path

from jiebang.artifacts.models import ProgramRef
from jiebang.artifacts.packing import unpack
from jiebang.worker.context import JobContext, platform_fault


def program_dir_for(ctx: JobContext, program: ProgramRef) -> Path:
    """The unpacked program of this job, fetched from the platform if not cached here."""
    root = ctx.cache_dir / "programs"
    root.mkdir(parents=True, exist_ok=True)
    final = root / program.sha256
    with (root / f"{program.sha256}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one download per program, even with many workers
        if final.is_dir():
            return final
        archive = ctx.workdir / "program.tar"
        ctx.api.download(
            program.url, archive, sha256=program.sha256, lease_owner=ctx.spec.lease_owner
        )
        staging = root / f".{uuid.uuid4().hex}"
        try:
            unpack(archive, staging)
        except (tarfile.TarError, OSError) as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise platform_fault(f"scoring program {program.sha256} is unusable: {exc}") from exc
        finally:
            archive.unlink(missing_ok=True)
        staging.rename(final)
    return final
