"""The app with the test evaluator and a fresh board cache (tests/leaderboards), users of each
role, and the loopback SMTP server of tests/notifications."""

from tests.leaderboards.conftest import (  # noqa: F401 - fixtures
    client,
    fixture_evaluators,
    fresh_board_cache,
    judge,
    make_user,
    organiser,
    participant,
)
from tests.notifications.conftest import smtp, smtp_settings  # noqa: F401 - fixtures
