"""The team's submission list: each row with the public-split values of the board's columns."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, SQLModel, col, select

from jiebang.contests.models import Phase, Track
from jiebang.core.i18n import Locale
from jiebang.evaluation import registry
from jiebang.evaluation.models import Score
from jiebang.leaderboards import publication, ranking
from jiebang.submissions import views
from jiebang.submissions.models import Submission, SubmissionRow


def board_columns(track: Track) -> tuple[list[ranking.Column], str | None]:
    """The leaderboard's columns (in its order) and primary key; none if misconfigured."""
    spec = registry.describe(track.evaluator_key, track.evaluator_version) or {}
    try:
        columns, primary, _ = ranking.columns_for(spec, track.leaderboard or {})
    except ranking.BoardConfigError:
        return [], None
    return columns, primary


def team_rows(
    db: Session, *, phase: Phase, subs: list[Submission], locale: Locale
) -> list[SubmissionRow]:
    """Rows as the team sees them: status, public scores, localised failure, its note."""
    track = db.get(Track, phase.track_id)
    assert track is not None
    columns, primary = board_columns(track)
    ids = [s.id or 0 for s in subs]
    scores = (
        {
            s.submission_id: s
            for s in db.exec(
                select(Score).where(col(Score.submission_id).in_(ids), col(Score.is_current))
            )
        }
        if ids
        else {}
    )
    reviews = views.reviews_of(db, ids)
    rows = []
    for sub in subs:
        public = views.to_public(sub, reviews.get(sub.id or 0), locale)
        score = scores.get(sub.id or 0)
        values = (
            ranking.values_of(
                columns, views.public_scores(score, phase), views.public_items(score, phase)
            )
            if score is not None
            else {}
        )
        rows.append(
            SubmissionRow.model_validate(
                public.model_dump() | {"scores": values, "primary_metric": primary}
            )
        )
    return rows


class FinalStanding(SQLModel):
    """The team's place in the latest published final results (private split)."""

    published: bool
    version: int | None = None
    published_at: datetime | None = None
    ranked: bool = False  # False: published, but the team has no ranked entry
    rank: int | None = None
    shared_rank: int | None = None
    tied: bool = False
    tie_break: str | None = None
    submission_id: int | None = None
    scores: dict[str, float | None] = {}
    verified: bool = False
    award_zh: str | None = None
    award_en: str | None = None
    award_prize: str | None = None
    teams: int = 0  # how many teams were ranked
    tie_rule_zh: str | None = None
    tie_rule_en: str | None = None


def final_standing(db: Session, *, phase: Phase, team_id: int) -> FinalStanding:
    """The team's final rank, award and prize, once the phase's results are published."""
    version = publication.latest(db=db, phase_id=phase.id or 0)
    if version is None:
        return FinalStanding(published=False)
    board = version.board
    out = FinalStanding(
        published=True,
        version=version.version,
        published_at=version.published_at,
        teams=len(board.get("rows", [])),
        tie_rule_zh=board.get("tie_rule_zh"),
        tie_rule_en=board.get("tie_rule_en"),
    )
    row = next((r for r in board.get("rows", []) if r.get("team_id") == team_id), None)
    if row is None:
        return out
    return out.model_copy(
        update={
            "ranked": True,
            "rank": row.get("rank"),
            "shared_rank": row.get("shared_rank", row.get("rank")),
            "tied": bool(row.get("tied")),
            "tie_break": row.get("tie_break"),
            "submission_id": row.get("submission_id"),
            "scores": dict(row.get("scores", {})),
            "verified": bool(row.get("verified")),
            "award_zh": row.get("award_zh"),
            "award_en": row.get("award_en"),
            "award_prize": row.get("award_prize"),
        }
    )
