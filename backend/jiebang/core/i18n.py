"""Locale negotiation and the catalogue of messages the platform itself writes."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Literal

from jiebang.core.message_terms import THINGS_ZH, VALIDATION_ZH
from jiebang.core.messages_platform import PLATFORM
from jiebang.core.messages_programme import PROGRAMME

Locale = Literal["zh-CN", "en"]
SUPPORTED: tuple[Locale, ...] = ("zh-CN", "en")
current_locale: ContextVar[Locale] = ContextVar("current_locale", default="en")

if PLATFORM.keys() & PROGRAMME.keys():
    raise RuntimeError(f"message keys defined twice: {sorted(PLATFORM.keys() & PROGRAMME.keys())}")
# key -> (en, zh-CN). Parameters use str.format names.
MESSAGES: dict[str, tuple[str, str]] = {**PLATFORM, **PROGRAMME}
__all__ = [
    "MESSAGES",
    "SUPPORTED",
    "THINGS_ZH",
    "VALIDATION_ZH",
    "Locale",
    "current_locale",
    "negotiate",
    "translate",
]


def negotiate(accept_language: str | None, preferred: str | None = None) -> Locale:
    """The user's saved preference wins, then the first supported Accept-Language tag."""
    if preferred in SUPPORTED:
        return preferred
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh-CN"
        if tag.startswith("en"):
            return "en"
    return "en"


def translate(key: str, locale: Locale | None = None, **params: object) -> str:
    en, zh = MESSAGES[key]
    if (locale or current_locale.get()) != "zh-CN":
        return en.format(**params)
    if isinstance(params.get("thing"), str):
        params["thing"] = THINGS_ZH.get(str(params["thing"]), params["thing"])
    return zh.format(**params)
