"""The two sandboxed stages of an evaluation: run the team's program, then score it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from jiebang.sandbox.limits import SandboxLimits
from jiebang.sandbox.mounts import Mount, platform_runtime_mounts, runtime_env, runtime_python
from jiebang.sandbox.outputs import safe_collect_outputs
from jiebang.sandbox.result import SandboxResult
from jiebang.sandbox.runner import run_sandboxed
from jiebang.sandbox.status import require_isolation

SUBMISSION_TARGET = "/submission"
INPUTS_TARGET = "/inputs"
OUTPUT_TARGET = "/output"
EVALUATOR_TARGET = "/evaluator"
REFERENCE_TARGET = "/reference"
CONFIG_TARGET = "/config.json"
SCORE_OUTPUT_TARGET = "/out"
SCORE_RESULT_FILE = f"{SCORE_OUTPUT_TARGET}/result.json"


def run_stage(
    *,
    program_dir: Path,
    entrypoint_argv: Sequence[str],
    inputs_dir: Path,
    output_dir: Path,
    limits: SandboxLimits,
    env: Mapping[str, str] | None = None,
    root: Path | None = None,
    base_mounts: Sequence[Mount] | None = None,
    base_env: Mapping[str, str] | None = None,
    extra_mounts: Sequence[Mount] = (),
) -> SandboxResult:
    """Run a team's program over the public inputs; it never sees reference data.

    The program's unpacked archive is read-only at ``/submission`` (also the working
    directory), the public inputs are read-only at ``/inputs`` and ``/output`` is the
    only writable place besides ``/tmp``; ``env`` adds variables (data the caller chose).
    ``root``, ``base_mounts`` and ``base_env`` replace the platform's system, runtime
    mounts and environment (a prepared runtime's, as data). Refuses to run without full
    isolation.
    """
    require_isolation()
    _prepare_empty_output(output_dir)
    mounts = [
        *(platform_runtime_mounts() if base_mounts is None else base_mounts),
        Mount(program_dir, SUBMISSION_TARGET),
        Mount(inputs_dir, INPUTS_TARGET),
        Mount(output_dir, OUTPUT_TARGET, writable=True),
        *extra_mounts,
    ]
    variables = {
        **(env or {}),
        **(runtime_env() if base_env is None else base_env),
        "JIEBANG_INPUTS": INPUTS_TARGET,
        "JIEBANG_OUTPUT": OUTPUT_TARGET,
    }
    return run_sandboxed(
        list(entrypoint_argv),
        limits=limits,
        mounts=mounts,
        env=variables,
        cwd=SUBMISSION_TARGET,
        scrub_paths=[str(program_dir.parent)],
        root=root,
    )


def score_stage(
    *,
    evaluator_dir: Path,
    submission_dir: Path,
    reference_dir: Path,
    config_path: Path,
    output_dir: Path,
    limits: SandboxLimits,
) -> SandboxResult:
    """Run ``python -m jiebang_eval.run`` over a submission and the hidden reference.

    The submission is checked with :func:`safe_collect_outputs` first (raising
    :class:`~jiebang.sandbox.outputs.UnsafeOutputError`), because a symlink in it
    would otherwise resolve to ``/reference`` inside this sandbox. The evaluator
    writes ``/out/result.json``; the evaluator code is never imported by the worker.
    """
    safe_collect_outputs(submission_dir, max_files=limits.max_output_files)
    _prepare_empty_output(output_dir)
    mounts = [
        *platform_runtime_mounts(),
        Mount(evaluator_dir, EVALUATOR_TARGET),
        Mount(submission_dir, SUBMISSION_TARGET),
        Mount(reference_dir, REFERENCE_TARGET),
        Mount(config_path, CONFIG_TARGET),
        Mount(output_dir, SCORE_OUTPUT_TARGET, writable=True),
    ]
    argv = [
        runtime_python(),
        "-m",
        "jiebang_eval.run",
        "--evaluator",
        EVALUATOR_TARGET,
        "--submission",
        SUBMISSION_TARGET,
        "--reference",
        REFERENCE_TARGET,
        "--config",
        CONFIG_TARGET,
        "--output",
        SCORE_RESULT_FILE,
    ]
    return run_sandboxed(
        argv,
        limits=limits,
        mounts=mounts,
        env=runtime_env(),
        cwd=SCORE_OUTPUT_TARGET,
        scrub_paths=[str(reference_dir.parent), str(submission_dir.parent)],
    )


def _prepare_empty_output(output_dir: Path) -> None:
    output_dir.mkdir(parents=True, exist_ok=True)
    if output_dir.is_symlink() or any(output_dir.iterdir()):
        raise ValueError(f"output directory must be a fresh, empty directory: {output_dir}")
