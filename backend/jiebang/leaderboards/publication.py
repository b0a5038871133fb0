"""Freezing and publishing final results: versioned, immutable snapshots with diffs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import event
from sqlmodel import Session, col, select

from jiebang.auth.models import User
from jiebang.contests import schedule
from jiebang.contests.models import Phase
from jiebang.core import csv_export, domain_events
from jiebang.core.errors import Conflict, DomainError
from jiebang.db import utcnow
from jiebang.judging import audit
from jiebang.leaderboards import fact_sheet_columns, service, ties
from jiebang.leaderboards.models import (
    DEFAULT_AWARDS,
    AwardTier,
    Leaderboard,
    PublishRequest,
    ResultVersion,
)
from jiebang.teams.models import TeamMember


@event.listens_for(ResultVersion, "before_update")
def _refuse_update(*_: Any) -> None:
    raise DomainError("immutable_record")


@event.listens_for(ResultVersion, "before_delete")
def _refuse_delete(*_: Any) -> None:
    raise DomainError("immutable_record")


def versions(*, db: Session, phase_id: int) -> list[ResultVersion]:
    """Every published version of the phase's results, oldest first."""
    return list(
        db.exec(
            select(ResultVersion)
            .where(ResultVersion.phase_id == phase_id)
            .order_by(col(ResultVersion.version))
        )
    )


def latest(*, db: Session, phase_id: int) -> ResultVersion | None:
    """The newest published version, or None."""
    return db.exec(
        select(ResultVersion)
        .where(ResultVersion.phase_id == phase_id)
        .order_by(col(ResultVersion.version).desc())
    ).first()


def freeze(*, db: Session, phase: Phase, user: User, at: datetime | None) -> Phase:
    """Freeze the participants' view at `at` (default now); refused once results are published."""
    if phase.published_at is not None:
        raise Conflict("phase", key="already_published")
    moment = at or utcnow()
    if moment.tzinfo is None:
        raise DomainError("validation_message", message="at must carry a time zone offset")
    previous = phase.freeze_at
    phase.freeze_at = moment
    db.add(phase)
    audit.record(
        db=db,
        user=user,
        action="freeze",
        phase_id=phase.id,
        details={
            "freeze_at": moment.isoformat(),
            "previous": previous.isoformat() if previous else None,
        },
    )
    db.commit()
    db.refresh(phase)
    return phase


def unfreeze(*, db: Session, phase: Phase, user: User) -> Phase:
    """Show participants live values again."""
    previous = phase.freeze_at
    phase.freeze_at = None
    db.add(phase)
    audit.record(
        db=db,
        user=user,
        action="unfreeze",
        phase_id=phase.id,
        details={"previous": previous.isoformat() if previous else None},
    )
    db.commit()
    db.refresh(phase)
    return phase


def _awarded(rows: list[dict[str, Any]], tiers: list[AwardTier]) -> None:
    position = 0
    for tier in tiers:
        for row in rows[position : position + tier.count]:
            row |= {"award": tier.label_en, "award_en": tier.label_en, "award_zh": tier.label_zh}
            if tier.prize:
                row["award_prize"] = tier.prize
        position += tier.count


def _members(db: Session, team_ids: set[int]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    if not team_ids:
        return out
    rows = db.exec(
        select(TeamMember.team_id, User.id, User.display_name)
        .join(User, col(User.id) == TeamMember.user_id)
        .where(col(TeamMember.team_id).in_(team_ids))
    ).all()
    for team_id, user_id, name in rows:
        out.setdefault(team_id, []).append({"user_id": user_id, "display_name": name})
    return out


def snapshot(*, db: Session, phase: Phase, tiers: list[AwardTier]) -> dict[str, Any]:
    """The live private (final) board with awards and team members, as plain JSON."""
    board = service.live_board(db=db, phase=phase, split=service.PRIVATE, staff=True)
    rows = [r.model_dump(mode="json", exclude={"fact_sheet"}) for r in board.rows]
    track = service.track_of(db=db, phase=phase)
    columns, primary, secondary = service.board_columns(track=track)
    ties.mark(rows, primary, secondary)
    answered = fact_sheet_columns.freeze_into(db=db, track=track, rows=rows)
    _awarded(rows, tiers)
    members = _members(db, {r["team_id"] for r in rows})
    for row in rows:
        row["members"] = members.get(row["team_id"], [])
    return {
        "columns": [c.model_dump() for c in board.columns],
        "rows": rows,
        "awards": [t.model_dump() for t in tiers],
        "fact_sheet_columns": [c.model_dump() for c in answered],
        **ties.rule(columns, primary, secondary),
    }


def _comparable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row.get(k) for k in ("rank", "submission_id", "scores", "award")}


