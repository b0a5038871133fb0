"""The command scorer's manifest (``scorer.yaml`` or ``scorer.json``): what to run, what it reports.

A command scorer reads ``/reference``, ``/submission`` and ``/config.json`` and writes
``/out/scores.json``; the worker turns that into the same ``result.json`` a Jiebang
evaluator writes (docs/artifacts.md).
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from jiebang.core import safe_yaml
from jiebang.runtimes import parse_runtime_spec

MANIFEST_FILES = ("scorer.yaml", "scorer.yml", "scorer.json")
KEY_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"


class ManifestRefused(ValueError):
    """The manifest is missing or invalid; ``file`` and the problem in both languages."""

    def __init__(self, file: str, en: str, zh: str) -> None:
        super().__init__(f"{file}: {en}")
        self.file, self.en, self.zh = file, en, zh


class ScorerMetric(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
    direction: Literal["higher", "lower"]
    label_zh: str = Field(min_length=1, max_length=100)
    label_en: str = Field(min_length=1, max_length=100)
    precision: int = Field(default=4, ge=0, le=12)
    unit: str = Field(default="", max_length=20)
    formula_zh: str = Field(default="", max_length=2000)
    formula_en: str = Field(default="", max_length=2000)


class ScorerManifest(BaseModel):
    """What an organiser writes in scorer.yaml."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(pattern=KEY_PATTERN)
    version: str | None = Field(default=None, min_length=1, max_length=32)
    title_zh: str = Field(min_length=1, max_length=200)
    title_en: str = Field(min_length=1, max_length=200)
    command: list[str] = Field(min_length=1, max_length=64)
    metrics: list[ScorerMetric] = Field(min_length=1, max_length=64)
    primary_metric: str | None = None
    runtime: dict[str, Any] = Field(default_factory=lambda: {"kind": "platform"})
    gpus: int = Field(default=0, ge=0, le=16)
    submission_format_zh: str = Field(default="", max_length=4000)
    submission_format_en: str = Field(default="", max_length=4000)
    reference_format_en: str = Field(default="", max_length=4000)
    config_schema: dict[str, Any] = Field(default_factory=dict)
    # "codabench": run as Codabench does (/app/program, /app/input/{ref,res}, /app/output,
    # scores.json or scores.txt); ``codabench`` holds the leaderboard columns and ingestion
    contract: Literal["jiebang", "codabench"] = "jiebang"
    codabench: dict[str, Any] = Field(default_factory=dict)

    @field_validator("command", mode="before")
    @classmethod
    def _split_command(cls, value: Any) -> Any:
        return shlex.split(value) if isinstance(value, str) else value

    @field_validator("runtime")
    @classmethod
    def _runtime(cls, value: dict[str, Any]) -> dict[str, Any]:
        try:
            # unset fields (exclude_newer) left out: stored as before when not given
            return parse_runtime_spec(value).model_dump(mode="json", exclude_none=True)
        except ValidationError as exc:
            raise ValueError(_first_error(exc)) from exc

    @model_validator(mode="after")
    def _primary(self) -> ScorerManifest:
        keys = [m.key for m in self.metrics]
        if len(set(keys)) != len(keys):
            raise ValueError(f"metric keys must be unique: {keys}")
        if self.primary_metric is None:
            self.primary_metric = keys[0]
        elif self.primary_metric not in keys:
            raise ValueError(f"primary_metric {self.primary_metric!r} is not among {keys}")
        return self

    def described(self, version: str) -> dict[str, Any]:
        """The same shape as a Jiebang evaluator's ``describe`` output."""
        metrics = [
            m.model_dump()
            | {"formula_zh": m.formula_zh or m.label_zh, "formula_en": m.formula_en or m.label_en}
            for m in self.metrics
        ]
        return {
            "key": self.key,
            "version": version,
            "title_zh": self.title_zh,
            "title_en": self.title_en,
            "submission_format_zh": self.submission_format_zh,
            "submission_format_en": self.submission_format_en,
            "reference_format_en": self.reference_format_en,
            "metrics": metrics,
            "primary_metric": self.primary_metric,
            "config_schema": self.config_schema or {"type": "object"},
        }


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "(root)"
    return f"{where}: {err['msg']}"


def find_manifest(folder: Path) -> Path | None:
    for name in MANIFEST_FILES:
        if (folder / name).is_file():
            return folder / name
    return None


def read_manifest(path: Path) -> ScorerManifest:
    """Parse and check a manifest; raise ManifestRefused naming the file and the problem."""
    name = path.name
    try:
        if name.endswith(".json"):
            data = json.loads(path.read_text(encoding="utf-8"))
        else:
            data = safe_yaml.read_document(path, name=name).data
    except (ValueError, OSError) as exc:
        raise ManifestRefused(name, f"cannot be read: {exc}", f"无法读取：{exc}") from exc
    if not isinstance(data, dict):
        raise ManifestRefused(name, "must be a mapping of fields", "必须是字段映射（键值对）")
    try:
        return ScorerManifest.model_validate(data)
    except ValidationError as exc:
        problem = _first_error(exc)
        raise ManifestRefused(name, f"invalid: {problem}", f"内容无效：{problem}") from exc
