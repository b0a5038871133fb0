"""Placements and awards across editions, read from published result versions only."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from jiebang.challenge_lists.models import (
    Application,
    ApplicationStatus,
    ChallengeItem,
    ChallengeList,
    ListStatus,
)
from jiebang.contests.models import Contest, Phase, PublicationStatus, Track
from jiebang.leaderboards.models import HallOfFameEntry, ResultVersion
from jiebang.teams.models import Team, TeamMember


def _latest_versions(db: Session) -> list[tuple[ResultVersion, Phase, Track, Contest]]:
    rows = db.exec(
        select(ResultVersion, Phase, Track, Contest)
        .join(Phase, col(Phase.id) == ResultVersion.phase_id)
        .join(Track, col(Track.id) == Phase.track_id)
        .join(Contest, col(Contest.id) == Track.contest_id)
        .where(Contest.status == PublicationStatus.published)
        .order_by(col(ResultVersion.version))
    ).all()
    latest: dict[int, tuple[ResultVersion, Phase, Track, Contest]] = {}
    for row in rows:
        latest[row[0].phase_id] = row  # ascending versions: the last one wins
    return list(latest.values())


def _contest_entry(
    row: dict[str, Any], phase: Phase, track: Track, contest: Contest
) -> HallOfFameEntry:
    return HallOfFameEntry(
        kind="contest",
        year=contest.year,
        contest_id=contest.id,
        contest_title_zh=contest.title_zh,
        contest_title_en=contest.title_en,
        edition=contest.edition,
        track_title_zh=track.title_zh,
        track_title_en=track.title_en,
        phase_id=phase.id,
        team_id=row["team_id"],
        team_name=row["team_name"],
        rank=row["rank"],
        award=row.get("award"),
        award_zh=row.get("award_zh"),
        award_en=row.get("award_en"),
        award_prize=row.get("award_prize"),
        members=list(row.get("members", [])),
    )


def placements(*, db: Session, awarded_only: bool) -> list[HallOfFameEntry]:
    """Every placement (or only awarded ones) in published results, newest year first."""
    out = []
    for version, phase, track, contest in _latest_versions(db):
        for row in version.board.get("rows", []):
            if awarded_only and not row.get("award"):
                continue
            out.append(_contest_entry(row, phase, track, contest))
    out.extend(_challenge_awards(db))
    return sorted(out, key=lambda e: (-e.year, e.contest_id or 0, e.phase_id or 0, e.rank or 0))


def _challenge_awards(db: Session) -> list[HallOfFameEntry]:
    """揭榜挂帅: applications awarded on a published (or closed) list."""
    rows = db.exec(
        select(Application, ChallengeItem, ChallengeList, Team)
        .join(ChallengeItem, col(ChallengeItem.id) == Application.item_id)
        .join(ChallengeList, col(ChallengeList.id) == ChallengeItem.list_id)
        .join(Team, col(Team.id) == Application.team_id)
        .where(
            Application.status == ApplicationStatus.awarded,
            ChallengeList.status != ListStatus.draft,
        )
    ).all()
    return [
        HallOfFameEntry(
            kind="challenge",
            year=found.year,
            item_id=item.id,
            item_title_zh=item.title_zh,
            item_title_en=item.title_en,
            team_id=team.id or 0,
            team_name=team.name,
            award="Awarded (挂帅)",
            award_zh="挂帅",
            award_en="Awarded",
        )
        for _, item, found, team in rows
    ]


def for_team(*, db: Session, team_id: int) -> list[HallOfFameEntry]:
    """Every published placement and award of one team."""
    return [e for e in placements(db=db, awarded_only=False) if e.team_id == team_id]


def for_person(*, db: Session, user_id: int) -> list[HallOfFameEntry]:
    """Every published placement of the teams a person was in when the results were published."""
    return [
        e
        for e in placements(db=db, awarded_only=False)
        if any(m.get("user_id") == user_id for m in e.members)
        or (e.kind == "challenge" and _member(db, e.team_id, user_id))
    ]


def _member(db: Session, team_id: int, user_id: int) -> bool:
    return (
        db.exec(
            select(TeamMember.id).where(
                TeamMember.team_id == team_id, TeamMember.user_id == user_id
            )
        ).first()
        is not None
    )
