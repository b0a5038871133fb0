"""`jiebang worker`: evaluate submissions on this machine for a remote platform."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import typer

from jiebang.config import get_settings


def worker(
    api: str = typer.Option(
        "http://127.0.0.1:8000", envvar="JIEBANG_WORKER_API_URL", help="The platform's base URL."
    ),
    token: str = typer.Option(
        "", envvar="JIEBANG_WORKER_TOKEN", help="Worker token (JIEBANG_WORKER_TOKEN on the API)."
    ),
    concurrency: int = typer.Option(1, min=1, help="Evaluations run at once on this machine."),
    scratch: Path = typer.Option(
        Path(tempfile.gettempdir()) / "jiebang-worker",
        help="Scratch space for unpacked submissions.",
    ),
    cache: Path = typer.Option(
        Path(tempfile.gettempdir()) / "jiebang-worker-cache",
        help="Cache of unpacked reference data.",
    ),
) -> None:
    """Run a Celery worker on the broker (JIEBANG_BROKER_URL). It needs no database access:
    only the broker, the platform API and the storage URLs the API hands out."""
    from jiebang.worker import remote
    from jiebang.worker.celery_app import celery_app

    remote.RemoteConfig.api_url = api.rstrip("/")
    remote.RemoteConfig.token = token or get_settings().effective_worker_token
    remote.RemoteConfig.scratch = scratch
    remote.RemoteConfig.cache = cache
    from jiebang.worker.celery_app import gpu_queue
    from jiebang.worker.gpus import detect_gpus

    queues = [get_settings().celery_queue]
    if detect_gpus().count:  # only workers with a GPU consume the GPU queue
        queues.append(gpu_queue())
    argv = [
        "worker",
        "--loglevel=INFO",
        f"--concurrency={concurrency}",
        "-Q",
        ",".join(queues),
    ]
    # a unique node name per process: two workers on one host must not share a control queue
    argv += [
        "--pool=prefork",
        "-O",
        "fair",
        "-n",
        f"jiebang-{os.getpid()}@%h",
        "--without-gossip",
        "--without-mingle",
    ]
    celery_app().worker_main(argv)
