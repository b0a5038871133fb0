"""The stages of an evaluation: fetch → unpack → run (sandbox) → score (sandbox).

Each stage reads and extends the JobContext, or raises StageFailed saying whose fault it was.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from pydantic import ValidationError

from jiebang.artifacts.models import KIND_COMMAND
from jiebang.integrity.fingerprints import file_hashes
from jiebang.runtimes import OciRuntime, PreparedRuntime, RuntimeFailed, parse_runtime_spec
from jiebang.runtimes.reporting import prepare_reported
from jiebang.sandbox import (
    RUN_STAGE_DEFAULTS,
    SCORE_STAGE_DEFAULTS,
    InvalidLimitsError,
    SandboxLimits,
    SandboxResult,
    SandboxUnavailable,
    UnsafeOutputError,
    runtime_env,
)
from jiebang.sandbox.decoder_lock import DecoderLockError, decoder_archive_hash, verify_decoder_lock
from jiebang.sandbox.manifest import MANIFEST_NAMES, ManifestError, load_manifest
from jiebang.sandbox.stages import run_stage, score_stage
from jiebang.submissions.archive_messages import render
from jiebang.submissions.archives import ArchivePolicy, ArchiveRejected, unwrap_single_folder
from jiebang.worker import codabench
from jiebang.worker.command_scorer import result_from_scores, run_command_scorer
from jiebang.worker.context import JobContext, StageFailed, platform_fault, team_fault
from jiebang.worker.gpus import GpuBinding, gpu_binding, with_gpu_env
from jiebang.worker.image_cache import image_archive_for
from jiebang.worker.program_cache import program_dir_for
from jiebang.worker.reference_cache import reference_dir_for
from jiebang.worker.team_runtime import team_runtime
from jiebang.worker.timed_run import complexity_rule, record_complexity, run_timed
from jiebang_eval.contract import EvaluationResult

TEAM_SUBMITTED_DIR = "submitted"  # code tracks: the team's own files, beside the outputs


def fetch(ctx: JobContext) -> None:
    """Download the upload (sha256-checked) and the phase's hidden reference data (cached)."""
    ctx.upload = ctx.workdir / "upload.bin"
    ctx.api.download(
        ctx.spec.submission_url,
        ctx.upload,
        sha256=ctx.spec.submission_sha256,
        lease_owner=ctx.spec.lease_owner,
    )
    ctx.reference_dir = reference_dir_for(ctx)


def unpack(ctx: JobContext) -> None:
    """Unpack under the track's archive policy (the one the arrival check applied); an
    archive it refuses is the team's fault, and one folder wrapped around the layout is
    unwrapped (see unwrap_single_folder)."""
    assert ctx.upload is not None and ctx.reference_dir is not None
    ctx.submission_dir = ctx.workdir / "submission"
    policy = ArchivePolicy.from_mapping(ctx.spec.limits.get("archive"))
    try:
        report = policy.extract(
            ctx.upload, ctx.submission_dir, filename=ctx.spec.submission_filename
        )
    except ArchiveRejected as exc:
        raise team_fault(str(exc), exc.zh) from exc
    ctx.upload.unlink()
    ctx.file_hashes = file_hashes(ctx.submission_dir)  # for judges: copies across teams
    if report.kind != "file":
        markers = MANIFEST_NAMES if ctx.spec.submission_kind == "code" else ()
        folder = unwrap_single_folder(ctx.submission_dir, ctx.reference_dir, markers=markers)
        if folder is not None:
            params = {"folder": folder}
            ctx.logs["unpack"] = "\n".join(
                render("unwrapped", lo, params) for lo in ("en", "zh-CN")
            )


def _limits(ctx: JobContext, stage: str, base: SandboxLimits) -> SandboxLimits:
    try:
        return SandboxLimits.from_mapping(ctx.spec.limits.get(stage, {}), base=base)
    except InvalidLimitsError as exc:
        raise StageFailed(
            "evaluator_error", f"the track's {stage} limits are invalid: {exc}"
        ) from exc


def _tails(result: SandboxResult, stage: str) -> dict[str, str]:
    return {f"{stage}_stdout_tail": result.stdout_tail, f"{stage}_stderr_tail": result.stderr_tail}


