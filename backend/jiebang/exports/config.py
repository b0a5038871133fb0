"""Settings of the exports domain (prefix ``JIEBANG_``)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ExportSettings(BaseSettings):
    """PDF exports."""

    model_config = SettingsConfigDict(env_prefix="JIEBANG_", env_file=".env", extra="ignore")

    pdf_font: str = Field(
        "",
        description="A TrueType/OpenType (or .ttc) font with CJK glyphs for PDF exports; "
        "empty uses the packaged WenQuanYi Micro Hei or Noto Sans CJK.",
    )


@lru_cache
def get_export_settings() -> ExportSettings:
    return ExportSettings()
