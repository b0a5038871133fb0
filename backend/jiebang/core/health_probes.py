"""Probes for the organiser's health page, registered by the rooms that own what they measure.

The health page (evaluation/health.py) asks every registered probe for its section; a room
such as notifications registers its own (the email queue) when it is loaded, so that the page
needs to know nothing of the rooms above it.

Who reads the page decides what a probe may show. Platform organisers see everything. An
organiser of a unit, a contest or a list sees the same sections: the queues and workers are
one shared machine whose stall delays everyone's contests, and counts say nothing of anyone;
but nothing that names a person (a probe masks e-mail addresses in error texts for them).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session


@dataclass(frozen=True)
class Audience:
    """Who reads the health page: ``personal`` when they may see people's data (platform
    organisers), False for an organiser of one unit, contest or list."""

    personal: bool


PLATFORM_AUDIENCE = Audience(personal=True)
SCOPED_AUDIENCE = Audience(personal=False)

Probe = Callable[[Session, Audience], dict[str, Any]]
_probes: dict[str, Probe] = {}
_ADDRESS = re.compile(r"[^\s<>()\[\]'\",;:]+@[^\s<>()\[\]'\",;:]+")


def register(name: str, probe: Probe) -> None:
    """Show ``probe``'s answer under ``name`` on the health page (a second call replaces it)."""
    _probes[name] = probe


def report(db: Session, audience: Audience = PLATFORM_AUDIENCE) -> dict[str, dict[str, Any]]:
    """Every registered probe's section, by name, as this audience may read it."""
    return {name: probe(db, audience) for name, probe in sorted(_probes.items())}


def without_addresses(text: str) -> str:
    """The text with every e-mail address replaced by "…@…" (an SMTP error names its
    recipient)."""
    return _ADDRESS.sub("…@…", text)
