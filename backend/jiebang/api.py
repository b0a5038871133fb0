"""Every router in one place. Routes are authenticated unless they come from a public_router."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from jiebang.auth.dependencies import current_user
from jiebang.auth.router import public_router as auth_public
from jiebang.auth.router import router as auth_router
from jiebang.bundles.router import public_router as bundles_public
from jiebang.bundles.router import router as bundles_router
from jiebang.challenge_lists.router import public_router as lists_public
from jiebang.challenge_lists.router import router as lists_router
from jiebang.contests.router import public_router as contests_public
from jiebang.contests.router import router as contests_router
from jiebang.evaluation.health import router as health_router
from jiebang.evaluation.router import router as worker_router
from jiebang.halloffame.router import public_router as halloffame_public
from jiebang.judging.router import public_router as judging_public
from jiebang.judging.router import router as judging_router
from jiebang.leaderboards.router import public_router as leaderboards_public
from jiebang.leaderboards.router import router as leaderboards_router
from jiebang.submissions.router import router as submissions_router
from jiebang.teams.router import public_router as teams_public
from jiebang.teams.router import router as teams_router

API_PREFIX = "/api/v1"

authenticated = APIRouter(dependencies=[Depends(current_user)])
for domain_router in (
    auth_router,
    contests_router,
    teams_router,
    lists_router,
    submissions_router,
    leaderboards_router,
    judging_router,
    bundles_router,
    health_router,
):
    authenticated.include_router(domain_router)

public = APIRouter()
for domain_router in (
    auth_public,
    contests_public,
    teams_public,
    lists_public,
    leaderboards_public,
    judging_public,
    halloffame_public,
    bundles_public,
):
    public.include_router(domain_router)

api_router = APIRouter(prefix=API_PREFIX)
api_router.include_router(public)
api_router.include_router(authenticated)
api_router.include_router(worker_router)  # authenticated by the worker token instead
