"""OCI image archives, downloaded by digest only when this worker has not unpacked them."""

from __future__ import annotations

import fcntl
import uuid
from pathlib import Path

from jiebang.artifacts.images import WORKER_IMAGE_PATH
from jiebang.runtimes import OciRuntime, RuntimeRejected, runtime_state
from jiebang.worker.client import ObjectNotFound
from jiebang.worker.context import JobContext


def image_archive_for(ctx: JobContext, spec: OciRuntime) -> Path | None:
    """The archive ``prepare`` needs for ``spec``; ``None`` when the rootfs is cached here."""
    if runtime_state(spec).status == "ready":
        return None
    hex_digest = spec.archive_digest.removeprefix("sha256:")
    root = ctx.cache_dir / "images"
    root.mkdir(parents=True, exist_ok=True)
    final = root / f"{hex_digest}.tar"
    with (root / f"{hex_digest}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one download per image, even with many workers
        if final.is_file():
            return final
        partial = root / f".{uuid.uuid4().hex}.part"
        try:
            ctx.api.download(
                WORKER_IMAGE_PATH.format(hex=hex_digest),
                partial,
                sha256=hex_digest,
                lease_owner=ctx.spec.lease_owner,
            )
            partial.rename(final)
        except ObjectNotFound as exc:  # a digest nobody uploaded: the declarer's mistake
            raise RuntimeRejected(
                f"runtime.archive_digest: no image {spec.archive_digest} was uploaded to the "
                "platform; upload the image archive (POST /api/v1/runtime-images) and declare "
                "the digest it answers",
                f"runtime.archive_digest：平台上没有上传过镜像 {spec.archive_digest}；请先上传镜像"
                "归档（POST /api/v1/runtime-images），再声明其返回的摘要",
            ) from exc
        finally:
            partial.unlink(missing_ok=True)
    return final
