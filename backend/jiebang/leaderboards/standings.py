"""The ranked table behind every live board: one row per phase, split and team, kept up to
date as that team's scores land, and read in rank order through an index.

A team's row is a function of that team's entries alone (its best, latest or selected
submission by the phase's rule), so when a score, a submission or a review changes, only that
team's rows are recomputed, in the same transaction (tracking.py calls `refresh_teams` before
each commit). The order between teams is `ranking.sort_key`, stored as `rank_key`.

What a board's rows were built for (its columns, rule, split and freeze moment) is kept in
board_state. A board whose definition has changed since, or that was never built, is rebuilt
from the scores on its next read (`rebuild`); `computed_rows` is the same computation without
the table, the oracle the tests compare the table with.

Splits: ``public`` and ``private`` are the live boards; ``frozen`` is the public split as it
stood at the freeze moment (scores recorded before it, the statuses of a frozen board), what
participants see while a phase is frozen.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Text, cast, delete, insert, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col

from jiebang.contests.models import Phase
from jiebang.core import row_lock
from jiebang.core.errors import DomainError
from jiebang.db import utcnow
from jiebang.leaderboards import ranking, service
from jiebang.leaderboards.models import BoardEntry, BoardState
from jiebang.teams.models import Team

log = logging.getLogger(__name__)
PUBLIC, PRIVATE, FROZEN = "public", "private", "frozen"
FROZEN_PRIVATE = "frozen_private"  # computed when asked for, never kept (nobody reads it)
_FORMAT = 1  # bump when the rows' format changes: every board is rebuilt on its next read
_PHASE_LOCK = 0x4A42_0000_0000  # PostgreSQL advisory lock keys: this plus the phase id
# split -> (the scores' split it reads, final board (selection applies), as of the freeze)
_SOURCES = {
    PUBLIC: (service.PUBLIC, False, False),
    PRIVATE: (service.PRIVATE, True, False),
    FROZEN: (service.PUBLIC, False, True),
    FROZEN_PRIVATE: (service.PRIVATE, True, True),
}


@dataclass(frozen=True)
class Spec:
    """A phase's board definition, and a signature of it per kept split."""

    columns: list[ranking.Column]
    primary: str
    secondary: list[str]
    rule: str
    max_selected: int
    freeze_at: datetime | None
    definition: str  # hash of everything the live splits' rows depend on
    ladder_threshold: float | None = None  # Ladder mode for the public board (and its freeze)

    @property
    def order(self) -> list[ranking.Column]:
        return ranking.ranking_order(self.columns, self.primary, self.secondary)

    def splits(self) -> list[str]:
        """The splits kept in the table for this phase."""
        return [PUBLIC, PRIVATE, FROZEN] if self.freeze_at is not None else [PUBLIC, PRIVATE]

    def signature(self, split: str) -> str:
        if split != FROZEN:
            return self.definition
        moment = self.freeze_at.isoformat() if self.freeze_at else ""
        return hashlib.sha256(f"{self.definition}|{moment}".encode()).hexdigest()


@dataclass(frozen=True)
class Standing:
    """One team's row: the submission that counts and its column values."""

    team_id: int
    submission_id: int
    submitted_at: datetime
    scores: dict[str, float | None]
    rank_key: str
    team_name: str | None = None  # filled when read from the table


def spec_for(*, db: Session, phase: Phase) -> Spec:
    """The phase's board definition; a misconfigured board raises the organiser's DomainError."""
    columns, primary, secondary = service.board_columns(track=service.track_of(db=db, phase=phase))
    definition = {
        "format": _FORMAT,
        "columns": [dataclasses.asdict(c) for c in columns],
        "primary": primary,
        "secondary": secondary,
        "rule": str(phase.submission_rule),
        "max_selected": phase.max_selected,
        "public_item_ids": list(phase.public_item_ids or []),
        "private_item_ids": list(phase.private_item_ids or []),
        "ladder_threshold": phase.ladder_threshold,
    }
    digest = hashlib.sha256(json.dumps(definition, sort_keys=True).encode()).hexdigest()
    return Spec(
        columns=columns,
        primary=primary,
        secondary=secondary,
        rule=str(phase.submission_rule),
        max_selected=phase.max_selected,
        freeze_at=phase.freeze_at,
        definition=digest,
        ladder_threshold=phase.ladder_threshold,
    )


