"""Fixtures for the sandbox suite: real bwrap, real programs, small limits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from jiebang.sandbox import SandboxLimits
from jiebang.sandbox.selftest import AttackBench, attack_bench
from tests.sandbox.support import TEST_LIMITS


@pytest.fixture(scope="module")
def bench() -> Iterator[AttackBench]:
    """Host fixtures (reference data, another team's files, a canary process)."""
    with attack_bench() as created:
        yield created


@pytest.fixture
def limits() -> SandboxLimits:
    return TEST_LIMITS


@pytest.fixture
def output_dir(tmp_path: Path) -> Path:
    path = tmp_path / "output"
    path.mkdir()
    return path
