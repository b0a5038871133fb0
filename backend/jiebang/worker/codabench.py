"""Codabench's program contract, for scoring programs imported from a Codabench bundle.

As on Codabench: the working directory is the program (``/app/program``), the reference
data is at ``/app/input/ref``, the submission (or the ingestion's predictions) at
``/app/input/res``, the output at ``/app/output``; an ingestion program runs with the team's
code at ``/app/ingested_program``, the input data at ``/app/input_data`` and writes its
predictions to ``/app/output``. Scores come from ``scores.json``, else ``scores.txt`` read as
YAML ``key: value``; keys are matched to the leaderboard's column keys. The detailed results
page (``detailed_results.html``, else the first ``.html`` written) is kept with the result.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

from jiebang.artifacts.models import ProgramRef
from jiebang.core import safe_yaml
from jiebang.runtimes import PreparedRuntime
from jiebang.sandbox import Mount, SandboxLimits, SandboxResult, run_sandboxed
from jiebang.sandbox.outputs import safe_collect_outputs
from jiebang.worker.context import StageFailed

MAX_SCORES_BYTES = 16 * 1024 * 1024
MAX_DETAILED_BYTES = 2 * 1024 * 1024
DETAILED_KEY = "detailed_results_html"


def is_codabench(program: ProgramRef | None) -> bool:
    return program is not None and program.manifest.get("contract") == "codabench"


def ingestion_command(program: ProgramRef | None) -> str | None:
    if not is_codabench(program):
        return None
    assert program is not None
    return (program.manifest.get("codabench") or {}).get("ingestion_command") or None


def _env(runtime: PreparedRuntime) -> dict[str, str]:
    env = dict(runtime.env)
    if runtime.python and "/" in runtime.python:  # python3 in the command is the runtime's
        folder = os.path.dirname(runtime.python)
        env["PATH"] = f"{folder}:{env.get('PATH', '/usr/local/bin:/usr/bin:/bin')}"
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    env["HOME"] = "/tmp"  # noqa: S108 - the sandbox's own private tmpfs
    return env


def run_ingestion(
    *,
    program: ProgramRef,
    program_dir: Path,
    runtime: PreparedRuntime,
    code_dir: Path,
    input_dir: Path,
    output_dir: Path,
    shared_dir: Path,
    limits: SandboxLimits,
) -> SandboxResult:
    """The ingestion program over the input data, the team's code mounted read-only."""
    output_dir.mkdir(parents=True, exist_ok=True)
    shared_dir.mkdir(parents=True, exist_ok=True)
    mounts = [
        *runtime.mounts,
        Mount(program_dir / "ingestion", "/app/program"),
        Mount(code_dir, "/app/ingested_program"),
        Mount(input_dir, "/app/input_data"),
        Mount(output_dir, "/app/output", writable=True),
        Mount(shared_dir, "/app/shared", writable=True),
    ]
    return run_sandboxed(
        ["/bin/sh", "-c", str(ingestion_command(program))],
        limits=limits,
        mounts=mounts,
        env=_env(runtime),
        cwd="/app/program",
        scrub_paths=[str(code_dir.parent), str(input_dir.parent)],
        root=runtime.root,
    )


def run_scorer(
    *,
    program: ProgramRef,
    program_dir: Path,
    runtime: PreparedRuntime,
    submission_dir: Path,
    reference_dir: Path,
    output_dir: Path,
    shared_dir: Path,
    limits: SandboxLimits,
) -> SandboxResult:
    """The scoring program with Codabench's mounts (reference under ``ref/`` of the phase data)."""
    safe_collect_outputs(submission_dir, max_files=limits.max_output_files)
    output_dir.mkdir(parents=True, exist_ok=True)
    shared_dir.mkdir(parents=True, exist_ok=True)
    reference = reference_dir / "ref" if (reference_dir / "ref").is_dir() else reference_dir
    mounts = [
        *runtime.mounts,
        Mount(program_dir / "scoring", "/app/program"),
        Mount(submission_dir, "/app/input/res"),
        Mount(reference, "/app/input/ref"),
        Mount(output_dir, "/app/output", writable=True),
        Mount(shared_dir, "/app/shared", writable=True),
    ]
    return run_sandboxed(
        list(program.manifest.get("command") or []),
        limits=limits,
        mounts=mounts,
        env=_env(runtime),
        cwd="/app/program",
        scrub_paths=[str(reference_dir.parent), str(submission_dir.parent)],
        root=runtime.root,
    )


