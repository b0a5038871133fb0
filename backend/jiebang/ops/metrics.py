"""Prometheus metrics at ``/metrics``.

Request latency and upload bytes are counted in-process by the middleware. Queue depth,
evaluations by outcome and sandbox kills by reason are read from the database at scrape
time, so every API replica reports the same numbers and nothing is lost on a restart.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func
from sqlmodel import Session, col, select

from jiebang.db import get_engine
from jiebang.evaluation.models import EvaluationJob
from jiebang.submissions.models import Submission

log = logging.getLogger(__name__)
REGISTRY = CollectorRegistry(auto_describe=True)

REQUEST_SECONDS = Histogram(
    "jiebang_http_request_duration_seconds",
    "Latency of HTTP requests by method, route template and status code.",
    ["method", "route", "status"],
    registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
UPLOAD_BYTES = Counter(
    "jiebang_upload_bytes",
    "Bytes received by the API in upload requests (parts, references, bundles).",
    ["kind"],
    registry=REGISTRY,
)

# failure-message fragments written by the sandbox (SandboxResult.reason) -> kill reason
KILL_REASONS = {
    "memory": "memory",
    "wall time": "wall_time",
    "CPU time": "cpu_time",
    "wrote more than": "output",
    "killed by signal": "signal",
}


def upload_kind(method: str, path: str) -> str | None:
    """Which upload a request is, if it is one."""
    if method == "PUT" and "/uploads/" in path and "/parts/" in path:
        return "submission_part"
    if method == "PUT" and path.endswith("/reference"):
        return "reference"
    if method == "POST" and path.endswith("/admin/bundles"):
        return "bundle"
    return None


class DatabaseCollector(Collector):
    """Gauges computed from the database on every scrape."""

    @staticmethod
    def _families() -> tuple[GaugeMetricFamily, GaugeMetricFamily, GaugeMetricFamily]:
        depth = GaugeMetricFamily(
            "jiebang_queue_depth", "Evaluation jobs by queue status.", labels=["status"]
        )
        outcomes = GaugeMetricFamily(
            "jiebang_evaluations",
            "Submissions that finished evaluation, by outcome.",
            labels=["outcome"],
        )
        kills = GaugeMetricFamily(
            "jiebang_sandbox_kills",
            "Failed evaluations the sandbox ended, by reason.",
            labels=["reason"],
        )
        return depth, outcomes, kills

    def describe(self) -> Iterator[GaugeMetricFamily]:
        """The families without values, so registering at import never queries the database."""
        yield from self._families()

    def collect(self) -> Iterator[GaugeMetricFamily]:
        depth, outcomes, kills = self._families()
        try:
            with Session(get_engine()) as db:
                jobs = select(EvaluationJob.status, func.count()).group_by(EvaluationJob.status)
                for status, count in db.exec(jobs):
                    depth.add_metric([str(status)], count)
                subs = (
                    select(Submission.status, Submission.failure_category, func.count())
                    .where(col(Submission.status).in_(["scored", "failed"]))
                    .group_by(col(Submission.status), col(Submission.failure_category))
                )
                for status, category, count in db.exec(subs):
                    outcomes.add_metric([str(category or status)], count)
                messages = select(Submission.failure_message).where(Submission.status == "failed")
                tally = dict.fromkeys(KILL_REASONS.values(), 0)
                for message in db.exec(messages):
                    reason = next(
                        (r for k, r in KILL_REASONS.items() if k in (message or "")), None
                    )
                    if reason is not None:
                        tally[reason] += 1
                for reason, count in tally.items():
                    kills.add_metric([reason], count)
        except Exception as exc:  # a scrape must not fail because the database is down
            log.warning("metrics: database unavailable: %s", exc)
        yield from (depth, outcomes, kills)


REGISTRY.register(DatabaseCollector())
