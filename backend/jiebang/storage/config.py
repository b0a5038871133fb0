"""Which object store to use, from the platform settings."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jiebang.config import get_settings
from jiebang.storage.backend import ObjectStore
from jiebang.storage.local import LocalStore
from jiebang.storage.s3 import S3Store


def make_store(url: str, *, local_root_default: str, secure: bool = False) -> ObjectStore:
    """``s3://…`` selects S3/MinIO; ``file:///path`` or empty selects a local directory."""
    if url.startswith("s3://"):
        return S3Store(url, secure=secure)

    root = url.removeprefix("file://") if url else local_root_default
    return LocalStore(Path(root))


@lru_cache
def get_store() -> ObjectStore:
    settings = get_settings()
    return make_store(
        settings.storage_url,
        local_root_default=str(settings.var_dir / "objects"),
        secure=settings.storage_secure,
    )
