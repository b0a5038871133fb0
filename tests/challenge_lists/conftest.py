"""The API fixtures of tests/platform: a real app and users of each role."""

from tests.platform.conftest import (  # noqa: F401 - fixtures
    client,
    make_user,
    organiser,
)