def computed_rows(
    *,
    db: Session,
    phase: Phase,
    spec: Spec,
    split: str,
    team_ids: Collection[int] | None = None,
) -> list[Standing]:
    """The split's rows (of the given teams only) computed from the scores, in rank order."""
    read, final, as_of_freeze = _SOURCES[split]
    entries = service.entries(
        db=db,
        phase=phase,
        split=read,
        needs_items=any(c.aggregate for c in spec.columns),
        before=spec.freeze_at if as_of_freeze else None,
        metric_keys=sorted({c.metric for c in spec.columns}),
        team_ids=team_ids,
    )
    order = spec.order
    rows = []
    by_team = ranking.scored_by_team(entries, columns=spec.columns, primary=spec.primary)
    for team_entries in by_team.values():
        if spec.ladder_threshold and not final:  # the public board in Ladder mode
            picked = ranking.ladder(team_entries, column=order[0], step=spec.ladder_threshold)
        else:
            picked = ranking.choose(
                team_entries,
                order=order,
                rule=spec.rule,
                final=final,
                max_selected=spec.max_selected,
            )
        if picked is not None:
            entry, values = picked
            rows.append(
                Standing(
                    team_id=entry.team_id,
                    submission_id=entry.submission_id,
                    submitted_at=entry.submitted_at,
                    scores=values,
                    rank_key=ranking.rank_key(values, entry, order),
                )
            )
    rows.sort(key=lambda r: r.rank_key)
    return rows


def standings(*, db: Session, phase: Phase, split: str) -> list[Standing]:
    """The board's rows in rank order, read from the table (rebuilt first when stale)."""
    spec = spec_for(db=db, phase=phase)
    if split not in spec.splits():
        return computed_rows(db=db, phase=phase, spec=spec, split=split)
    conn = db.connection()
    built = conn.execute(
        select(BoardState.signature).where(  # type: ignore[call-overload]
            BoardState.phase_id == phase.id, BoardState.split == split
        )
    ).scalar_one_or_none()
    if built != spec.signature(split):
        return rebuild(db=db, phase=phase, split=split)
    return read_rows(conn, phase_id=phase.id or 0, split=split)


def read_rows(conn: Connection, *, phase_id: int, split: str) -> list[Standing]:
    """The kept rows of one board with their team names, in rank order (the index's order)."""
    query = (
        select(  # type: ignore[call-overload]
            BoardEntry.team_id,
            BoardEntry.submission_id,
            cast(BoardEntry.scores, Text),  # decoded below in one go, not once per row
            BoardEntry.rank_key,
            Team.name,
        )
        .join(Team, col(Team.id) == BoardEntry.team_id)
        .where(BoardEntry.phase_id == phase_id, BoardEntry.split == split)
        .order_by(col(BoardEntry.rank_key))
    )
    found = conn.execute(query).all()
    scores = json.loads("[" + ",".join(row[2] for row in found) + "]")
    at = ranking.submitted_at_of
    return [
        Standing(team, sub, at(key), values, key, name)
        for (team, sub, _, key, name), values in zip(found, scores, strict=True)
    ]


def rebuild(*, db: Session, phase: Phase, split: str) -> list[Standing]:
    """Recompute one board from the scores and keep it, in a transaction of its own.

    A reader whose own transaction has written (it would wait on itself under SQLite) gets the
    computed rows without keeping them; so does one that loses a race to keep them."""
    if _has_written(db):
        return computed_rows(db=db, phase=phase, spec=spec_for(db=db, phase=phase), split=split)
    try:
        with Session(db.get_bind(), expire_on_commit=False) as own:
            rows = rebuild_in(own, phase_id=phase.id or 0, split=split)
            own.commit()
            return rows
    except (IntegrityError, OperationalError):
        log.warning("keeping the rebuilt board of phase %s (%s) failed", phase.id, split)
        return computed_rows(db=db, phase=phase, spec=spec_for(db=db, phase=phase), split=split)


def rebuild_in(db: Session, *, phase_id: int, split: str) -> list[Standing]:
    """Rebuild one board inside `db`'s transaction (the caller commits); returns its rows."""
    conn = db.connection()
    _lock_phase(conn, phase_id, shared=False)
    phase = db.get(Phase, phase_id)
    if phase is None:
        return []
    spec = spec_for(db=db, phase=phase)
    built = conn.execute(
        select(BoardState.signature).where(  # type: ignore[call-overload]
            BoardState.phase_id == phase_id, BoardState.split == split
        )
    ).scalar_one_or_none()
    if built == spec.signature(split):  # another reader rebuilt it while this one waited
        return read_rows(conn, phase_id=phase_id, split=split)
    # Deleting first takes SQLite's write lock, so nothing commits between the read and the
    # write; PostgreSQL writers of this phase wait on the advisory lock above.
    conn.execute(
        delete(BoardEntry).where(
            col(BoardEntry.phase_id) == phase_id, col(BoardEntry.split) == split
        )
    )
    conn.execute(
        delete(BoardState).where(
            col(BoardState.phase_id) == phase_id, col(BoardState.split) == split
        )
    )
    rows = computed_rows(db=db, phase=phase, spec=spec, split=split)
    _insert(conn, phase_id=phase_id, split=split, rows=rows, primary=spec.primary)
    conn.execute(
        insert(BoardState).values(
            phase_id=phase_id, split=split, signature=spec.signature(split), built_at=utcnow()
        )
    )
    return rows


