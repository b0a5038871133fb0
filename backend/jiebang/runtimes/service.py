"""``prepare(spec)``: the one call a worker makes to get a runtime ready to run programs;
``runtime_state(spec)``: whether it is built here, failed (and why), or not built yet."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

from jiebang.runtimes.cache import read_building, read_failure, read_record
from jiebang.runtimes.config import RuntimeSettings, get_runtime_settings
from jiebang.runtimes.models import WorkerRuntimeState
from jiebang.runtimes.oci_image import prepare_oci
from jiebang.runtimes.prepared import PreparedRuntime
from jiebang.runtimes.python_env import prepare_python
from jiebang.runtimes.spec import OciRuntime, PlatformRuntime, PythonRuntime
from jiebang.sandbox import platform_runtime_mounts, runtime_env
from jiebang.sandbox.mounts import runtime_python


def prepare(
    spec: PlatformRuntime | PythonRuntime | OciRuntime,
    *,
    archive: Path | None = None,
    settings: RuntimeSettings | None = None,
) -> PreparedRuntime:
    """Return ``spec`` ready to run: built or unpacked once, then served from the cache.

    ``archive`` is the image archive of an ``oci`` spec, needed only the first time this
    worker sees that digest. Raises :class:`~jiebang.runtimes.prepared.RuntimeFailed`
    (rejected, build failed or unavailable here) with an English and a Chinese message.
    """
    settings = settings or get_runtime_settings()
    if isinstance(spec, PythonRuntime):
        return prepare_python(spec, settings)
    if isinstance(spec, OciRuntime):
        return prepare_oci(spec, settings, archive=archive)
    return PreparedRuntime(
        kind="platform",
        key=spec.content_key,
        root=None,
        mounts=tuple(platform_runtime_mounts()),
        env=runtime_env(),
        python=runtime_python(),
    )


@dataclasses.dataclass(frozen=True)
class RuntimeState:
    """``ready``, ``building`` (since when, what the builder said so far), ``failed`` (with
    the last build's messages) or ``absent``; ``workers``: what each worker that reported a
    build says (see :mod:`jiebang.runtimes.builds`), empty for this machine's cache alone."""

    status: str
    message: str = ""
    message_zh: str = ""
    elapsed_seconds: float | None = None  # while building
    log_tail: str = ""  # while building: the builder's output so far
    workers: tuple[WorkerRuntimeState, ...] = ()
    # when ready and built here: every package installed (``name==version``, sorted)
    resolved: tuple[str, ...] = ()


def runtime_state(
    spec: PlatformRuntime | PythonRuntime | OciRuntime, *, settings: RuntimeSettings | None = None
) -> RuntimeState:
    """Return whether ``spec`` is built in this worker's cache, without building anything."""
    if isinstance(spec, PlatformRuntime):
        return RuntimeState("ready")
    settings = settings or get_runtime_settings()
    cache, kind = settings.resolved_cache_dir(), spec.kind
    record = read_record(cache / kind / spec.content_key)
    if record is not None:
        resolved = record.get("resolved")
        listed = tuple(str(line) for line in resolved) if isinstance(resolved, list) else ()
        return RuntimeState("ready", resolved=listed)
    building = read_building(cache, kind, spec.content_key)
    if building is not None:
        elapsed = max(0.0, time.time() - building["started_at"])
        return RuntimeState("building", elapsed_seconds=elapsed, log_tail=building["log_tail"])
    failure = read_failure(cache, kind, spec.content_key)
    if failure is not None:
        return RuntimeState("failed", failure.get("message", ""), failure.get("message_zh", ""))
    return RuntimeState("absent")
