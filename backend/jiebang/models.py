"""Imports every table so that metadata (Alembic, tests) sees the whole schema."""

from jiebang.auth.models import User
from jiebang.challenge_lists.models import Application, ChallengeItem, ChallengeList, ChallengeTarget
from jiebang.contests.models import Contest, Phase, Track
from jiebang.storage.models import StoredObject
from jiebang.teams.models import Team, TeamMember

__all__ = [
    "Application",
    "ChallengeItem",
    "ChallengeList",
    "ChallengeTarget",
    "Contest",
    "Phase",
    "StoredObject",
    "Team",
    "TeamMember",
    "Track",
    "User",
]
