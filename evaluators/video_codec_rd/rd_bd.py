"""BD-rate of one sequence against one or more anchors (helper of evaluator.py).

The submission's curve is checked once: quality must rise with rate (or, opted
in, the curve is replaced by its convex hull), then it is compared with each
anchor over the quality interval both cover, with the overlap measured and
warned on (or refused) below the configured minimum.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jiebang_eval.codec_rd import RdPoint, SequenceInfo
from jiebang_eval.contract import EvaluationContext, SubmissionError
from jiebang_eval.metrics.bjontegaard import (
    NonMonotonicCurve,
    bd_quality,
    bd_rate,
    check_monotone,
    overlap_fraction,
    rd_convex_hull,
)


@dataclass
class Curve:
    """The submission's (rate, quality) points on the BD metric, after the monotone rule."""

    rates: list[float]
    quality: list[float]
    extra: dict[str, Any] = field(default_factory=dict)


def checked_curve(
    ctx: EvaluationContext, seq: SequenceInfo, points: list[RdPoint], config: Any
) -> Curve:
    """The curve to score: refused if not monotone, or its hull where the track opts in."""
    key = config.bd_metric
    rates, quality = [p.kbps for p in points], [p.quality[key] for p in points]
    try:
        check_monotone(rates, quality, name=seq.name)
    except NonMonotonicCurve as exc:
        shown = ", ".join(f"{r:.1f} kbps → {q:.4g}" for r, q in exc.points)
        if config.non_monotonic == "refuse":
            raise SubmissionError(
                f"{seq.name}: {key} does not increase with rate at these points: {shown}; "
                "every higher rate point must have a higher quality",
                f"{seq.name}：{key} 未随码率升高而升高，问题码率点：{shown}；码率越高的点质量必须越高",
            ) from exc
        hull_rates, hull_quality = rd_convex_hull(rates, quality)
        ctx.warn(f"{seq.name}: {key} not monotonic at {shown}; scored on the convex hull")
        hull = [[float(r), float(q)] for r, q in zip(hull_rates, hull_quality, strict=True)]
        return Curve([r for r, _ in hull], [q for _, q in hull], {"convex_hull": hull})
    return Curve(rates, quality)


def bd_against_anchor(
    ctx: EvaluationContext,
    seq: SequenceInfo,
    curve: Curve,
    anchor: list[RdPoint],
    config: Any,
    *,
    anchor_name: str,
) -> tuple[dict[str, float], dict[str, Any]]:
    """(bd_rate and bd_quality, overlap details) of ``curve`` against one anchor."""
    key = config.bd_metric
    if any(key not in p.quality for p in anchor):
        raise RuntimeError(f"{anchor_name} has no {key!r} for {seq.name}; regenerate it")
    anchor_rates, anchor_quality = [p.kbps for p in anchor], [p.quality[key] for p in anchor]
    rates, quality = curve.rates, curve.quality
    if max(rates) < min(anchor_rates) or min(rates) > max(anchor_rates):
        raise SubmissionError(
            f"rates {min(rates):.1f}–{max(rates):.1f} kbps of {seq.name} do not overlap the "
            f"anchor's {min(anchor_rates):.1f}–{max(anchor_rates):.1f} kbps",
            f"{seq.name} 的码率范围 {min(rates):.1f}–{max(rates):.1f} kbps 与锚点 "
            f"{min(anchor_rates):.1f}–{max(anchor_rates):.1f} kbps 不重叠",
        )
    overlap = overlap_fraction(anchor_quality, quality)
    details: dict[str, Any] = {"overlap": overlap}
    if overlap < config.min_overlap:
        if config.min_overlap_rule == "refuse":
            raise SubmissionError(
                f"{seq.name}: the {key} range overlaps the anchor's by {overlap:.0%}, "
                f"below the required {config.min_overlap:.0%}",
                f"{seq.name}：{key} 范围与锚点重叠 {overlap:.0%}，低于要求的 {config.min_overlap:.0%}",
            )
        ctx.warn(
            f"{seq.name}: {key} overlaps {anchor_name} by {overlap:.0%} "
            f"(< {config.min_overlap:.0%}); BD-rate is extrapolated from a narrow interval"
        )
        details["overlap_warning"] = True
    method = config.bd_method
    try:
        metrics = {
            "bd_rate": bd_rate(anchor_rates, anchor_quality, rates, quality, method=method),
            "bd_quality": bd_quality(anchor_rates, anchor_quality, rates, quality, method=method),
        }
    except ValueError as exc:
        raise SubmissionError(
            f"BD on {key} cannot be computed for {seq.name}: {exc}",
            f"{seq.name} 无法计算 {key} 的 BD 值：{exc}",
        ) from exc
    return metrics, details


