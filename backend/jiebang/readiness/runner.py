"""The check's stand-in for the worker API: objects are read from storage by sha256."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import httpx
from sqlmodel import Session, select

from jiebang.artifacts.models import ScoringProgram
from jiebang.runtimes.builds import record_here
from jiebang.storage.backend import ObjectStore, StorageUnavailable
from jiebang.storage.models import StoredObject
from jiebang.worker.client import ObjectNotFound, PlatformUnavailable, WorkerAPI


class LocalFetcher(WorkerAPI):
    """Serves ``object:<sha256>`` URLs straight from the store (a check runs in the API)."""

    def __init__(self, *, db: Session, store: ObjectStore) -> None:
        super().__init__(httpx.Client(), token="", name="readiness-check")
        self.db, self.store = db, store

    def report_runtime_build(self, news: dict[str, Any]) -> None:
        """A check builds in this API machine's cache: recorded as this machine's build, so
        API processes on other machines see it too."""
        record_here(news)

    def download(self, url: str, dest: Path, *, sha256: str, lease_owner: str) -> None:
        if url.startswith("/api/v1/worker/runtime-images/"):  # an oci runtime's image
            url = self._image_url(url)
        wanted = url.removeprefix("object:")
        obj = self.db.exec(select(StoredObject).where(StoredObject.sha256 == wanted)).first()
        if obj is None:
            program = self.db.exec(
                select(ScoringProgram).where(ScoringProgram.sha256 == wanted)
            ).first()
            obj = self.db.get(StoredObject, program.object_id) if program else None
        if obj is None:
            raise ObjectNotFound(f"no stored object with sha256 {wanted}")
        digest = hashlib.sha256()
        try:
            with dest.open("wb") as out:
                for chunk in self.store.iter_chunks(obj.key):
                    digest.update(chunk)
                    out.write(chunk)
        except StorageUnavailable as exc:
            raise PlatformUnavailable(str(exc)) from exc
        if digest.hexdigest() != sha256:
            raise PlatformUnavailable(f"object has sha256 {digest.hexdigest()}, expected {sha256}")

    def _image_url(self, url: str) -> str:
        from jiebang.artifacts import images

        obj = images.image_object(db=self.db, hex_digest=url.rsplit("/", 1)[-1])
        if obj is None:
            raise ObjectNotFound(f"no uploaded image {url.rsplit('/', 1)[-1]}")
        return f"object:{obj.sha256}"