def run(ctx: JobContext) -> None:
    """Code tracks: run the team's program over the public inputs; result tracks skip this."""
    assert ctx.submission_dir is not None and ctx.reference_dir is not None
    if ctx.spec.submission_kind != "code":
        ctx.scored_dir = ctx.submission_dir
        return
    if codabench.ingestion_command(ctx.spec.program):
        _run_ingestion(ctx)
        return
    try:
        manifest = load_manifest(ctx.submission_dir)
        ctx.decoder_hash = decoder_archive_hash(ctx.submission_dir)
        if ctx.spec.decoder_lock is not None:
            verify_decoder_lock(ctx.decoder_hash, ctx.spec.decoder_lock)
    except (ManifestError, DecoderLockError) as exc:
        raise team_fault(str(exc)) from exc
    runtime = team_runtime(
        manifest.runtime,
        program_dir=ctx.submission_dir,
        limits=ctx.spec.limits,
        fetch_image=lambda spec: image_archive_for(ctx, spec),
        report=ctx.api.report_runtime_build,
        uploaded_at=ctx.spec.submitted_at,
    )
    gpus = _granted_gpus(ctx)
    inputs = ctx.reference_dir / "inputs"
    if not inputs.is_dir():
        inputs = ctx.workdir / "no-inputs"
        inputs.mkdir()
    # the evaluator reads the program's outputs at /submission, and the team's own files
    # (e.g. bitstreams, whose size gives the rate) under /submission/submitted
    ctx.scored_dir = ctx.workdir / "scored"
    limits = _limits(ctx, "run", RUN_STAGE_DEFAULTS)
    rule = complexity_rule(ctx)

    def check(result: SandboxResult) -> None:
        ctx.logs |= _tails(result, "run")
        if not result.succeeded:
            raise team_fault(
                f"your program failed: {result.reason('en')}",
                f"您的程序运行失败：{result.reason('zh')}",
            )

    try:
        if rule is not None and runtime is None:  # once per sequence, timed against the anchor
            run_timed(
                ctx, rule, entrypoint=manifest.entrypoint, inputs=inputs, limits=limits, check=check
            )
        else:
            check(
                run_stage(
                    program_dir=ctx.submission_dir,
                    entrypoint_argv=manifest.entrypoint,
                    inputs_dir=inputs,
                    output_dir=ctx.scored_dir,
                    limits=limits,
                    root=runtime.root if runtime else None,
                    base_mounts=runtime.mounts if runtime else None,
                    base_env=with_gpu_env(runtime.env if runtime else runtime_env(), gpus),
                    extra_mounts=gpus.mounts,
                )
            )
    except SandboxUnavailable as exc:
        raise platform_fault(str(exc)) from exc
    reserved = ctx.scored_dir / TEAM_SUBMITTED_DIR
    if reserved.exists() or reserved.is_symlink():
        raise team_fault(
            f"your program wrote '{TEAM_SUBMITTED_DIR}', a name reserved for your own files",
            f"您的程序写出了 '{TEAM_SUBMITTED_DIR}'，该名称保留给您自己提交的文件",
        )
    shutil.copytree(ctx.submission_dir, ctx.scored_dir / TEAM_SUBMITTED_DIR, symlinks=True)


def _run_ingestion(ctx: JobContext) -> None:
    """A Codabench task's ingestion program runs the team's code (worker/codabench.py)."""
    assert ctx.submission_dir is not None and ctx.reference_dir is not None
    program = ctx.spec.program
    assert program is not None
    inputs = ctx.reference_dir / "inputs"
    if not inputs.is_dir():
        inputs = ctx.workdir / "no-inputs"
        inputs.mkdir()
    ctx.scored_dir = ctx.workdir / "scored"
    try:
        result = codabench.run_ingestion(
            program=program,
            program_dir=program_dir_for(ctx, program),
            runtime=_prepared_runtime(program.runtime, ctx),
            code_dir=ctx.submission_dir,
            input_dir=inputs,
            output_dir=ctx.scored_dir,
            shared_dir=ctx.workdir / "shared",
            limits=_limits(ctx, "run", RUN_STAGE_DEFAULTS),
        )
    except SandboxUnavailable as exc:
        raise platform_fault(str(exc)) from exc
    ctx.logs |= _tails(result, "run")
    if not result.succeeded:
        raise team_fault(
            f"the ingestion program running your code failed: {result.reason('en')}",
            f"运行您代码的 ingestion 程序失败：{result.reason('zh')}",
        )


