"""The evaluator plugin contract shared by the platform and every evaluator.

An evaluator is a directory holding ``evaluator.py`` that defines
``SPEC: EvaluatorSpec`` and ``evaluate(ctx: EvaluationContext) -> EvaluationResult``.
The platform never imports it: it runs :mod:`jiebang_eval.run` and
:mod:`jiebang_eval.describe` in a (sandboxed) subprocess.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

DEFAULT_SPLIT = "all"


class MetricSpec(BaseModel):
    """One reported number: how to label it, sort it and explain it."""

    model_config = ConfigDict(frozen=True)

    key: str
    label_zh: str
    label_en: str
    direction: Literal["higher", "lower"]
    unit: str = ""
    formula_zh: str
    formula_en: str
    precision: int = 4


class EvaluatorSpec(BaseModel):
    """What an evaluator is, what it expects and what it reports."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    key: str
    version: str
    title_zh: str
    title_en: str
    submission_format_zh: str
    submission_format_en: str
    reference_format_en: str
    metrics: list[MetricSpec]
    primary_metric: str
    config_model: type[BaseModel]

    @field_validator("primary_metric")
    @classmethod
    def _primary_is_declared(cls, value: str, info: Any) -> str:
        keys = {m.key for m in info.data.get("metrics", [])}
        if value not in keys:
            raise ValueError(f"primary_metric {value!r} is not among the metrics {sorted(keys)}")
        return value

    def public_description(self) -> dict[str, Any]:
        """JSON-ready description (the config model becomes its JSON Schema)."""
        described = self.model_dump(mode="json", exclude={"config_model"})
        described["config_schema"] = self.config_model.model_json_schema()
        return described


def _check_finite(values: dict[str, float]) -> dict[str, float]:
    for key, value in values.items():
        if not math.isfinite(value):
            raise ValueError(f"metric {key!r} is not finite ({value})")
    return values


class ItemResult(BaseModel):
    """Scores of one scored unit (a sequence, clip, image id or track)."""

    id: str
    split: str
    metrics: dict[str, float]
    extra: dict[str, Any] = Field(default_factory=dict)

    _finite = field_validator("metrics")(_check_finite)


class EvaluatorRef(BaseModel):
    key: str
    version: str


class EvaluationResult(BaseModel):
    """The content of result.json."""

    status: Literal["ok", "invalid_submission"]
    error: str | None = None
    error_zh: str | None = None
    metrics: dict[str, float] = Field(default_factory=dict)
    metrics_by_split: dict[str, dict[str, float]] = Field(default_factory=dict)
    items: list[ItemResult] = Field(default_factory=list)
    plots: dict[str, Any] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)
    evaluator: EvaluatorRef

    _finite = field_validator("metrics")(_check_finite)

    @field_validator("metrics_by_split")
    @classmethod
    def _finite_by_split(cls, value: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        for metrics in value.values():
            _check_finite(metrics)
        return value


class SubmissionError(Exception):
    """A problem caused by the team's files; reported as ``invalid_submission``.

    Teams read it in their language, so both texts are required:
    ``SubmissionError(en="scores.csv is missing", zh="缺少 scores.csv")`` (or positionally,
    English first). Name what is wrong and what was expected, and keep library messages
    (often English) out of the Chinese text."""

    def __init__(self, en: str, zh: str) -> None:
        for name, text in (("en", en), ("zh", zh)):
            if not isinstance(text, str) or not text.strip():
                raise TypeError(
                    f"SubmissionError needs both texts, en= and zh=; {name} is {text!r}"
                )
        super().__init__(en)
        self.message_en = en
        self.message_zh = zh


@dataclass
class EvaluationContext:
    """Everything an evaluator may read; it writes only into ``work_dir``."""

    spec: EvaluatorSpec
    submission_dir: Path
    reference_dir: Path
    config: Any
    splits: dict[str, list[str]]
    work_dir: Path
    warnings: list[str] = field(default_factory=list)

    def split_of(self, item_id: str) -> str:
        """Name of the split listing ``item_id``; ``"all"`` when no splits are configured."""
        for name, ids in self.splits.items():
            if item_id in ids:
                return name
        if not self.splits:
            return DEFAULT_SPLIT
        raise KeyError(item_id)

    def warn(self, message: str) -> None:
        self.warnings.append(message)
