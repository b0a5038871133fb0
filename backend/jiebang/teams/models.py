"""Teams: one per contest per person, joined by invite code."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from jiebang.auth.identity import SafeName
from jiebang.db import UTCDateTime, utcnow


class Team(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("contest_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contest.id", index=True)
    name: str = Field(max_length=80)
    captain_id: int = Field(foreign_key="user.id")
    invite_code: str = Field(max_length=32, unique=True)
    size_limit: int
    approved: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TeamMember(SQLModel, table=True):
    __tablename__ = "team_member"
    # contest_id is repeated here so the database itself enforces one team per person per contest.
    __table_args__ = (UniqueConstraint("contest_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    contest_id: int = Field(foreign_key="contest.id")
    user_id: int = Field(foreign_key="user.id", index=True)
    joined_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TeamCreate(SQLModel):
    name: SafeName = Field(min_length=1, max_length=80)


class TeamJoin(SQLModel):
    invite_code: str = Field(min_length=6, max_length=32)


class MemberPublic(SQLModel):
    user_id: int
    display_name: str
    is_captain: bool


class TeamPublic(SQLModel):
    id: int
    contest_id: int
    name: str
    approved: bool
    members: list[MemberPublic] = []


class TeamPrivate(TeamPublic):
    """What the team's own members see: includes the invite code."""

    invite_code: str
    size_limit: int
    captain_id: int
