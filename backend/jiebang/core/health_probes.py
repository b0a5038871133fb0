"""Probes for the organiser's health page, registered by the rooms that own what they measure.

The health page (evaluation/health.py) asks every registered probe for its section; a room
such as notifications registers its own (the email queue) when it is loaded, so that the page
needs to know nothing of the rooms above it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import Session

Probe = Callable[[Session], dict[str, Any]]
_probes: dict[str, Probe] = {}


def register(name: str, probe: Probe) -> None:
    """Show ``probe``'s answer under ``name`` on the health page (a second call replaces it)."""
    _probes[name] = probe


def report(db: Session) -> dict[str, dict[str, Any]]:
    """Every registered probe's section, by name."""
    return {name: probe(db) for name, probe in sorted(_probes.items())}
