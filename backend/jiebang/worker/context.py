"""The state one evaluation carries from stage to stage, and how a stage says it failed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jiebang.evaluation.models import JobSpec
from jiebang.worker.client import WorkerAPI


class StageFailed(Exception):
    """A stage could not go on. ``outcome`` decides who pays: the team or the platform."""

    def __init__(self, outcome: str, message: str, message_zh: str | None = None) -> None:
        super().__init__(message)
        self.outcome = outcome  # invalid_submission | evaluator_error | infrastructure_error
        self.message = message
        self.message_zh = message_zh  # what a team reading Chinese sees


def team_fault(message: str, message_zh: str | None = None) -> StageFailed:
    return StageFailed("invalid_submission", message, message_zh)


def platform_fault(message: str) -> StageFailed:
    return StageFailed("infrastructure_error", message)


@dataclass
class JobContext:
    spec: JobSpec
    api: WorkerAPI
    workdir: Path
    cache_dir: Path
    upload: Path | None = None
    submission_dir: Path | None = None  # the unpacked upload
    scored_dir: Path | None = None  # what the evaluator reads as /submission
    reference_dir: Path | None = None
    result: dict[str, Any] | None = None
    decoder_hash: str | None = None
    file_hashes: dict[str, str] | None = None  # sha256 by path of the unpacked upload
    complexity: dict[str, dict[str, float]] | None = None  # per item, from the run sandbox
    logs: dict[str, str] = field(default_factory=dict)