def rebuild_all(*, db: Session) -> int:
    """Rebuild every phase's boards inside `db`'s transaction (the migration's back-fill);
    returns how many boards were built. Misconfigured boards are left to their first read."""
    built = 0
    phase_ids = db.connection().execute(select(Phase.id).order_by(Phase.id)).scalars().all()  # type: ignore[call-overload]
    for phase_id in phase_ids:
        phase = db.get(Phase, phase_id)
        try:
            splits = spec_for(db=db, phase=phase).splits() if phase else []
        except DomainError:
            continue
        for split in splits:
            rebuild_in(db, phase_id=phase_id, split=split)
            built += 1
    return built


def refresh_teams(*, db: Session, touched: dict[int, set[int]]) -> None:
    """Recompute these teams' rows (phase id -> team ids) inside `db`'s transaction.

    Only boards whose kept rows match the phase's current definition are written; the others
    are rebuilt on their next read anyway. A board that can no longer be computed (its
    evaluator or columns went away) is marked unbuilt, so that its next read reports why."""
    conn = db.connection()
    for phase_id in sorted(touched):
        teams = touched[phase_id]
        phase = db.get(Phase, phase_id)
        if phase is None or not teams:
            continue
        _lock_phase(conn, phase_id, shared=True)
        for team_id in sorted(teams):  # one order everywhere: no deadlock between writers
            _lock_team(conn, phase_id, team_id)
        built: dict[str, str] = dict(
            conn.execute(
                select(BoardState.split, BoardState.signature).where(  # type: ignore[call-overload]
                    BoardState.phase_id == phase_id
                )
            ).all()
        )
        if not built:
            continue
        try:
            spec = spec_for(db=db, phase=phase)
        except Exception:  # the write itself must not fail for its board
            log.warning("board of phase %s left to be rebuilt on its next read", phase_id)
            conn.execute(delete(BoardState).where(col(BoardState.phase_id) == phase_id))
            continue
        for split in spec.splits():
            if built.get(split) != spec.signature(split):
                continue
            rows = computed_rows(db=db, phase=phase, spec=spec, split=split, team_ids=teams)
            conn.execute(
                delete(BoardEntry).where(
                    col(BoardEntry.phase_id) == phase_id,
                    col(BoardEntry.split) == split,
                    col(BoardEntry.team_id).in_(sorted(teams)),
                )
            )
            _insert(conn, phase_id=phase_id, split=split, rows=rows, primary=spec.primary)


def _insert(
    conn: Connection, *, phase_id: int, split: str, rows: list[Standing], primary: str
) -> None:
    if not rows:
        return
    conn.execute(
        insert(BoardEntry),
        [
            {
                "phase_id": phase_id,
                "split": split,
                "team_id": r.team_id,
                "submission_id": r.submission_id,
                "primary_value": r.scores[primary],
                "rank_key": r.rank_key,
                "scores": r.scores,
                "submitted_at": r.submitted_at,
            }
            for r in rows
        ],
    )


def _lock_phase(conn: Connection, phase_id: int, *, shared: bool) -> None:
    """Team refreshes share a phase; a rebuild has it alone (PostgreSQL; SQLite has one writer)."""
    if conn.dialect.name == "postgresql":
        function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        conn.execute(text(f"SELECT {function}(:key)"), {"key": _PHASE_LOCK + phase_id})


def _lock_team(conn: Connection, phase_id: int, team_id: int) -> None:
    """Two transactions recomputing one team's row take turns, each reading the other's
    committed scores (READ COMMITTED), so neither writes a row that misses the other's."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:p, :t)"), {"p": phase_id, "t": team_id})


def _has_written(db: Session) -> bool:
    return bool(
        db.new
        or db.dirty
        or db.deleted
        or db.info.get("board_wrote")
        or db.info.get(row_lock.SQLITE_WRITE_LOCK)
    )


def as_dicts(rows: list[Standing]) -> list[dict[str, Any]]:
    """Rows as plain values (team names aside), for comparing the table with a recompute."""
    return [dataclasses.asdict(r) | {"team_name": None} for r in rows]
