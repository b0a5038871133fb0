"""揭榜挂帅 targets checked against verified scores of the linked track.

Only verified, not disqualified submissions of phases whose results are published count,
read on the final (private) split. Unpublished phases count not at all: which submissions
judges verified before publication would hint at the private order.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable

from sqlmodel import Session, col, select

from jiebang.challenge_lists import service as list_service
from jiebang.challenge_lists.models import ChallengeItem, ChallengeTarget, ListStatus
from jiebang.contests.models import Phase
from jiebang.core.errors import NotFound
from jiebang.evaluation.models import Score
from jiebang.judging.models import SubmissionReview
from jiebang.leaderboards.models import TargetResult
from jiebang.submissions.models import Submission
from jiebang.teams.models import Team

COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le,
    "<": operator.lt,
    ">=": operator.ge,
    ">": operator.gt,
}


def margin(*, comparator: str, threshold: float, value: float) -> float:
    """How far the value is on the good side of the threshold (negative: short of it)."""
    return threshold - value if comparator in ("<=", "<") else value - threshold


def get_public_item(*, db: Session, item_id: int) -> ChallengeItem:
    """An item of a published (or closed) list; 404 otherwise."""
    item = list_service.get_item(db=db, item_id=item_id, include_drafts=False)
    found = list_service.get_list(db=db, list_id=item.list_id, include_drafts=False)
    if found.status == ListStatus.draft:
        raise NotFound("challenge item")
    return item


def _candidates(
    db: Session, *, track_id: int, team_id: int, metric: str
) -> list[tuple[float, int, int, str]]:
    """(value, submission id, phase id, split) of the team's verified scores on the track."""
    rows = db.exec(
        select(Submission, Score, Phase)
        .join(Score, col(Score.submission_id) == Submission.id)
        .join(Phase, col(Phase.id) == Submission.phase_id)
        .join(SubmissionReview, col(SubmissionReview.submission_id) == Submission.id)
        .where(
            Phase.track_id == track_id,
            Submission.team_id == team_id,
            col(Score.is_current),
            col(SubmissionReview.verified),
            col(SubmissionReview.disqualified).is_(False),
            col(Submission.withdrawn_at).is_(None),
            col(Phase.published_at).is_not(None),
        )
    ).all()
    out = []
    for sub, score, phase in rows:
        if phase.private_item_ids:
            split = "private"
            metrics = score.metrics_by_split.get(split, {})
        else:
            split, metrics = "all", score.metrics
        value = metrics.get(metric)
        if isinstance(value, int | float) and math.isfinite(value):
            out.append((float(value), sub.id or 0, phase.id or 0, split))
    return out


def targets_met(*, db: Session, item: ChallengeItem) -> list[TargetResult]:
    """For each applicant team and each target: met or not, by which submission, by how much."""
    targets = list(
        db.exec(
            select(ChallengeTarget)
            .where(ChallengeTarget.item_id == item.id)
            .order_by(col(ChallengeTarget.position))
        )
    )
    teams = [
        db.get(Team, a.team_id)
        for a in list_service.applications_for_item(db=db, item_id=item.id or 0)
        if a.team_id is not None  # a unit's application to an item not scored on tracks
    ]
    results = []
    for team in (t for t in teams if t is not None):
        for target in targets:
            comparator = str(target.comparator)
            best: tuple[float, int, int, str] | None = None
            if target.track_id is not None:
                found = _candidates(
                    db, track_id=target.track_id, team_id=team.id or 0, metric=target.metric
                )
                if found:
                    best = max(
                        found,
                        key=lambda c: (
                            margin(comparator=comparator, threshold=target.threshold, value=c[0]),
                            -c[1],
                        ),
                    )
            results.append(
                TargetResult(
                    target_id=target.id or 0,
                    metric=target.metric,
                    comparator=comparator,
                    threshold=target.threshold,
                    unit=target.unit,
                    track_id=target.track_id,
                    team_id=team.id or 0,
                    team_name=team.name,
                    met=best is not None and COMPARE[comparator](best[0], target.threshold),
                    value=best[0] if best else None,
                    margin=margin(comparator=comparator, threshold=target.threshold, value=best[0])
                    if best
                    else None,
                    submission_id=best[1] if best else None,
                    phase_id=best[2] if best else None,
                    split=best[3] if best else None,
                )
            )
    return results
