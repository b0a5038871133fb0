"""The public hall of fame."""

from __future__ import annotations

from fastapi import APIRouter

from jiebang.auth.dependencies import SessionDep
from jiebang.halloffame import service
from jiebang.leaderboards.models import HallOfFameEntry

public_router = APIRouter(tags=["hall of fame"])


@public_router.get("/hall-of-fame", response_model=list[HallOfFameEntry])
def read_hall_of_fame(db: SessionDep) -> object:
    """Awarded placements of every published edition, and 揭榜挂帅 items accepted (验收)."""
    return service.placements(db=db, awarded_only=True)


@public_router.get("/hall-of-fame/teams/{team_id}", response_model=list[HallOfFameEntry])
def read_team_record(team_id: int, db: SessionDep) -> object:
    """One team's published placements and awards."""
    return service.for_team(db=db, team_id=team_id)


@public_router.get("/hall-of-fame/people/{user_id}", response_model=list[HallOfFameEntry])
def read_person_record(user_id: int, db: SessionDep) -> object:
    """One person's published placements and awards, across teams and editions."""
    return service.for_person(db=db, user_id=user_id)
