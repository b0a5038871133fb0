"""Scale-out: Celery on RabbitMQ carries job ids to `jiebang worker` processes.

The message is only a wake-up: the worker still claims the job through the API with a
lease, so a redelivered or duplicated message cannot produce a second score.
"""

from __future__ import annotations

from functools import lru_cache

from celery import Celery

from jiebang.config import get_settings

TASK = "jiebang.evaluate"
TASK_GPU = "jiebang.evaluate_gpu"  # the same work, routed to the queue only GPU workers consume


def gpu_queue() -> str:
    return f"{get_settings().celery_queue}-gpu"


@lru_cache
def celery_app() -> Celery:
    settings = get_settings()
    app = Celery("jiebang", broker=settings.broker_url)
    app.conf.update(
        task_acks_late=True,  # a worker killed mid-job leaves the message for another
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue=settings.celery_queue,
        task_routes={
            TASK: {"queue": settings.celery_queue},
            TASK_GPU: {"queue": f"{settings.celery_queue}-gpu"},
        },
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=5,
        task_serializer="json",
        accept_content=["json"],
        broker_transport_options={"confirm_publish": True, "max_retries": 2},
    )
    return app


def send_evaluate(job_id: int, *, gpus: int = 0) -> None:
    """Announce a job: on the GPU queue when its scoring needs GPUs (task_routes)."""
    # the queue is also named here, read from the settings of now: task_routes were fixed
    # when the app was made, and a process may change JIEBANG_CELERY_QUEUE after that
    queue = gpu_queue() if gpus else get_settings().celery_queue
    celery_app().send_task(
        TASK_GPU if gpus else TASK,
        args=[job_id],
        queue=queue,
        retry=True,
        retry_policy={"max_retries": 2},
    )
