"""Settings of the readiness domain."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ReadinessSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JIEBANG_", env_file=".env", extra="ignore")

    readiness_required: bool = Field(
        True,
        description="Refuse to publish a contest while a track lacks reference data, a split, "
        "an evaluator or a passing readiness check. Off (tests, demos built from scratch), "
        "only a contest without a track (or with a track without a phase) and a track whose "
        "last check failed are refused.",
    )


def readiness_required() -> bool:
    return ReadinessSettings().readiness_required
