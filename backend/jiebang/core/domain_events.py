"""Domain events: a domain says what happened; whoever listens reacts after the commit.

A domain calls ``announce(db, kind, **data)`` inside its transaction. The events wait on the
session and reach the listeners only once the transaction commits (a rollback drops them),
so nobody hears about a change that did not happen. Domains never import their listeners
(the change feed, notifications): those register themselves with ``listen``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession

log = logging.getLogger(__name__)
_KEY = "domain_events"


@dataclass(frozen=True)
class DomainEvent:
    kind: str  # e.g. "submission.status", "board.changed", "results.published"
    data: dict[str, Any] = field(default_factory=dict)

    def key(self) -> tuple[str, tuple[tuple[str, Any], ...]]:
        return self.kind, tuple(sorted((k, repr(v)) for k, v in self.data.items()))


Listener = Callable[[list[DomainEvent]], None]
_listeners: list[Listener] = []
_installed = False


def announce(db: OrmSession, kind: str, **data: Any) -> None:
    """Record that something happened; listeners hear it after the commit (once per commit)."""
    _install()
    pending: dict[Any, DomainEvent] = db.info.setdefault(_KEY, {})
    found = DomainEvent(kind, data)
    pending.setdefault(found.key(), found)


def listen(listener: Listener) -> None:
    """Call ``listener`` with each committed transaction's events (idempotent)."""
    _install()
    if listener not in _listeners:
        _listeners.append(listener)


def unlisten(listener: Listener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def _after_commit(session: OrmSession) -> None:
    pending: dict[Any, DomainEvent] = session.info.pop(_KEY, {})
    if not pending:
        return
    happened = list(pending.values())
    for listener in list(_listeners):
        try:
            listener(happened)
        except Exception:  # a listener's failure must never undo or fail the write itself
            log.exception("a domain-event listener failed")


def _after_rollback(session: OrmSession) -> None:
    session.info.pop(_KEY, None)


def _install() -> None:
    global _installed
    if _installed:
        return
    event.listen(OrmSession, "after_commit", _after_commit)
    event.listen(OrmSession, "after_rollback", _after_rollback)
    _installed = True
