"""Judging tests share the leaderboard fixtures: the app with the test evaluator, a fresh board cache."""

from ..leaderboards.conftest import (  # noqa: F401
    client,
    fixture_evaluators,
    fresh_board_cache,
    judge,
    make_user,
    organiser,
    participant,
)
