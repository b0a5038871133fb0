"""A scoring program's detailed results page (Codabench's ``detailed_results.html``).

The page is the organiser's program's output, so it is never trusted: it is served with a
CSP that sandboxes it (an opaque origin, no scripts, no requests out, no forms), and the
submission page shows it in an ``<iframe sandbox>`` from ``srcdoc``. Only the team that
submitted and the staff may read it.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from sqlmodel import col, select

from jiebang.auth.dependencies import CurrentUser, SessionDep
from jiebang.core.errors import NotFound
from jiebang.evaluation.models import Score
from jiebang.organisations.permissions import is_contest_staff
from jiebang.submissions import service
from jiebang.submissions.models import Submission

router = APIRouter(tags=["submissions"])

PAGE_POLICY = (
    "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "font-src data:; form-action 'none'; frame-ancestors 'self'; base-uri 'none'"
)


@router.get("/submissions/{submission_id}/detailed-results", response_class=HTMLResponse)
def read_detailed_results(submission_id: int, user: CurrentUser, db: SessionDep) -> HTMLResponse:
    """The current score's detailed results page, sandboxed by its CSP; 404 when none."""
    if db.get(Submission, submission_id) is None:
        raise NotFound("submission")
    if not is_contest_staff(db, user, {"submission_id": submission_id}):
        service.get_for_member(db=db, submission_id=submission_id, user=user)
    score = db.exec(
        select(Score)
        .where(Score.submission_id == submission_id, col(Score.is_current))
        .order_by(col(Score.id).desc())
    ).first()
    if score is None or not score.detailed_results_html:
        raise NotFound("detailed results")
    return HTMLResponse(
        score.detailed_results_html,
        headers={
            "Content-Security-Policy": PAGE_POLICY,
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )
