"""Quality-assessment evaluator: predicted scores vs hidden MOS (SROCC, KROCC, PLCC, RMSE)."""

from __future__ import annotations

import csv
import math
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from jiebang_eval import hints
from jiebang_eval.contract import (
    EvaluationContext,
    EvaluationResult,
    EvaluatorSpec,
    ItemResult,
    MetricSpec,
    SubmissionError,
)
from jiebang_eval.metrics.correlation import krocc, plcc, rmse, srocc
from jiebang_eval.metrics.logistic import fit_logistic_4
from jiebang_eval.results import item_split, ok_result

_SHOWN_IDS = 10


class QualityAssessmentConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    fit: Literal["logistic4", "none"] = "logistic4"
    reference_file: str = "mos.csv"


SPEC = EvaluatorSpec(
    key="quality_assessment",
    version="1.0.0",
    title_zh="质量评价模型评测（与主观 MOS 的一致性）",
    title_en="Quality assessment (agreement with subjective MOS)",
    submission_format_zh=(
        "提交一个 CSV 文件（如 scores.csv），UTF-8，表头为 id,score，每个测试样本一行；"
        "score 为有限实数，越大表示质量越好或越差均可（秩相关不受影响）。"
    ),
    submission_format_en=(
        "One CSV file (e.g. scores.csv), UTF-8, header id,score, one row per test item; "
        "score is a finite real number (its direction does not matter for rank correlation)."
    ),
    reference_format_en="mos.csv with header id,mos covering every test item.",
    metrics=[
        MetricSpec(
            key="srocc",
            label_zh="SROCC",
            label_en="SROCC",
            direction="higher",
            formula_zh="预测分与 MOS 的 Spearman 秩相关（并列取平均秩），在原始预测分上计算。",
            formula_en="Spearman rank correlation of raw predictions with MOS (ties: mean rank).",
        ),
        MetricSpec(
            key="krocc",
            label_zh="KROCC",
            label_en="KROCC",
            direction="higher",
            formula_zh="Kendall tau-b 秩相关，在原始预测分上计算。",
            formula_en="Kendall tau-b rank correlation on raw predictions.",
        ),
        MetricSpec(
            key="plcc",
            label_zh="PLCC",
            label_en="PLCC",
            direction="higher",
            formula_zh="VQEG 四参数 logistic 拟合 (β1−β2)/(1+e^{−(x−β3)/|β4|})+β2 后"
            "与 MOS 的 Pearson 相关。",
            formula_en="Pearson correlation with MOS after the VQEG 4-parameter logistic fit "
            "(β1−β2)/(1+e^{−(x−β3)/|β4|})+β2.",
        ),
        MetricSpec(
            key="rmse",
            label_zh="RMSE",
            label_en="RMSE",
            direction="lower",
            formula_zh="logistic 拟合后预测与 MOS 的均方根误差。",
            formula_en="Root mean squared error between fitted predictions and MOS.",
        ),
    ],
    primary_metric="srocc",
    config_model=QualityAssessmentConfig,
)


def _names(ids: Sequence[str]) -> str:
    shown = ", ".join(sorted(ids)[:_SHOWN_IDS])
    return shown + (f" … ({len(ids)} in all)" if len(ids) > _SHOWN_IDS else "")


def _read_table(path: Path, value_column: str, *, who: str) -> list[tuple[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    if header != ["id", value_column]:
        raise SubmissionError(
            f"{who} {path.name} must start with the header 'id,{value_column}', found {header}",
            f"{path.name} 的表头必须为 id,{value_column}，实际为 "
            + (",".join(header) if header else "空"),
        )
    return [(row[0].strip(), row[1].strip() if len(row) > 1 else "") for row in rows[1:] if row]


def _read_scores(submission_dir: Path) -> dict[str, float]:
    files = sorted(submission_dir.glob("*.csv"))
    if not files and (folder := hints.wrapper_folder(submission_dir, ["*.csv"])):
        raise hints.wrapped_error(folder, ["scores.csv"])
    if len(files) != 1:
        raise SubmissionError(
            f"expected exactly one CSV file, found {len(files)}",
            f"应恰好提交一个 CSV 文件，实际为 {len(files)} 个",
        )
    try:
        rows = _read_table(files[0], "score", who="the submission")
    except UnicodeDecodeError as exc:
        raise SubmissionError(f"{files[0].name} is not UTF-8 text", "CSV 不是 UTF-8 文本") from exc
    counts = Counter(item_id for item_id, _ in rows)
    duplicates = [item_id for item_id, n in counts.items() if n > 1]
    if duplicates:
        shown = _names(duplicates)
        raise SubmissionError(f"duplicate ids: {shown}", f"重复的 id：{shown}")
    scores, bad = {}, []
    for item_id, text in rows:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            bad.append(item_id)
        scores[item_id] = value
    if bad:
        raise SubmissionError(
            f"scores that are not finite numbers for ids: {_names(bad)}",
            f"以下 id 的分数不是有限实数：{_names(bad)}",
        )
    return scores


def _summarize(items: Sequence[ItemResult], mos: dict[str, float], fit: str) -> dict[str, float]:
    predicted = [item.metrics["score"] for item in items]
    truth = [mos[item.id] for item in items]
    if len(items) < 3:
        raise SubmissionError("fewer than 3 items in a split", "某个划分中的样本少于 3 个")
    try:
        mapped = list(fit_logistic_4(predicted, truth)) if fit == "logistic4" else predicted
        return {
            "srocc": srocc(predicted, truth),
            "krocc": krocc(predicted, truth),
            "plcc": plcc(mapped, truth),
            "rmse": rmse(mapped, truth),
        }
    except ValueError as exc:  # e.g. every prediction identical
        raise SubmissionError(
            f"correlation is undefined: {exc}",
            "相关系数无定义（例如所有分数都相同）",
        ) from exc


def evaluate(ctx: EvaluationContext) -> EvaluationResult:
    config: QualityAssessmentConfig = ctx.config
    reference_rows = _read_table(ctx.reference_dir / config.reference_file, "mos", who="reference")
    mos = {item_id: float(value) for item_id, value in reference_rows}
    scores = _read_scores(ctx.submission_dir)
    missing = [i for i in mos if i not in scores]
    extra = [i for i in scores if i not in mos]
    if missing:
        raise SubmissionError(f"missing ids: {_names(missing)}", f"缺少的 id：{_names(missing)}")
    if extra:
        raise SubmissionError(f"unknown ids: {_names(extra)}", f"未知的 id：{_names(extra)}")
    items = [ItemResult(id=i, split=item_split(ctx, i), metrics={"score": scores[i]}) for i in mos]
    return ok_result(ctx, items, summarize=lambda subset: _summarize(subset, mos, config.fit))
