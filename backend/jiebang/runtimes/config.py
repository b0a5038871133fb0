"""Settings of the runtimes domain (prefix ``JIEBANG_RUNTIME_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from jiebang.config import get_settings
from jiebang.runtimes.index_gate import index_destination, parse_destination
from jiebang.sandbox import SandboxLimits
from jiebang.sandbox.limits import GIB, KIB

PYPI_INDEX = "https://pypi.org/simple"  # uv's default index
PYPI_FILES = "files.pythonhosted.org"  # where PyPI's simple pages point for the files

BUILD_LIMITS = SandboxLimits(
    cpu_seconds=4 * 1800.0,
    wall_seconds=1800.0,
    memory_bytes=4 * GIB,
    max_processes=512,
    max_open_files=4096,
    output_bytes=16 * GIB,
    tmp_bytes=2 * GIB,
    log_bytes_kept=16 * KIB,
)
"""One python runtime build step (uv in the build sandbox); settings override the first five.

``output_bytes`` is the build's disk: the environment being built plus uv's cache, both
writable in the sandbox. CPU is the total of all its processes (uv resolves, unpacks and,
with source builds on, compiles in parallel), so it is a multiple of the wall time."""


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
        "code, in the build sandbox); by default only wheels are installed.",
    )
    index_hosts: list[str] = Field(
        [],
        description="Hosts a python runtime build may reach besides its index (the build "
        'sandbox\'s only network), as JSON: ["files.example.org", "cdn.example.org:8443"] (port '
        "443 by default); files.pythonhosted.org is added by itself when the index is PyPI.",
    )
    build_timeout_seconds: float = Field(
        1800, gt=0, description="Longest a python runtime build or an image unpack may take."
    )
    build_cpu_seconds: float = Field(
        BUILD_LIMITS.cpu_seconds,
        gt=0,
        description="CPU time (all processes together) one step of a python runtime build may use.",
    )
    build_memory_bytes: int = Field(
        BUILD_LIMITS.memory_bytes, gt=0, description="Memory of a python runtime build sandbox."
    )
    build_max_processes: int = Field(
        BUILD_LIMITS.max_processes,
        gt=0,
        description="Processes and threads a python runtime build sandbox may hold at once.",
    )
    build_disk_bytes: int = Field(
        BUILD_LIMITS.output_bytes,
        gt=0,
        description="Disk a python runtime build may fill: the environment plus uv's cache.",
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

    def build_limits(self) -> SandboxLimits:
        """Return the limits of one python runtime build step (:data:`BUILD_LIMITS` adjusted)."""
        return BUILD_LIMITS.with_overrides(
            wall_seconds=self.build_timeout_seconds,
            cpu_seconds=self.build_cpu_seconds,
            memory_bytes=self.build_memory_bytes,
            max_processes=self.build_max_processes,
            output_bytes=self.build_disk_bytes,
        )

    def index_destinations(self) -> list[tuple[str, int]]:
        """Return the ``(host, port)`` pairs the index gate lets a build reach."""
        index = index_destination(self.index_url or PYPI_INDEX)
        allowed = [index, *(parse_destination(host) for host in self.index_hosts)]
        if index == index_destination(PYPI_INDEX):
            allowed.append(parse_destination(PYPI_FILES))
        return list(dict.fromkeys(allowed))

    def resolved_cache_dir(self) -> Path:
        """Return the cache folder, defaulting to ``<work dir>/runtimes``."""
        if self.cache_dir is not None:
            return self.cache_dir
        platform = get_settings()
        return (platform.work_dir or platform.var_dir / "work") / "runtimes"


@lru_cache
def get_runtime_settings() -> RuntimeSettings:
    return RuntimeSettings()
