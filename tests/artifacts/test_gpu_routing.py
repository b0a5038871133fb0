"""GPU jobs: routed to the GPU queue (Celery task_routes), claimed only by workers that
advertise a GPU, and a track needing one says so plainly while no GPU worker is registered.
This machine has no GPU: the routing and the refusal are what is tested."""

from __future__ import annotations

import json
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from jiebang.db import get_engine
from jiebang.evaluation.models import EvaluationJob
from jiebang.worker.celery_app import TASK, TASK_GPU, celery_app, gpu_queue
from jiebang.worker.gpus import parse_nvidia_smi
from tests.artifacts.support import scorer_manifest, zip_bytes
from tests.submissions.helpers import setup_phase, submit, team_headers


def _claim(client: TestClient, gpu_count: int) -> int:
    from jiebang.config import get_settings

    headers = {"Authorization": f"Worker {get_settings().effective_worker_token}"}
    body = {
        "worker": f"w{gpu_count}",
        "gpu_count": gpu_count,
        "gpu_model": "NVIDIA H200" if gpu_count else "",
    }
    return client.post("/api/v1/worker/claim", json=body, headers=headers).status_code


def test_gpu_jobs_wait_for_a_gpu_worker(
    client: TestClient, organiser: dict[str, str], make_user: Callable[..., dict[str, str]]
) -> None:
    manifest = scorer_manifest(key="gpu_scorer", runtime={"kind": "platform"}, gpus=1)
    upload = client.post(
        "/api/v1/scoring-programs",
        files={
            "archive": (
                "g.zip",
                zip_bytes({"scorer.json": json.dumps(manifest)}),
                "application/zip",
            )
        },
        headers=organiser,
    )
    assert upload.status_code == 201 and upload.json()["gpus"] == 1, upload.text
    ids = setup_phase(
        client, organiser, track_overrides={"evaluator_key": "gpu_scorer", "evaluator_version": "1"}
    )
    readiness = client.get(f"/api/v1/contests/{ids['contest']}/readiness", headers=organiser)
    gpu_items = [m for m in readiness.json()["missing"] if m["code"] == "gpu_worker"]
    assert gpu_items and gpu_items[0]["message_en"] == (
        "this track needs a GPU, and no GPU worker is registered"
    )
    assert gpu_items[0]["message_zh"] == "该赛道需要 GPU，但目前没有已注册的 GPU 评测节点"

    team = team_headers(client, make_user, ids["contest"])
    assert submit(client, team, ids["phase"], b"a 1\n").status_code == 200
    with Session(get_engine()) as db:
        [job] = db.exec(select(EvaluationJob))
        assert job.gpus == 1
    assert _claim(client, gpu_count=0) == 204  # a CPU worker leaves it queued
    assert _claim(client, gpu_count=1) == 200  # a GPU worker takes it
    readiness = client.get(f"/api/v1/contests/{ids['contest']}/readiness", headers=organiser)
    assert not [m for m in readiness.json()["missing"] if m["code"] == "gpu_worker"]


def test_gpu_tasks_route_to_the_gpu_queue() -> None:
    router = celery_app().amqp.router
    assert router.route({}, TASK_GPU)["queue"].name == gpu_queue()
    assert router.route({}, TASK)["queue"].name != gpu_queue()


def test_nvidia_smi_inventory() -> None:
    inventory = parse_nvidia_smi("NVIDIA H200\nNVIDIA H200\n")
    assert (inventory.count, inventory.model) == (2, "NVIDIA H200")
    assert parse_nvidia_smi("").count == 0
