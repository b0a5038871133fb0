"""Settings of the staged uploads domain (prefix ``JIEBANG_STAGED_UPLOAD_``)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class StagedUploadSettings(BaseSettings):
    """How long an organiser's upload in parts may stay unfinished."""

    model_config = SettingsConfigDict(
        env_prefix="JIEBANG_STAGED_UPLOAD_", env_file=".env", extra="ignore"
    )

    ttl_hours: float = Field(
        48,
        gt=0,
        description="An organiser's upload in parts (reference data, sample, devkit, scoring "
        "program) not completed this long after it was opened is aborted by the housekeeper, "
        "and the parts it left in storage are deleted (audited as staged_upload.expired).",
    )


@lru_cache
def get_staged_upload_settings() -> StagedUploadSettings:
    return StagedUploadSettings()
