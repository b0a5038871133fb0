"""Runtimes: what a program runs in (platform | python | oci), built once and cached by content.

The worker calls :func:`prepare` and hands the result's root, mounts and environment to
the sandbox; the sandbox never learns what a runtime is (docs/runtimes.md).
"""

from jiebang.runtimes.prepared import (
    PreparedRuntime,
    RuntimeBuildFailed,
    RuntimeFailed,
    RuntimeRejected,
    RuntimeUnavailable,
)
from jiebang.runtimes.service import RuntimeState, prepare, runtime_state
from jiebang.runtimes.spec import (
    OciRuntime,
    PlatformRuntime,
    PythonRuntime,
    RuntimeSpec,
    parse_runtime_spec,
    stamp_exclude_newer,
)

__all__ = [
    "OciRuntime",
    "PlatformRuntime",
    "PreparedRuntime",
    "PythonRuntime",
    "RuntimeBuildFailed",
    "RuntimeFailed",
    "RuntimeRejected",
    "RuntimeSpec",
    "RuntimeState",
    "RuntimeUnavailable",
    "parse_runtime_spec",
    "prepare",
    "runtime_state",
    "stamp_exclude_newer",
]