def score(ctx: JobContext) -> None:
    """Run the pinned scoring program in the score sandbox and check what it writes.

    The program is the archive the job pins (fetched by sha256, cached by hash): a
    Jiebang evaluator runs ``jiebang_eval.run``; a command scorer runs its own command on
    its declared runtime and its scores.json becomes the same result.json.
    """
    assert ctx.scored_dir is not None and ctx.reference_dir is not None
    program = ctx.spec.program
    if program is None:
        raise platform_fault(
            f"the platform has no scoring program {ctx.spec.evaluator_key} "
            f"{ctx.spec.evaluator_version}"
        )
    if program.version != ctx.spec.evaluator_version or program.key != ctx.spec.evaluator_key:
        raise platform_fault(
            f"the job pins {ctx.spec.evaluator_key} {ctx.spec.evaluator_version}, "
            f"the platform sent {program.key} {program.version}"
        )
    folder = program_dir_for(ctx, program)
    config = ctx.workdir / "config.json"
    config.write_text(
        json.dumps(
            {**ctx.spec.evaluator_config, "splits": ctx.spec.splits}
            if ctx.spec.splits
            else ctx.spec.evaluator_config
        )
    )
    out = ctx.workdir / "score-out"
    limits = _limits(ctx, "score", SCORE_STAGE_DEFAULTS)
    if codabench.is_codabench(program):
        try:
            run = codabench.run_scorer(
                program=program,
                program_dir=folder,
                runtime=_prepared_runtime(program.runtime, ctx),
                submission_dir=ctx.scored_dir,
                reference_dir=ctx.reference_dir,
                output_dir=out,
                shared_dir=ctx.workdir / "shared",
                limits=limits,
            )
        except UnsafeOutputError as exc:
            raise team_fault(str(exc)) from exc
        except SandboxUnavailable as exc:
            raise platform_fault(str(exc)) from exc
        ctx.logs |= _tails(run, "score")
        ctx.result = codabench.result_from_output(out, program, run)
        return
    if program.kind == KIND_COMMAND:
        runtime = _prepared_runtime(program.runtime, ctx)
        try:
            result = run_command_scorer(
                program=program,
                program_dir=folder,
                runtime=runtime,
                submission_dir=ctx.scored_dir,
                reference_dir=ctx.reference_dir,
                config_path=config,
                output_dir=out,
                limits=limits,
                gpus=_granted_gpus(ctx),
            )
        except UnsafeOutputError as exc:
            raise team_fault(str(exc)) from exc
        except SandboxUnavailable as exc:
            raise platform_fault(str(exc)) from exc
        ctx.logs |= _tails(result, "score")
        ctx.result = result_from_scores(out, program, result)
        return
    try:
        result = score_stage(
            evaluator_dir=folder,
            submission_dir=ctx.scored_dir,
            reference_dir=ctx.reference_dir,
            config_path=config,
            output_dir=out,
            limits=limits,
        )
    except UnsafeOutputError as exc:
        raise team_fault(str(exc)) from exc
    ctx.logs |= _tails(result, "score")
    ctx.result = _read_result(out / "result.json", result)


def _granted_gpus(ctx: JobContext) -> GpuBinding:
    """The job's GPUs (the first ``gpus`` devices of this worker) as mounts and env."""
    try:
        return gpu_binding(range(ctx.spec.gpus))
    except FileNotFoundError as exc:
        raise platform_fault(f"this worker cannot grant {ctx.spec.gpus} GPU(s): {exc}") from exc


def _prepared_runtime(declared: dict, ctx: JobContext | None = None) -> PreparedRuntime:
    """The scoring program's runtime, built or unpacked once per content key on this worker
    (an ``oci`` image fetched by its digest when it is not unpacked here yet); how its build
    goes is reported to the platform, which shows it to the organiser."""
    try:
        spec = parse_runtime_spec(declared)
        archive = image_archive_for(ctx, spec) if isinstance(spec, OciRuntime) and ctx else None
        report = ctx.api.report_runtime_build if ctx else None
        return prepare_reported(spec, archive=archive, report=report)
    except RuntimeFailed as exc:
        raise StageFailed(
            "evaluator_error",
            f"the scoring program's runtime could not be prepared: {exc.message}",
        ) from exc
    except ValidationError as exc:
        raise StageFailed(
            "evaluator_error", f"the scoring program's runtime is invalid: {exc.errors()[:2]}"
        ) from exc


def _read_result(path: Path, sandbox: SandboxResult) -> dict:
    if sandbox.limit_exceeded:
        raise team_fault(
            f"scoring your submission {sandbox.reason('en')}",
            f"评测您的提交时{sandbox.reason('zh')}",
        )
    if not sandbox.succeeded or not path.is_file():
        raise StageFailed("evaluator_error", f"the evaluator {sandbox.reason('en')}")
    try:
        result = EvaluationResult.model_validate_json(path.read_bytes())
    except ValidationError as exc:
        raise StageFailed(
            "evaluator_error", f"the evaluator wrote an invalid result.json: {exc.errors()[:3]}"
        ) from exc
    if result.status == "invalid_submission":
        raise team_fault(
            result.error or "the evaluator rejected the submission",
            result.error_zh or "评测器拒绝了该提交",
        )
    return result.model_dump(mode="json")


STAGES = (fetch, unpack, run, score, record_complexity)
