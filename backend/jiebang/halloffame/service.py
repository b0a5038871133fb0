"""Placements and awards across editions, read from published result versions only."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from jiebang.acceptance.models import ACCEPTED_OUTCOMES, AcceptanceDecision, Outcome
from jiebang.challenge_lists.models import (
    Application,
    ChallengeItem,
    ChallengeList,
    ListStatus,
)
from jiebang.contests.models import Contest, Phase, PublicationStatus, Track
from jiebang.leaderboards.models import HallOfFameEntry, ResultVersion
from jiebang.organisations import service as org_service
from jiebang.organisations.models import Organisation
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
    out.extend(_challenge_acceptances(db))
    return sorted(out, key=lambda e: (-e.year, e.contest_id or 0, e.phase_id or 0, e.rank or 0))


def _challenge_acceptances(db: Session) -> list[HallOfFameEntry]:
    """揭榜挂帅: each appointee accepted (验收) on an item of a published (or closed) list,
    counted for its applicant unit (or, for an application from before units, its team); an
    item with several accepted appointees counts once for each."""
    rows = db.exec(
        select(AcceptanceDecision, Application, ChallengeItem, ChallengeList)
        .join(Application, col(Application.id) == AcceptanceDecision.application_id)
        .join(ChallengeItem, col(ChallengeItem.id) == AcceptanceDecision.item_id)
        .join(ChallengeList, col(ChallengeList.id) == ChallengeItem.list_id)
        .where(
            col(AcceptanceDecision.outcome).in_(ACCEPTED_OUTCOMES),
            ChallengeList.status != ListStatus.draft,
        )
    ).all()
    out = []
    for decision, app, item, found in rows:
        unit = db.get(Organisation, app.applicant_org_id) if app.applicant_org_id else None
        team = db.get(Team, app.team_id) if app.team_id else None
        conditional = decision.outcome == Outcome.accepted_with_conditions
        out.append(
            HallOfFameEntry(
                kind="challenge",
                year=found.year,
                item_id=item.id,
                item_title_zh=item.title_zh,
                item_title_en=item.title_en,
                team_id=team.id or 0 if team else 0,
                team_name=team.name if team else (unit.name_zh if unit else app.lead_name),
                organisation_id=unit.id if unit else None,
                organisation_name_zh=unit.name_zh if unit else None,
                organisation_name_en=unit.name_en if unit else None,
                award="Accepted (验收)",
                award_zh="有条件通过验收" if conditional else "通过验收",
                award_en="Accepted with conditions" if conditional else "Accepted",
            )
        )
    return out


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
        or (
            e.organisation_id is not None
            and org_service.is_member(db=db, organisation_id=e.organisation_id, user_id=user_id)
        )
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