def diff(before: dict[str, Any] | None, after: dict[str, Any]) -> list[dict[str, Any]]:
    """Per team: added, removed, or changed (rank, submission, scores or award) between versions."""
    old = {r["team_id"]: r for r in (before or {}).get("rows", [])}
    new = {r["team_id"]: r for r in after.get("rows", [])}
    changes = []
    for team_id in sorted(old.keys() | new.keys()):
        was, now = old.get(team_id), new.get(team_id)
        if was is not None and now is not None and _comparable(was) == _comparable(now):
            continue
        change = "added" if was is None else "removed" if now is None else "changed"
        changes.append(
            {
                "team_id": team_id,
                "team_name": (now or was or {}).get("team_name", ""),
                "change": change,
                "before": _comparable(was) if was else None,
                "after": _comparable(now) if now else None,
            }
        )
    return changes


def unverified_top(*, db: Session, phase: Phase) -> list[int]:
    """Submission ids among the final top K that judges have not verified yet."""
    if phase.verify_top_k <= 0:
        return []
    board = service.live_board(db=db, phase=phase, split=service.PRIVATE, staff=True)
    return [r.submission_id for r in board.rows[: phase.verify_top_k] if not r.verified]


def publish(*, db: Session, phase: Phase, user: User, body: PublishRequest) -> ResultVersion:
    """Publish the final results as a new version. Identical results with no new note return
    the current version (a retried request publishes nothing twice); a new note on identical
    results is published as a version with an empty diff, e.g. an erratum."""
    if utcnow() < phase.ends_at:
        zone = schedule.timezone_of(db, phase)
        raise Conflict(
            "phase", key="phase_not_ended", date=schedule.local_time(phase.ends_at, zone)
        )
    pending = unverified_top(db=db, phase=phase)
    if pending:
        raise Conflict(
            "phase", key="verification_pending", k=phase.verify_top_k, count=len(pending)
        )
    previous = latest(db=db, phase_id=phase.id or 0)
    tiers = body.awards if body.awards is not None else DEFAULT_AWARDS
    board = snapshot(db=db, phase=phase, tiers=tiers)
    unchanged = previous is not None and previous.board.get("rows") == board["rows"]
    if previous is not None and unchanged and body.note in ("", previous.note):
        return previous
    version = ResultVersion(
        phase_id=phase.id or 0,
        version=(previous.version if previous else 0) + 1,
        published_by=user.id,
        note=body.note,
        board=board,
        diff=diff(previous.board if previous else None, board),
    )
    db.add(version)
    if phase.published_at is None:
        phase.published_at = version.published_at
        db.add(phase)
    audit.record(
        db=db,
        user=user,
        action="publish",
        phase_id=phase.id,
        reason=body.note,
        details={
            "version": version.version,
            "changes": len(version.diff),
            "rows": len(board["rows"]),
        },
    )
    domain_events.announce(db, "results.published", phase_id=phase.id or 0, version=version.version)
    db.commit()
    db.refresh(version)
    return version


def board_from_version(*, phase: Phase, version: ResultVersion) -> Leaderboard:
    """A published version served as a private leaderboard."""
    return Leaderboard.model_validate(
        {
            "phase_id": phase.id,
            "columns": version.board.get("columns", []),
            "rows": version.board.get("rows", []),
            "split": service.PRIVATE,
            "frozen": False,
            "published": True,
            "version": version.version,
            "published_at": version.published_at,
            "awards": version.board.get("awards", []),
            "tie_rule_zh": version.board.get("tie_rule_zh"),
            "tie_rule_en": version.board.get("tie_rule_en"),
            "fact_sheet_columns": version.board.get("fact_sheet_columns", []),
        }
    )


def answers_frozen(version: ResultVersion) -> bool:
    """Whether the version holds its fact-sheet answers (versions published before answers
    were frozen into the snapshot have them joined when served)."""
    return "fact_sheet_columns" in version.board


def _answer_cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def to_csv(version: ResultVersion) -> str:
    """The version as CSV: rank, team, submission, award and prize, one column per score,
    submission time, then one ``fact_sheet.<key>`` column per fact-sheet question the board
    shows; every typed text (answers included) neutralised against spreadsheet formulas."""
    keys = [c["key"] for c in version.board.get("columns", [])]
    asked = [str(c["key"]) for c in version.board.get("fact_sheet_columns", [])]
    header = ["rank", "team_id", "team_name", "submission_id", "award_zh", "award_en", "prize",
              *keys, "submitted_at", *(f"fact_sheet.{k}" for k in asked)]  # fmt: skip
    rows = (
        [
            row["rank"],
            row["team_id"],
            row["team_name"],
            row["submission_id"],
            row.get("award_zh") or "",
            row.get("award_en") or "",
            row.get("award_prize") or "",
            *("" if row.get("scores", {}).get(k) is None else row["scores"][k] for k in keys),
            row["submitted_at"],
            *(_answer_cell(row.get("fact_sheet", {}).get(k)) for k in asked),
        ]
        for row in version.board.get("rows", [])
    )
    return csv_export.to_csv(header, rows)
