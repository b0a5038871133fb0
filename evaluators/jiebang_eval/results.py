"""Helpers that turn scored items into an :class:`EvaluationResult`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from jiebang_eval.contract import (
    DEFAULT_SPLIT,
    EvaluationContext,
    EvaluationResult,
    EvaluatorRef,
    ItemResult,
    SubmissionError,
)

Summarize = Callable[[Sequence[ItemResult]], dict[str, float]]


def mean_of_items(items: Sequence[ItemResult]) -> dict[str, float]:
    """Per-metric arithmetic mean over the items that report the metric."""
    keys = sorted({key for item in items for key in item.metrics})
    return {
        key: float(np.mean([item.metrics[key] for item in items if key in item.metrics]))
        for key in keys
    }


def ok_result(
    ctx: EvaluationContext,
    items: list[ItemResult],
    *,
    summarize: Summarize = mean_of_items,
    plots: dict[str, Any] | None = None,
) -> EvaluationResult:
    """A successful result: overall metrics over all items, plus one entry per split."""
    if not items:
        raise SubmissionError("nothing was scored", "没有可评分的内容")
    split_names = list(ctx.splits) or [DEFAULT_SPLIT]
    by_split: dict[str, dict[str, float]] = {}
    for name in split_names:
        members = [item for item in items if item.split == name]
        if members:
            by_split[name] = summarize(members)
        else:
            ctx.warn(f"split {name!r} has no scored item")
            by_split[name] = {}
    return EvaluationResult(
        status="ok",
        metrics=summarize(items),
        metrics_by_split=by_split,
        items=items,
        plots=plots or {},
        warnings=list(ctx.warnings),
        evaluator=EvaluatorRef(key=ctx.spec.key, version=ctx.spec.version),
    )


def invalid_result(ctx: EvaluationContext, error: SubmissionError) -> EvaluationResult:
    """The result for a submission rejected with a :class:`SubmissionError`."""
    return EvaluationResult(
        status="invalid_submission",
        error=error.message_en,
        error_zh=error.message_zh,
        warnings=list(ctx.warnings),
        evaluator=EvaluatorRef(key=ctx.spec.key, version=ctx.spec.version),
    )


def item_split(ctx: EvaluationContext, item_id: str) -> str:
    """Split of ``item_id``; items no split lists are an organiser error."""
    try:
        return ctx.split_of(item_id)
    except KeyError:
        raise RuntimeError(
            f"config 'splits' does not list item {item_id!r}; every reference item needs a split"
        ) from None
