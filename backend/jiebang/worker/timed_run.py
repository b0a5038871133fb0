"""The run stage of a track that measures decoder complexity (see complexity.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from jiebang.sandbox import SandboxLimits, SandboxResult
from jiebang.sandbox.stages import run_stage
from jiebang.worker.complexity import (
    SEQUENCE_ENV,
    ComplexityConfigError,
    ComplexityRule,
    SequenceTiming,
    complexity_metrics,
    gate_messages,
    merge_into_result,
    merge_outputs,
    program_bytes,
    sequence_names,
    time_anchor,
)
from jiebang.worker.context import JobContext, StageFailed, team_fault


def complexity_rule(ctx: JobContext) -> ComplexityRule | None:
    """The track's rule, or None; a malformed one is the organiser's error."""
    try:
        return ComplexityRule.from_mapping(ctx.spec.limits.get("complexity"))
    except ComplexityConfigError as exc:
        raise StageFailed("evaluator_error", str(exc)) from exc


def run_timed(
    ctx: JobContext,
    rule: ComplexityRule,
    *,
    entrypoint: Sequence[str],
    inputs: Path,
    limits: SandboxLimits,
    check: Callable[[SandboxResult], None],
) -> None:
    """Run the program once per sequence, then time the anchor decoder on that sequence;
    stop at the first sequence over the gate, with both times in the message."""
    assert ctx.submission_dir is not None and ctx.reference_dir is not None
    assert ctx.scored_dir is not None
    try:
        names = sequence_names(ctx.reference_dir)
    except ComplexityConfigError as exc:
        raise StageFailed("evaluator_error", str(exc)) from exc
    ctx.scored_dir.mkdir(parents=True, exist_ok=True)
    scratch = ctx.workdir / "timed"
    scratch.mkdir()
    timings = []
    for index, name in enumerate(names):
        out = scratch / f"team-{index}"
        team = run_stage(
            program_dir=ctx.submission_dir,
            entrypoint_argv=entrypoint,
            inputs_dir=inputs,
            output_dir=out,
            limits=limits,
            env={SEQUENCE_ENV: name},
        )
        check(team)
        merge_outputs(out, ctx.scored_dir)
        try:
            anchor = time_anchor(
                run_program=run_stage,
                reference_dir=ctx.reference_dir,
                rule=rule,
                sequence=name,
                inputs_dir=inputs,
                scratch=scratch,
                limits=limits,
            )
        except ComplexityConfigError as exc:
            raise StageFailed("evaluator_error", str(exc)) from exc
        if not anchor.succeeded:
            raise StageFailed(
                "evaluator_error",
                f"the anchor decoder failed on {name}: {anchor.reason('en')}: "
                f"{anchor.stderr_tail[-300:]}",
            )
        timing = SequenceTiming(
            name, team.cpu_seconds, team.wall_seconds, anchor.cpu_seconds, anchor.wall_seconds
        )
        over = gate_messages(timing, rule)
        if over is not None:
            raise team_fault(*over)
        timings.append(timing)
    ctx.complexity = complexity_metrics(timings, rule, program_bytes(ctx.submission_dir, names))


def record_complexity(ctx: JobContext) -> None:
    """After scoring: the measurements join the evaluator's items and means."""
    if ctx.complexity and ctx.result is not None:
        merge_into_result(ctx.result, ctx.complexity)
