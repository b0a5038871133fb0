from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from jiebang.runtimes.config import get_runtime_settings

from ..platform.conftest import judge, make_user, organiser, participant  # noqa: F401
from ..submissions.conftest import client, fixture_evaluators  # noqa: F401

# Built python runtimes are keyed by content, so every run on this machine may share them.
RUNTIME_CACHE = Path(tempfile.gettempdir()) / "jiebang-test-runtimes"


@pytest.fixture
def shared_runtimes(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("JIEBANG_RUNTIME_CACHE_DIR", str(RUNTIME_CACHE))
    get_runtime_settings.cache_clear()
    yield RUNTIME_CACHE
    get_runtime_settings.cache_clear()
