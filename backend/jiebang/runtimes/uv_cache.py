"""uv's download cache for python runtime builds: shared while no package code runs.

A wheels-only build runs no code of any package while the cache is writable (uv unpacks
wheels; the new environment is first started without the cache), so such builds share
one cache. It counts towards a build's disk limit (``build_disk_bytes``) with the
environment being built: builds hold a shared ``flock`` on it while they run, and one
that finds it larger than half that limit empties it first, when no other build holds it.
A build that may build from source runs the packages' own build code, which could plant a
package in a cache that later builds trust, so it gets a cache of its own beside its work
folder, removed after (or, if the builder dies, with its work folder by the next build).
Published environments never share files with a cache: uv copies into them.
"""

from __future__ import annotations

import contextlib
import fcntl
import shutil
from collections.abc import Iterator
from pathlib import Path

from jiebang.sandbox.outputs import directory_size

FOLDER = "uv-build-cache"  # not the unsandboxed builds' "uv-cache", which only root may write
LOCK = ".uv-build-cache.lock"


@contextlib.contextmanager
def uv_cache_for_build(
    cache_root: Path, *, private: Path | None, disk_bytes: int, log: Path
) -> Iterator[Path]:
    """Yield the uv cache folder one build may write: the fresh folder ``private`` when
    given, else the shared one (held shared for the block; emptied first when over half of
    ``disk_bytes`` and unused, with a line in ``log``)."""
    if private is not None:
        private.mkdir()
        try:
            yield private
        finally:
            shutil.rmtree(private, ignore_errors=True)
        return
    folder = cache_root / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    with open(cache_root / LOCK, "a+") as lock:
        size = directory_size(folder)
        if size > disk_bytes // 2:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                pass  # another build is using it: keep it, this build may still fit
            else:
                shutil.rmtree(folder)
                folder.mkdir()
                with log.open("a") as out:
                    out.write(
                        f"uv's cache held {size} bytes, over half the build's disk: emptied\n"
                    )
        fcntl.flock(lock, fcntl.LOCK_SH)
        yield folder
