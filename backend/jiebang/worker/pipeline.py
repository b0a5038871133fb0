"""One evaluation: lease kept alive, stages run in order, one report at the end."""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path
from typing import Any

from jiebang.evaluation.models import JobSpec
from jiebang.sandbox.ownership import create_owned_dir
from jiebang.worker.client import LeaseLost, PlatformUnavailable, WorkerAPI
from jiebang.worker.context import JobContext, StageFailed
from jiebang.worker.heartbeat import LeaseKeeper
from jiebang.worker.stages import STAGES

log = logging.getLogger(__name__)


def evaluate(
    spec: JobSpec, *, api: WorkerAPI, scratch_root: Path, cache_dir: Path
) -> dict[str, Any]:
    """Run every stage and return the report sent to the platform."""
    # The owner marker lets the housekeeper reclaim this folder if the worker is SIGKILLed.
    workdir = create_owned_dir(scratch_root, prefix=f"job-{spec.job_id}-")
    ctx = JobContext(spec=spec, api=api, workdir=workdir, cache_dir=cache_dir)
    try:
        for stage in STAGES:
            stage(ctx)
        report: dict[str, Any] = {"outcome": "scored", "result": ctx.result}
    except StageFailed as failure:
        report = {"outcome": failure.outcome, "message": failure.message}
        if failure.message_zh:
            report["message_zh"] = failure.message_zh
    except PlatformUnavailable as exc:
        report = {"outcome": "infrastructure_error", "message": f"platform unreachable: {exc}"}
    except LeaseLost:
        raise
    except Exception as exc:  # a bug in the worker itself is the platform's fault, never the team's
        log.exception("worker error on job %s", spec.job_id)
        report = {
            "outcome": "infrastructure_error",
            "message": f"worker error: {type(exc).__name__}",
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return report | {
        "logs": ctx.logs,
        "decoder_hash": ctx.decoder_hash,
        "file_hashes": ctx.file_hashes,
    }


def process(spec: JobSpec, *, api: WorkerAPI, scratch_root: Path, cache_dir: Path) -> None:
    """Evaluate with the lease kept alive, then report (unless the lease was lost)."""
    with LeaseKeeper(api, spec) as keeper:
        try:
            report = evaluate(spec, api=api, scratch_root=scratch_root, cache_dir=cache_dir)
        except LeaseLost:
            log.warning("lease on job %s lost during evaluation", spec.job_id)
            return
    if keeper.lost.is_set():
        log.warning("lease on job %s lost; discarding the result", spec.job_id)
        return
    for attempt in range(5):  # the API may be restarting; the lease still covers us
        try:
            api.report(spec, report)
            return
        except LeaseLost:
            log.warning("job %s was taken over before the report arrived", spec.job_id)
            return
        except PlatformUnavailable as exc:
            log.warning("report for job %s failed (%s); retrying", spec.job_id, exc)
            time.sleep(min(2**attempt, spec.lease_seconds / 4))
