"""Settings of the runtimes domain (prefix ``JIEBANG_RUNTIME_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from jiebang.config import get_settings


class RuntimeSettings(BaseSettings):
    """Where built runtimes are cached and where Python packages come from."""

    model_config = SettingsConfigDict(
        env_prefix="JIEBANG_RUNTIME_", env_file=".env", extra="ignore"
    )

    cache_dir: Path | None = Field(
        None,
        description="Built Python environments and unpacked images; default var/work/runtimes.",
    )
    index_url: str | None = Field(
        None, description="Package index for python runtimes (uv's default index when unset)."
    )
    find_links: Path | None = Field(
        None, description="A local wheelhouse folder searched for python runtimes' packages."
    )
    offline: bool = Field(False, description="Install only from the wheelhouse (no index at all).")
    allow_source_builds: bool = Field(
        False,
        description="Let python runtimes build packages from source (runs the packages' build "
        "code on the worker); by default only wheels are installed.",
    )
    build_timeout_seconds: float = Field(
        1800, gt=0, description="Longest a python runtime build or an image unpack may take."
    )
    max_image_bytes: int = Field(
        8 * 1024**3, gt=0, description="Largest unpacked image (sum of its layers' files)."
    )
    max_image_upload_bytes: int = Field(
        4 * 1024**3,
        gt=0,
        description="Largest OCI image archive an organiser or a team may upload "
        "(POST /runtime-images); a bigger one is refused with this limit named.",
    )

    def resolved_cache_dir(self) -> Path:
        """Return the cache folder, defaulting to ``<work dir>/runtimes``."""
        if self.cache_dir is not None:
            return self.cache_dir
        platform = get_settings()
        return (platform.work_dir or platform.var_dir / "work") / "runtimes"


@lru_cache
def get_runtime_settings() -> RuntimeSettings:
    return RuntimeSettings()
