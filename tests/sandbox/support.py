"""Shared settings for the sandbox suite."""

from __future__ import annotations

import pytest

from jiebang.sandbox import SandboxLimits, bubblewrap_available
from jiebang.sandbox.limits import MIB

TEST_LIMITS = SandboxLimits(
    cpu_seconds=1,
    wall_seconds=3,
    memory_bytes=128 * MIB,
    max_processes=16,
    max_open_files=64,
    output_bytes=8 * MIB,
    tmp_bytes=4 * MIB,
    log_bytes_kept=4096,
)

needs_bwrap = pytest.mark.skipif(not bubblewrap_available(), reason="bubblewrap is unusable here")
