"""`jiebang worker`: a Celery worker that evaluates through the platform API."""

from __future__ import annotations

import os
import socket
import tempfile
from functools import lru_cache
from pathlib import Path

import httpx

from jiebang.sandbox.leftovers import reclaim_leftovers
from jiebang.worker.celery_app import TASK, TASK_GPU, celery_app
from jiebang.worker.client import WorkerAPI
from jiebang.worker.pipeline import process


class RemoteConfig:
    """Set once by the CLI before the Celery worker starts."""

    api_url = "http://127.0.0.1:8000"
    token = ""
    scratch = Path(tempfile.gettempdir()) / "jiebang-worker"
    cache = Path(tempfile.gettempdir()) / "jiebang-worker-cache"


@lru_cache
def _api() -> WorkerAPI:
    http = httpx.Client(base_url=RemoteConfig.api_url, timeout=httpx.Timeout(30, read=300))
    return WorkerAPI(http, token=RemoteConfig.token, name=f"{socket.gethostname()}-{os.getpid()}")


@celery_app().task(name=TASK)
def evaluate_job(job_id: int) -> str:
    """Claim the announced job (if still queued) and evaluate it."""
    api = _api()
    spec = api.claim(job_id=job_id)
    if spec is None:
        return "already taken"
    RemoteConfig.scratch.mkdir(parents=True, exist_ok=True)
    reclaim_leftovers([RemoteConfig.scratch])  # what a SIGKILLed sibling left behind
    process(spec, api=api, scratch_root=RemoteConfig.scratch, cache_dir=RemoteConfig.cache)
    return "done"


@celery_app().task(name=TASK_GPU)
def evaluate_gpu_job(job_id: int) -> str:
    """The same as evaluate_job, delivered on the GPU queue."""
    return str(evaluate_job(job_id))
