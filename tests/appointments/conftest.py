"""The API fixtures of tests/platform: a real app and users of each role."""

from tests.platform.conftest import (  # noqa: F401 - fixtures
    client,
    judge,
    make_user,
    organiser,
    participant,
    published_contest,
)
from tests.platform.test_migrations import empty_database  # noqa: F401 - fixture
