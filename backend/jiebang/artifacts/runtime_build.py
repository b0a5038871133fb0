"""A scoring program's runtime built ahead of its first use ("build now" in the browser).

The build runs after the response, in the API's thread pool, through the same
``runtimes.prepare`` a worker uses; its progress and outcome are read back with
``runtimes.builds.combined_state`` (building: since when and what uv said so far; failed:
why), from this machine's cache and, for the other API machines, from the database.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from sqlmodel import Session

from jiebang.artifacts import images
from jiebang.artifacts.models import ScoringProgram
from jiebang.core.errors import InvalidInput
from jiebang.runtimes import (
    OciRuntime,
    PlatformRuntime,
    PythonRuntime,
    RuntimeFailed,
    parse_runtime_spec,
)
from jiebang.runtimes.builds import record_here
from jiebang.runtimes.config import get_runtime_settings
from jiebang.runtimes.reporting import prepare_reported
from jiebang.storage.backend import ObjectStore, StorageUnavailable

log = logging.getLogger(__name__)
Spec = PlatformRuntime | PythonRuntime | OciRuntime


def spec_of(program: ScoringProgram) -> Spec:
    return parse_runtime_spec(program.runtime or {"kind": "platform"})


def image_key_for(db: Session, spec: Spec) -> str | None:
    """The stored key of an ``oci`` spec's image archive; 422 when it was never uploaded."""
    if not isinstance(spec, OciRuntime):
        return None
    obj = images.image_object(db=db, hex_digest=spec.content_key)
    if obj is None:
        raise InvalidInput("runtime.archive_digest", "not_found", thing=spec.archive_digest)
    return obj.key


def build(spec: Spec, *, store: ObjectStore, image_key: str | None) -> None:
    """Prepare ``spec`` in this machine's cache; a failure is kept there for the state to show."""
    try:
        if image_key is None:
            prepare_reported(spec, report=record_here)
            return
        downloads = get_runtime_settings().resolved_cache_dir() / "downloads"
        downloads.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=downloads) as work:
            archive = Path(work) / "image.tar"
            with archive.open("wb") as out:
                for chunk in store.iter_chunks(image_key):
                    out.write(chunk)
            prepare_reported(spec, archive=archive, report=record_here)
    except RuntimeFailed as exc:  # recorded by the cache; the browser reads it back
        log.info("runtime %s failed to build: %s", spec.content_key, exc.message)
    except StorageUnavailable:
        log.warning("runtime %s: the image could not be read from storage", spec.content_key)
