"""Settings of the operations domain (prefix ``JIEBANG_``)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class OpsSettings(BaseSettings):
    """Logging and metrics."""

    model_config = SettingsConfigDict(env_prefix="JIEBANG_", env_file=".env", extra="ignore")

    log_format: str = Field(
        "text", pattern="^(text|json)$", description="text for people, json for log collectors."
    )
    log_level: str = Field("INFO", description="Root log level (DEBUG, INFO, WARNING, ERROR).")
    metrics_enabled: bool = Field(True, description="Serve Prometheus metrics at /metrics.")
    metrics_token: str = Field(
        "",
        description="Bearer token a scraper must present at /metrics; empty refuses every scrape.",
    )


@lru_cache
def get_ops_settings() -> OpsSettings:
    return OpsSettings()
