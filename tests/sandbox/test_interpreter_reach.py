"""The sandbox uid must reach the platform's interpreter; the status says so when it cannot."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from jiebang.sandbox.status import interpreter_problem

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0, reason="the sandbox drops to another uid only as root"
)


def test_the_running_interpreter_is_reachable() -> None:
    assert interpreter_problem() is None


@pytest.fixture
def open_folder() -> Iterator[Path]:
    """A scratch folder others may search (pytest's own tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="jiebang-reach-", dir="/tmp"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


def test_an_interpreter_under_a_private_folder_is_named(open_folder: Path) -> None:
    private = open_folder / "home"
    (private / "bin").mkdir(parents=True)
    python = private / "bin" / "python3"
    shutil.copy(sys.executable, python)
    private.chmod(0o700)
    problem = interpreter_problem(str(python))
    assert problem is not None
    assert str(private) in problem and "not searchable by others" in problem
    private.chmod(0o755)
    assert interpreter_problem(str(python)) is None
