"""The worker's only way to the platform: HTTP with a worker token (no database access)."""

from __future__ import annotations

import hashlib
import logging
import socket
from pathlib import Path
from typing import Any

import httpx

from jiebang.evaluation.models import JobSpec
from jiebang.worker.gpus import detect_gpus

CHUNK = 1024 * 1024
log = logging.getLogger(__name__)


class LeaseLost(Exception):
    """The platform gave the job to someone else; stop and report nothing."""


class PlatformUnavailable(Exception):
    """The API or storage could not be reached."""


class ObjectNotFound(PlatformUnavailable):
    """The platform answered that what was asked for does not exist (404)."""


class WorkerAPI:
    def __init__(
        self, http: httpx.Client, *, token: str, name: str, machine: str | None = None
    ) -> None:
        self.http = http
        self.name = name
        # runtime builds are told per machine: its processes share one runtime cache
        self.machine = (machine or socket.gethostname())[:80]
        self.headers = {"Authorization": f"Worker {token}"}

    def _post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        try:
            response = self.http.post(f"/api/v1/worker{path}", json=body, headers=self.headers)
        except httpx.HTTPError as exc:
            raise PlatformUnavailable(str(exc)) from exc
        if response.status_code == 409:
            raise LeaseLost(response.text)
        if response.status_code >= 500:
            raise PlatformUnavailable(f"{response.status_code} {response.text[:200]}")
        response.raise_for_status()
        return response

    def claim(self, *, job_id: int | None = None, sandbox: str = "") -> JobSpec | None:
        gpus = detect_gpus()
        body = {"worker": self.name, "job_id": job_id, "sandbox": sandbox}
        body |= {"gpu_count": gpus.count, "gpu_model": gpus.model}
        response = self._post("/claim", body)
        return None if response.status_code == 204 else JobSpec.model_validate(response.json())

    def heartbeat(self, spec: JobSpec) -> None:
        self._post(f"/jobs/{spec.job_id}/heartbeat", {"lease_owner": spec.lease_owner})

    def report(self, spec: JobSpec, body: dict[str, Any]) -> None:
        self._post(f"/jobs/{spec.job_id}/result", {"lease_owner": spec.lease_owner, **body})

    def report_runtime_build(self, news: dict[str, Any]) -> None:
        """Tell the platform how this machine's build of a runtime goes (never raises)."""
        try:
            self._post("/runtime-builds", {"worker": self.machine, **news})
        except (PlatformUnavailable, LeaseLost, httpx.HTTPError) as exc:
            log.warning("runtime build report not delivered: %s", exc)

    def download(self, url: str, dest: Path, *, sha256: str, lease_owner: str) -> None:
        """Stream a presigned URL or an API path to ``dest``, checking its sha256."""
        digest = hashlib.sha256()
        is_api = url.startswith("/")
        # API paths go through the platform client; presigned URLs straight to storage
        opened = (
            self.http.stream("GET", url, params={"lease_owner": lease_owner}, headers=self.headers)
            if is_api
            else httpx.stream("GET", url, timeout=httpx.Timeout(30, read=300))
        )
        try:
            with opened as response:
                if response.status_code == 409:
                    raise LeaseLost(url)
                if response.status_code == 404:
                    raise ObjectNotFound(f"download failed with 404: {url}")
                if response.status_code != 200:
                    raise PlatformUnavailable(f"download failed with {response.status_code}")
                with dest.open("wb") as out:
                    for chunk in response.iter_bytes(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
        except httpx.HTTPError as exc:
            raise PlatformUnavailable(str(exc)) from exc
        if digest.hexdigest() != sha256:
            raise PlatformUnavailable(
                f"downloaded object has sha256 {digest.hexdigest()}, expected {sha256}"
            )
