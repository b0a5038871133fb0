"""Settings of the submissions domain (prefix ``JIEBANG_``)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class SubmissionSettings(BaseSettings):
    """Limits on unfinished uploads, per team and phase."""

    model_config = SettingsConfigDict(env_prefix="JIEBANG_", env_file=".env", extra="ignore")

    max_open_uploads: int = Field(
        4,
        ge=1,
        le=10_000,
        description="Unfinished uploads a team may hold open in one phase at a time.",
    )
    max_open_upload_bytes: int = Field(
        16 * 1024**3,
        ge=1,
        description="Bytes a team's unfinished uploads in one phase may declare together "
        "(at least the track's largest submission is always allowed).",
    )


@lru_cache
def get_submission_settings() -> SubmissionSettings:
    return SubmissionSettings()
