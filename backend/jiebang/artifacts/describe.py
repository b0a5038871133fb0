"""Describe a Jiebang evaluator by running ``jiebang_eval.describe`` in the sandbox.

The platform never imports an evaluator: a missing ``SPEC``, a syntax error or an import
of something the runtime lacks all come back as the describe run's stderr.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from jiebang.sandbox import SCORE_STAGE_DEFAULTS, Mount, run_sandboxed
from jiebang.sandbox.mounts import platform_runtime_mounts, runtime_env, runtime_python

EVALUATOR_TARGET = "/evaluator"
DESCRIBE_LIMITS = dataclasses.replace(
    SCORE_STAGE_DEFAULTS,
    cpu_seconds=60.0,
    wall_seconds=90.0,
    memory_bytes=2 * 1024**3,
    log_bytes_kept=1024 * 1024,
)


class DescribeFailed(ValueError):
    """The evaluator could not be described; ``detail`` is what it printed."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def describe_in_sandbox(folder: Path) -> dict[str, Any]:
    """Return the evaluator's spec (``public_description``) or raise DescribeFailed."""
    result = run_sandboxed(
        [runtime_python(), "-m", "jiebang_eval.describe", EVALUATOR_TARGET],
        limits=DESCRIBE_LIMITS,
        mounts=[*platform_runtime_mounts(), Mount(folder, EVALUATOR_TARGET)],
        env=runtime_env(),
        cwd=EVALUATOR_TARGET,
    )
    if not result.succeeded:
        detail = result.stderr_tail.strip() or result.reason("en")
        raise DescribeFailed(detail.replace(str(folder), EVALUATOR_TARGET)[-4000:])
    try:
        spec = json.loads(result.stdout_tail)
    except json.JSONDecodeError as exc:
        raise DescribeFailed(f"describe printed no JSON spec: {exc}") from exc
    if not isinstance(spec, dict) or not isinstance(spec.get("key"), str):
        raise DescribeFailed("describe printed no evaluator spec")
    return spec
