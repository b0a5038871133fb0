"""Every router in one place. Routes are authenticated unless they come from a public_router."""

from __future__ import annotations

from fastapi import Depends, FastAPI

from jiebang.acceptance.router import router as acceptance_router
from jiebang.appointments.router import public_router as appointments_public
from jiebang.appointments.router import router as appointments_router
from jiebang.artifacts.router import router as artifacts_router
from jiebang.auth.dependencies import current_user
from jiebang.auth.router import public_router as auth_public
from jiebang.auth.router import router as auth_router
from jiebang.bundles.router import public_router as bundles_public
from jiebang.bundles.router import router as bundles_router
from jiebang.challenge_lists.router import public_router as lists_public
from jiebang.challenge_lists.router import router as lists_router
from jiebang.challenge_lists.unit_router import router as unit_applications_router
from jiebang.contests.router import public_router as contests_public
from jiebang.contests.router import router as contests_router
from jiebang.core.request_checks import refuse_unstorable_input
from jiebang.evaluation.health import router as health_router
from jiebang.evaluation.holds_router import router as holds_router
from jiebang.evaluation.router import router as worker_router
from jiebang.exports.router import router as exports_router
from jiebang.fact_sheets.router import router as fact_sheets_router
from jiebang.halloffame.router import public_router as halloffame_public
from jiebang.integrity.router import router as integrity_router
from jiebang.judging.router import public_router as judging_public
from jiebang.judging.router import router as judging_router
from jiebang.leaderboards.router import public_router as leaderboards_public
from jiebang.leaderboards.router import router as leaderboards_router
from jiebang.notifications.router import router as notifications_router
from jiebang.organisations.contest_roles import router as contest_roles_router
from jiebang.organisations.router import public_router as organisations_public
from jiebang.organisations.router import router as organisations_router
from jiebang.phase_migration.router import router as phase_migration_router
from jiebang.readiness.router import router as readiness_router
from jiebang.reviews.router import router as reviews_router
from jiebang.staged_uploads.router import router as staged_uploads_router
from jiebang.submissions.detailed_results import router as detailed_results_router
from jiebang.submissions.router import router as submissions_router
from jiebang.submissions.sequence_router import router as sequence_results_router
from jiebang.teams.router import public_router as teams_public
from jiebang.teams.router import router as teams_router

API_PREFIX = "/api/v1"

PUBLIC_ROUTERS = (
    leaderboards_public,  # the most-read route first: routes are matched in order
    auth_public,
    contests_public,
    teams_public,
    lists_public,
    judging_public,
    halloffame_public,
    bundles_public,
    organisations_public,
    appointments_public,
)
AUTHENTICATED_ROUTERS = (
    auth_router,
    contests_router,
    teams_router,
    lists_router,
    submissions_router,
    detailed_results_router,
    fact_sheets_router,
    sequence_results_router,
    leaderboards_router,
    judging_router,
    integrity_router,
    bundles_router,
    health_router,
    holds_router,
    artifacts_router,
    readiness_router,
    staged_uploads_router,
    organisations_router,
    contest_roles_router,
    unit_applications_router,
    reviews_router,
    appointments_router,
    acceptance_router,
    notifications_router,
    exports_router,
    phase_migration_router,
)


def include_api(app: FastAPI) -> None:
    """Mount every domain router directly under /api/v1.

    One level of inclusion, not a tree of routers: FastAPI matches included routers lazily,
    level by level, and each level added measurable time to every request.
    """
    checked = [Depends(refuse_unstorable_input)]  # NUL in text, integers beyond 64 bits
    for domain_router in PUBLIC_ROUTERS:
        app.include_router(domain_router, prefix=API_PREFIX, dependencies=checked)
    for domain_router in AUTHENTICATED_ROUTERS:
        app.include_router(
            domain_router, prefix=API_PREFIX, dependencies=[Depends(current_user), *checked]
        )
    app.include_router(worker_router, prefix=API_PREFIX)  # the worker token authenticates these
