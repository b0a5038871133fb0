"""The fact-sheet questions a track shows on its leaderboard (Codabench ``is_on_leaderboard``),
and each row's answers, joined when a live board is rendered and frozen into a published
version (publication.py), whose CSV export carries them too.

A row's answers are those given with the row's ranked submission: the row already names that
submission, so its answers reveal nothing the row does not. Answers are given only while a
submission uploads, before it can rank, so a rendered board never holds an answer that later
changes; tracking.py still drops the phase's rendered boards if one is written.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from jiebang.contests.models import Track
from jiebang.fact_sheets import service as fact_sheets
from jiebang.leaderboards.models import FactSheetColumn, Leaderboard


def shown_questions(track: Track) -> list[dict[str, Any]]:
    """The track's questions marked for the leaderboard, in the fact sheet's order."""
    return [q for q in fact_sheets.questions(track) if q.get("on_leaderboard")]


def columns(track: Track) -> list[FactSheetColumn]:
    return [
        FactSheetColumn(
            key=str(q["key"]),
            title=str(q.get("title") or q["key"]),
            type=str(q.get("type") or "text"),
        )
        for q in shown_questions(track)
    ]


def answers_by_row(
    *, db: Session, track: Track, submission_ids: list[int]
) -> tuple[list[FactSheetColumn], dict[int, dict[str, Any]]]:
    """The board's fact-sheet columns and, per submission, its answers to those alone."""
    shown = columns(track)
    if not shown or not submission_ids:
        return shown, {}
    keys = [c.key for c in shown]
    given = fact_sheets.answers_of(db=db, submission_ids=submission_ids)
    return shown, {
        sub_id: {k: answers[k] for k in keys if k in answers} for sub_id, answers in given.items()
    }


def attach_to_data(*, db: Session, track: Track, data: dict[str, Any]) -> None:
    """Add the columns and each row's answers to a board in plain values (views.py)."""
    rows: list[dict[str, Any]] = data["rows"]
    shown, answers = answers_by_row(
        db=db, track=track, submission_ids=[r["submission_id"] for r in rows]
    )
    data["fact_sheet_columns"] = [c.model_dump() for c in shown]
    for row in rows:
        row["fact_sheet"] = answers.get(row["submission_id"], {})


def attach_to_board(*, db: Session, track: Track, board: Leaderboard) -> None:
    """The same for a board model (a published version served as the private board)."""
    shown, answers = answers_by_row(
        db=db, track=track, submission_ids=[r.submission_id for r in board.rows]
    )
    board.fact_sheet_columns = shown
    for row in board.rows:
        row.fact_sheet = answers.get(row.submission_id, {})


def freeze_into(*, db: Session, track: Track, rows: list[dict[str, Any]]) -> list[FactSheetColumn]:
    """Write each snapshot row's answers into it (``fact_sheet``) and return the columns;
    rows stay as they were when the board shows no question, so that a track without a
    fact sheet publishes the snapshot it always did."""
    shown, answers = answers_by_row(
        db=db, track=track, submission_ids=[r["submission_id"] for r in rows]
    )
    if shown:
        for row in rows:
            row["fact_sheet"] = answers.get(row["submission_id"], {})
    return shown
