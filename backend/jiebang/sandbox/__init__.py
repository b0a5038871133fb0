"""Sandboxed evaluation runtime: bubblewrap isolation, cgroup limits, fixed result records."""

from jiebang.sandbox.limits import (
    RUN_STAGE_DEFAULTS,
    SCORE_STAGE_DEFAULTS,
    InvalidLimitsError,
    SandboxLimits,
)
from jiebang.sandbox.mounts import Mount, platform_runtime_mounts, runtime_env
from jiebang.sandbox.outputs import UnsafeOutputError, safe_collect_outputs
from jiebang.sandbox.result import SandboxResult
from jiebang.sandbox.runner import run_sandboxed
from jiebang.sandbox.status import (
    SandboxUnavailable,
    bubblewrap_available,
    require_isolation,
    sandbox_status,
)

__all__ = [
    "RUN_STAGE_DEFAULTS",
    "SCORE_STAGE_DEFAULTS",
    "InvalidLimitsError",
    "Mount",
    "SandboxLimits",
    "SandboxResult",
    "SandboxUnavailable",
    "UnsafeOutputError",
    "bubblewrap_available",
    "platform_runtime_mounts",
    "require_isolation",
    "run_sandboxed",
    "runtime_env",
    "safe_collect_outputs",
    "sandbox_status",
]
