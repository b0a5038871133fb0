"""Shared by the queue and upload benchmarks: a real `jiebang serve` and helpers to drive it."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.scaleout.live import BIN, Live, free_port, kill_tree, start  # noqa: E402
from tests.submissions.helpers import submit  # noqa: E402

__all__ = ["BIN", "Live", "free_port", "kill_tree", "start", "submit"]
