"""Keeping boards in step with every write: which teams' rows a transaction touched, those
rows recomputed just before it commits (in the same transaction, so a score and its board row
land together or not at all), and this process's rendered boards of those phases dropped
after it commits.

Watching the session, rather than asking each writer to remember, means no code path (the
worker's report, a re-score, a disqualification, a withdrawal, a new selection, a deletion)
can change a board's inputs without its rows following. Objects are recognised by class name,
so this module imports no other domain and can be installed before any of them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import SessionTransaction

_TEAMS, _SUBMISSIONS = "board_teams", "board_submissions"
_PHASES, _WROTE = "board_phases", "board_wrote"
# What a Submission's board row depends on; other changes (upload progress, notes) do not count.
_SUBMISSION_FIELDS = (
    "status",
    "withdrawn_at",
    "selected",
    "queued_at",
    "created_at",
    "phase_id",
    "team_id",
)
_RENDER_ONLY = {"Phase": "id", "ResultVersion": "phase_id"}  # rendered boards, not rows
_EVERY_PHASE = {"Track", "Contest", "Team"}  # columns, visibility, team names
_installed = False


def _changed(obj: Any, fields: tuple[str, ...]) -> bool:
    attrs = sa_inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in fields)


def _note(session: OrmSession, obj: Any, *, whole: bool) -> None:
    """Record what the object's write touches; `whole`: it was created or deleted."""
    info, kind = session.info, type(obj).__name__
    phases: set[int | None] = info.setdefault(_PHASES, set())
    if kind == "Submission":
        if whole or _changed(obj, _SUBMISSION_FIELDS):
            attrs = sa_inspect(obj).attrs
            was = tuple(
                (attrs[name].history.deleted or [getattr(obj, name)])[0]
                for name in ("phase_id", "team_id")
            )  # a moved submission leaves its old team's row as well
            info.setdefault(_TEAMS, set()).update({(obj.phase_id, obj.team_id), was})
            phases.update({obj.phase_id, was[0]})
    elif kind in ("Score", "FactSheetAnswers"):  # answers: shown on boards (fact_sheet_columns)
        info.setdefault(_SUBMISSIONS, set()).add(obj.submission_id)
    elif kind == "SubmissionReview":
        info.setdefault(_SUBMISSIONS, set()).add(obj.submission_id)
        phases.add(obj.phase_id)
    elif kind in _RENDER_ONLY:
        phases.add(getattr(obj, _RENDER_ONLY[kind]))
    elif kind in _EVERY_PHASE:
        phases.add(None)


def _after_flush(session: OrmSession, _context: Any) -> None:
    session.info[_WROTE] = True
    for obj in session.new:
        _note(session, obj, whole=True)
    for obj in session.deleted:
        _note(session, obj, whole=True)
    for obj in session.dirty:
        if session.is_modified(obj, include_collections=False):
            _note(session, obj, whole=False)


def _before_commit(session: OrmSession) -> None:
    session.flush()  # the commit's own flush comes after this hook: see its writes now
    teams: set[tuple[int, int]] = session.info.pop(_TEAMS, set())
    submission_ids: set[int] = session.info.pop(_SUBMISSIONS, set())
    if not teams and not submission_ids:
        return
    from jiebang.submissions.models import Submission  # the domains load after this module

    if submission_ids:
        query = select(Submission.phase_id, Submission.team_id).where(  # type: ignore[call-overload]
            Submission.id.in_(sorted(submission_ids))  # type: ignore[union-attr]
        )
        found = {(p, t) for p, t in session.connection().execute(query).all()}
        teams |= found
        session.info.setdefault(_PHASES, set()).update(p for p, _ in found)
    touched: dict[int, set[int]] = {}
    for phase_id, team_id in teams:
        if phase_id is not None and team_id is not None:
            touched.setdefault(phase_id, set()).add(team_id)
    from jiebang.leaderboards import standings

    standings.refresh_teams(db=session, touched=touched)  # type: ignore[arg-type]


def _after_commit(session: OrmSession) -> None:
    phases: set[int | None] = session.info.pop(_PHASES, set())
    session.info.pop(_WROTE, None)
    if phases:
        from jiebang.leaderboards import cache

        cache.changed(None if None in phases else {p for p in phases if p is not None})


def _after_transaction_end(session: OrmSession, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost: committed (handled above) or rolled back
        for key in (_TEAMS, _SUBMISSIONS, _PHASES, _WROTE):
            session.info.pop(key, None)


def install() -> None:
    """Watch every session (idempotent; the leaderboards package installs it on import)."""
    global _installed
    if _installed:
        return
    event.listen(OrmSession, "after_flush", _after_flush)
    event.listen(OrmSession, "before_commit", _before_commit)
    event.listen(OrmSession, "after_commit", _after_commit)
    event.listen(OrmSession, "after_transaction_end", _after_transaction_end)
    _installed = True
