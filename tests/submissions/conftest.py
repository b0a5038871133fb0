from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from jiebang.config import REPO_ROOT, get_settings
from jiebang.main import create_app

from ..platform.conftest import judge, make_user, organiser, participant  # noqa: F401
from .helpers import FIXTURE_EVALUATORS


@pytest.fixture
def client(fixture_evaluators: None) -> Iterator[TestClient]:
    with TestClient(create_app(), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def fixture_evaluators(platform_env: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The built-in evaluators plus the test-only line_scores plugin (an organiser's own)."""
    monkeypatch.setenv(
        "JIEBANG_EVALUATORS_DIRS",
        json.dumps([str(REPO_ROOT / "evaluators"), str(FIXTURE_EVALUATORS)]),
    )
    monkeypatch.setenv("JIEBANG_EMBEDDED_WORKERS", "0")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
