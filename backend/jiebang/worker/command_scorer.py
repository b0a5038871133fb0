"""Command scorers: any program with a manifest, wrapped so the pipeline sees result.json.

The program reads ``/reference``, ``/submission`` and ``/config.json`` and writes
``/out/scores.json``::

    {"metrics": {"auc": 0.93},
     "splits": {"public": {"auc": 0.95}, "private": {"auc": 0.91}},
     "items": [{"id": "img-001", "split": "public", "metrics": {"auc": 1.0}}]}

or ``{"error": "...", "error_zh": "..."}`` to refuse the submission (the team's fault).
Anything else (a crash, a timeout, no scores.json, a metric it did not declare, a value
that is not a finite number) is the scoring program's fault: the team's quota is refunded.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from jiebang.artifacts.models import ProgramRef
from jiebang.runtimes import PreparedRuntime
from jiebang.sandbox import Mount, SandboxLimits, SandboxResult, run_sandboxed
from jiebang.sandbox.outputs import safe_collect_outputs
from jiebang.worker.context import StageFailed, team_fault
from jiebang.worker.gpus import GpuBinding, with_gpu_env

SCORER_TARGET = "/scorer"
SCORES_FILE = "scores.json"
MAX_SCORES_BYTES = 64 * 1024 * 1024


def run_command_scorer(
    *,
    program: ProgramRef,
    program_dir: Path,
    runtime: PreparedRuntime,
    submission_dir: Path,
    reference_dir: Path,
    config_path: Path,
    output_dir: Path,
    limits: SandboxLimits,
    gpus: GpuBinding | None = None,
) -> SandboxResult:
    """Run the manifest's command in the sandbox on the prepared runtime's root."""
    gpus = gpus or GpuBinding()
    safe_collect_outputs(submission_dir, max_files=limits.max_output_files)
    output_dir.mkdir(parents=True, exist_ok=True)
    argv = list(program.manifest.get("command") or [])
    if argv and argv[0] in ("python", "python3") and runtime.python:
        argv[0] = runtime.python
    env = {
        **with_gpu_env(runtime.env, gpus),
        "JIEBANG_REFERENCE": "/reference",
        "JIEBANG_SUBMISSION": "/submission",
        "JIEBANG_CONFIG": "/config.json",
        "JIEBANG_OUTPUT": "/out",
    }
    mounts = [
        *runtime.mounts,
        Mount(program_dir, SCORER_TARGET),
        Mount(submission_dir, "/submission"),
        Mount(reference_dir, "/reference"),
        Mount(config_path, "/config.json"),
        Mount(output_dir, "/out", writable=True),
        *gpus.mounts,
    ]
    return run_sandboxed(
        argv,
        limits=limits,
        mounts=mounts,
        env=env,
        cwd=SCORER_TARGET,
        scrub_paths=[str(reference_dir.parent), str(submission_dir.parent)],
        root=runtime.root,
    )


def _fault(problem: str, problem_zh: str) -> StageFailed:
    """The scoring program's fault (the platform's side: the team is refunded)."""
    return StageFailed("evaluator_error", f"the scoring program {problem}", f"评分程序{problem_zh}")


def _numbers(values: Any, declared: set[str], where: str) -> dict[str, float]:
    if not isinstance(values, dict):
        raise _fault(
            f"wrote {where} that is not an object of metric values",
            f"写出的 {where} 不是指标值对象",
        )
    out: dict[str, float] = {}
    for key, value in values.items():
        if key not in declared:
            named = ", ".join(sorted(declared))
            raise _fault(
                f"wrote metric {key!r} in {where}, which its manifest does not declare "
                f"(declared: {named})",
                f"在 {where} 中写出了清单未声明的指标 {key!r}（已声明：{named}）",
            )
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _fault(
                f"wrote {where}.{key} = {value!r}, which is not a number",
                f"写出的 {where}.{key} = {value!r} 不是数值",
            )
        if not math.isfinite(value):
            raise _fault(
                f"wrote {where}.{key} = {value}, which is not a finite number",
                f"写出的 {where}.{key} = {value} 不是有限数值",
            )
        out[key] = float(value)
    return out


def result_from_scores(output_dir: Path, program: ProgramRef, sandbox: SandboxResult) -> dict:
    """Check ``scores.json`` and return the equivalent result.json document."""
    if sandbox.limit_exceeded:
        raise _fault(sandbox.reason("en"), sandbox.reason("zh"))
    if not sandbox.succeeded:
        raise _fault(f"failed: {sandbox.reason('en')}", f"运行失败：{sandbox.reason('zh')}")
    path = output_dir / SCORES_FILE
    if path.is_symlink() or not path.is_file():
        raise _fault(f"wrote no {SCORES_FILE}", f"没有写出 {SCORES_FILE}")
    if path.stat().st_size > MAX_SCORES_BYTES:
        raise _fault(
            f"wrote a {SCORES_FILE} larger than {MAX_SCORES_BYTES} bytes",
            f"写出的 {SCORES_FILE} 超过 {MAX_SCORES_BYTES} 字节",
        )
    try:
        scores = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise _fault(
            f"wrote a {SCORES_FILE} that is not JSON: {exc}",
            f"写出的 {SCORES_FILE} 不是 JSON：{exc}",
        ) from exc
    if not isinstance(scores, dict):
        raise _fault(
            f"wrote a {SCORES_FILE} that is not a JSON object",
            f"写出的 {SCORES_FILE} 不是 JSON 对象",
        )
    if scores.get("error"):
        error = str(scores["error"])[:2000]
        raise team_fault(error, str(scores.get("error_zh") or error)[:2000])
    declared = {str(m["key"]) for m in program.manifest.get("metrics", [])}
    by_split = {
        str(name): _numbers(values, declared, f"splits.{name}")
        for name, values in (scores.get("splits") or {}).items()
    }
    if "metrics" in scores:
        metrics = _numbers(scores["metrics"], declared, "metrics")
    elif by_split:
        metrics = by_split.get("private") or next(iter(by_split.values()))
    else:
        raise _fault(f"wrote a {SCORES_FILE} without metrics", f"写出的 {SCORES_FILE} 没有指标")
    if not metrics:
        raise _fault(
            f"wrote a {SCORES_FILE} with no metric values",
            f"写出的 {SCORES_FILE} 没有任何指标值",
        )
    items = []
    for index, item in enumerate(scores.get("items") or []):
        if not isinstance(item, dict) or "id" not in item:
            raise _fault(f"wrote items[{index}] without an id", f"写出的 items[{index}] 缺少 id")
        items.append(
            {
                "id": str(item["id"]),
                "split": str(item.get("split") or "all"),
                "metrics": _numbers(item.get("metrics", {}), declared, f"items[{index}]"),
                "extra": {},
            }
        )
    return {
        "status": "ok",
        "error": None,
        "error_zh": None,
        "metrics": metrics,
        "metrics_by_split": by_split,
        "items": items,
        "plots": {},
        "warnings": [str(w)[:500] for w in (scores.get("warnings") or [])][:50],
        "evaluator": {"key": program.key, "version": program.version},
    }