def _fault(problem: str) -> StageFailed:
    return StageFailed("evaluator_error", f"the scoring program {problem}")


def read_scores(output_dir: Path) -> dict[str, Any]:
    """``scores.json``, else ``scores.txt`` as YAML ``key: value`` (raises when neither)."""
    for name in ("scores.json", "scores.txt"):
        path = output_dir / name
        if path.is_symlink() or not path.is_file():
            continue
        if path.stat().st_size > MAX_SCORES_BYTES:
            raise _fault(f"wrote a {name} larger than {MAX_SCORES_BYTES} bytes")
        raw = path.read_bytes()
        try:
            data = json.loads(raw) if name.endswith(".json") else safe_yaml.load(raw, name=name)
        except (ValueError, safe_yaml.YAMLRefused) as exc:
            raise _fault(f"wrote a {name} that cannot be read: {exc}") from exc
        if not isinstance(data, dict):
            raise _fault(f"wrote a {name} that is not a mapping of keys to scores")
        return data
    raise _fault("wrote neither scores.json nor scores.txt to /app/output")


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    return None


def metrics_from_scores(scores: dict[str, Any], program: ProgramRef) -> dict[str, float]:
    """The values of the leaderboard's columns; computed columns (``avg``) filled in."""
    columns = (program.manifest.get("codabench") or {}).get("columns") or []
    expected = [str(c["key"]) for c in columns]
    nested = scores.get("scores")
    flat: dict[str, Any] = nested if isinstance(nested, dict) else scores
    metrics: dict[str, float] = {}
    for key in expected:
        value = _number(flat.get(key))
        if value is not None:
            metrics[key] = value
    by_index = {int(c["index"]): str(c["key"]) for c in columns}
    for column in columns:
        key = str(column["key"])
        if key in metrics or not column.get("computation"):
            continue
        parts = [
            metrics[by_index[i]]
            for i in column.get("computation_indexes") or []
            if by_index.get(i) in metrics
        ]
        if parts and str(column["computation"]).lower() in ("avg", "mean"):
            metrics[key] = sum(parts) / len(parts)
    missing = [k for k in expected if k not in metrics]
    if missing:
        found = ", ".join(sorted(map(str, flat))) or "none"
        raise _fault(
            f"wrote scores under keys that do not match the leaderboard: found {found}; "
            f"expected {', '.join(expected)} (missing {', '.join(missing)})"
        )
    return metrics


def detailed_page(output_dir: Path) -> str | None:
    """``detailed_results.html``, else the first ``.html`` the program wrote (bounded)."""
    page = output_dir / "detailed_results.html"
    if not page.is_file() or page.is_symlink():
        pages = sorted(p for p in output_dir.rglob("*.html") if p.is_file() and not p.is_symlink())
        page = pages[0] if pages else page
    if not page.is_file() or page.stat().st_size > MAX_DETAILED_BYTES:
        return None
    return page.read_text(encoding="utf-8", errors="replace")


def result_from_output(output_dir: Path, program: ProgramRef, sandbox: SandboxResult) -> dict:
    """The result.json document of a Codabench scoring run."""
    if sandbox.limit_exceeded:
        raise _fault(sandbox.reason("en"))
    if not sandbox.succeeded:
        raise _fault(f"failed: {sandbox.reason('en')}")
    metrics = metrics_from_scores(read_scores(output_dir), program)
    result: dict[str, Any] = {
        "status": "ok",
        "error": None,
        "error_zh": None,
        "metrics": metrics,
        "metrics_by_split": {},
        "items": [],
        "plots": {},
        "warnings": [],
        "evaluator": {"key": program.key, "version": program.version},
    }
    page = detailed_page(output_dir)
    if page is not None:
        result[DETAILED_KEY] = page
    return result