# Quality metrics whose BD-rate is reported beside the ranked one (bd_metric), against every
# anchor: bd_rate_<key> (first anchor), bd_rate_<key>_anchor2, bd_rate_<key>_anchor3.
SECONDARY_BD_KEYS = ("psnr_yuv", "vmaf")


def secondary_bd_key(key: str, anchor_index: int) -> str:
    """Metric key of the BD-rate on ``key`` against the anchor numbered ``anchor_index`` (1-based)."""
    return f"bd_rate_{key}" if anchor_index == 1 else f"bd_rate_{key}_anchor{anchor_index}"


def secondary_bd_rates(
    ctx: EvaluationContext,
    seq: SequenceInfo,
    points: list[RdPoint],
    anchors: list[tuple[str, Any]],
    config: Any,
    key: str,
) -> dict[str, float]:
    """BD-rate on ``key`` (not the ranked metric) against each anchor, as reported metrics.

    The same rules as the ranked metric (monotone curve or its opted-in hull, overlap
    warning), but a curve or an anchor these rules refuse leaves the value out, with a
    warning, instead of refusing the submission: only ``bd_metric`` decides validity.
    Nothing is reported when the submission or an anchor lacks ``key`` (e.g. VMAF off).
    """
    if any(key not in p.quality for p in points):
        return {}
    on_key = config.model_copy(update={"bd_metric": key})
    try:
        curve = checked_curve(ctx, seq, points, on_key)
    except SubmissionError as exc:
        ctx.warn(f"{seq.name}: no BD-rate on {key}: {exc.message_en}")
        return {}
    found: dict[str, float] = {}
    for index, (name, anchor) in enumerate(anchors, start=1):
        reference = anchor.sequences[seq.name]
        if any(key not in p.quality for p in reference):
            continue
        try:
            metrics, _ = bd_against_anchor(ctx, seq, curve, reference, on_key, anchor_name=name)
        except SubmissionError as exc:
            ctx.warn(f"{seq.name}: no BD-rate on {key} against {name}: {exc.message_en}")
            continue
        found[secondary_bd_key(key, index)] = metrics["bd_rate"]
    return found


def class_table(items: list[Any], metric_keys: list[str]) -> list[dict[str, Any]]:
    """Per-class means of ``metric_keys`` over the items whose ``extra["class"]`` is set."""
    by_class: dict[str, list[Any]] = {}
    for item in items:
        name = item.extra.get("class")
        if name:
            by_class.setdefault(str(name), []).append(item)
    rows = []
    for name in sorted(by_class):
        members = by_class[name]
        row: dict[str, Any] = {"class": name, "sequences": [m.id for m in members]}
        for key in metric_keys:
            values = [m.metrics[key] for m in members if key in m.metrics]
            if values:
                row[key] = sum(values) / len(values)
        rows.append(row)
    return rows


def rd_curve_plot(
    name: str, measured: list[RdPoint], anchors: list[tuple[str, Any]], key: str
) -> dict[str, Any]:
    """The RD chart data of one sequence: the submission, the anchor and any further anchors."""

    def points(rd: list[RdPoint]) -> list[list[float]]:
        return [[p.kbps, p.quality[key]] for p in rd]

    (_, first), *others = anchors
    return {
        "sequence": name,
        "metric": key,
        "anchor": points(first.sequences[name]),
        "anchor_encoder": first.encoder,
        "submission": points(measured),
        "extra_anchors": [
            {"file": file, "encoder": other.encoder, "points": points(other.sequences[name])}
            for file, other in others
        ],
    }
