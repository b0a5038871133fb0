"""Which challenge-list targets the scored submissions meet: a plain-text table for the console."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator

from sqlmodel import Session, col, select

from jiebang.challenge_lists.models import ChallengeItem, ChallengeTarget
from jiebang.contests.models import Contest, Phase, Track
from jiebang.evaluation.models import Score
from jiebang.submissions.models import Submission, SubmissionStatus
from jiebang.teams.models import Team

COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le,
    "<": operator.lt,
    ">=": operator.ge,
    ">": operator.gt,
}


def best_by_team(
    db: Session, *, track_id: int, metric: str, lower_is_better: bool
) -> dict[str, float]:
    """Each team's best current score on ``metric`` over the track's phases."""
    query = (
        select(Team.name, Score.metrics)
        .join(Submission, col(Submission.id) == col(Score.submission_id))
        .join(Team, col(Team.id) == col(Submission.team_id))
        .join(Phase, col(Phase.id) == col(Submission.phase_id))
        .where(
            Phase.track_id == track_id,
            col(Score.is_current),
            Submission.status == SubmissionStatus.scored,
        )
    )
    best: dict[str, float] = {}
    for team, metrics in db.exec(query):
        if metric not in metrics:
            continue
        value = float(metrics[metric])
        if team not in best or (value < best[team] if lower_is_better else value > best[team]):
            best[team] = value
    return best


def targets_table(*, db: Session, contest_slug: str) -> Iterator[str]:
    """One line per (target, team): met or not met / 达标 或 未达标."""
    contest = db.exec(select(Contest).where(Contest.slug == contest_slug)).first()
    if contest is None:
        return
    tracks = {t.id: t for t in db.exec(select(Track).where(Track.contest_id == contest.id))}
    query = (
        select(ChallengeItem, ChallengeTarget)
        .join(ChallengeTarget, col(ChallengeTarget.item_id) == col(ChallengeItem.id))
        .where(col(ChallengeTarget.track_id).in_(list(tracks)))
        .order_by(col(ChallengeItem.code), col(ChallengeTarget.position))
    )
    yield "targets / 指标达成情况:"
    for item, target in db.exec(query):
        track = tracks[target.track_id]
        comparator = str(target.comparator)
        best = best_by_team(
            db,
            track_id=track.id or 0,
            metric=target.metric,
            lower_is_better=comparator.startswith("<"),
        )
        rule = f"{target.metric} {comparator} {target.threshold:g}{target.unit}"
        for team, value in sorted(best.items()):
            verdict = (
                "met / 达标" if COMPARE[comparator](value, target.threshold) else "not met / 未达标"
            )
            yield f"  {item.code:<10} {rule:<22} {team:<28} {value:10.4f}  {verdict}"
