"""``prepare(spec)``: the one call a worker makes to get a runtime ready to run programs."""

from __future__ import annotations

from pathlib import Path

from jiebang.runtimes.config import RuntimeSettings, get_runtime_settings
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
