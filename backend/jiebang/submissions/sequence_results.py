"""Per-sequence and per-class results of a codec score (video_codec_rd), as pages and CSV show them.

Built from the score's stored items, never from the evaluator's own ``class_table``: that table
averages over every split, so a team's view must be recomputed from the items it may see
(:func:`jiebang.submissions.views.public_items`). Decoding times are in the items too: the
worker merges them after the evaluator ran (``worker/complexity.py``).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Field, SQLModel

# Columns in the order the tables and the CSV show them; only those some row has are listed.
BD_KEYS = (
    "bd_rate",
    "bd_rate_anchor2",
    "bd_rate_anchor3",
    "bd_rate_vmaf",
    "bd_rate_vmaf_anchor2",
    "bd_rate_vmaf_anchor3",
    "bd_rate_psnr_yuv",
    "bd_rate_psnr_yuv_anchor2",
    "bd_rate_psnr_yuv_anchor3",
    "bd_quality",
)
DECODING_KEYS = ("dec_time_ratio", "dec_cpu_s", "dec_wall_s")
SEQUENCE_KEYS = BD_KEYS + DECODING_KEYS


class AnchorRef(SQLModel):
    """An anchor the BD-rates compare against: its number (1 = the ranked one) and encoder."""

    number: int
    file: str
    encoder: str


class RatePoint(SQLModel):
    kbps: float
    quality: dict[str, float] = Field(default_factory=dict)


class SequenceRow(SQLModel):
    sequence: str
    sequence_class: str | None = None
    split: str
    metrics: dict[str, float] = Field(default_factory=dict)  # keys from SEQUENCE_KEYS
    rate_points: list[RatePoint] = Field(default_factory=list)


class ClassRow(SQLModel):
    sequence_class: str
    sequences: list[str]
    metrics: dict[str, float] = Field(default_factory=dict)  # means over the class's sequences


class SequenceResults(SQLModel):
    """What the codec tables show; empty when the score has no rate-distortion items."""

    bd_metric: str | None = None  # the quality metric the track ranks BD-rate on
    vmaf_model: str | None = None  # e.g. vmaf_v0.6.1neg, where VMAF was measured
    anchors: list[AnchorRef] = Field(default_factory=list)
    columns: list[str] = Field(default_factory=list)
    sequences: list[SequenceRow] = Field(default_factory=list)
    classes: list[ClassRow] = Field(default_factory=list)


def _is_codec_item(item: dict[str, Any]) -> bool:
    return isinstance(item.get("extra"), dict) and "rate_points" in item["extra"]


def _row(item: dict[str, Any]) -> SequenceRow:
    extra = item["extra"]
    metrics = item.get("metrics") or {}
    cls = extra.get("class")
    return SequenceRow(
        sequence=str(item.get("id")),
        sequence_class=str(cls) if cls else None,
        split=str(item.get("split", "")),
        metrics={k: float(metrics[k]) for k in SEQUENCE_KEYS if metrics.get(k) is not None},
        rate_points=[RatePoint.model_validate(p) for p in extra.get("rate_points") or []],
    )


def _anchors(items: list[dict[str, Any]]) -> list[AnchorRef]:
    for item in items:
        extra = item["extra"]
        first = extra.get("anchor")
        if not isinstance(first, dict):
            continue
        found = [AnchorRef(number=1, file=str(first["file"]), encoder=str(first["encoder"]))]
        for number, other in enumerate(extra.get("extra_anchors") or [], start=2):
            found.append(
                AnchorRef(number=number, file=str(other["file"]), encoder=str(other["encoder"]))
            )
        return found
    return []


def class_rows(rows: list[SequenceRow]) -> list[ClassRow]:
    """Each named class with the mean of every column over its sequences (those that have it)."""
    by_class: dict[str, list[SequenceRow]] = {}
    for row in rows:
        if row.sequence_class:
            by_class.setdefault(row.sequence_class, []).append(row)
    out = []
    for name in sorted(by_class):
        members = by_class[name]
        means = {}
        for key in SEQUENCE_KEYS:
            values = [m.metrics[key] for m in members if key in m.metrics]
            if values:
                means[key] = sum(values) / len(values)
        out.append(
            ClassRow(sequence_class=name, sequences=[m.sequence for m in members], metrics=means)
        )
    return out


def build(items: list[dict[str, Any]]) -> SequenceResults:
    """The tables of the given (already visibility-filtered) items."""
    codec = [item for item in items if _is_codec_item(item)]
    if not codec:
        return SequenceResults()
    rows = [_row(item) for item in codec]
    present = {key for row in rows for key in row.metrics}
    first = codec[0]["extra"]
    return SequenceResults(
        bd_metric=first.get("bd_metric"),
        vmaf_model=next(
            (i["extra"]["vmaf_model"] for i in codec if i["extra"].get("vmaf_model")), None
        ),
        anchors=_anchors(codec),
        columns=[key for key in SEQUENCE_KEYS if key in present],
        sequences=rows,
        classes=class_rows(rows),
    )


def evaluator_class_table(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The evaluator's ``plots.class_table`` shape ({class, sequences, <key>: mean}) of ``items``."""
    results = build(items)
    return [
        {"class": c.sequence_class, "sequences": c.sequences, **c.metrics} for c in results.classes
    ]


def csv_rows(results: SequenceResults) -> tuple[list[str], list[list[Any]]]:
    """(header, rows) of the per-sequence CSV: the columns, then each rate point's rate and
    quality values (r1_kbps, r1_psnr_yuv, …), then one row per class with the class means."""
    quality = sorted({k for row in results.sequences for p in row.rate_points for k in p.quality})
    n_points = max((len(row.rate_points) for row in results.sequences), default=0)
    point_header = [
        name
        for k in range(1, n_points + 1)
        for name in (f"r{k}_kbps", *(f"r{k}_{q}" for q in quality))
    ]
    header = ["row", "sequence", "class", "split", *results.columns, *point_header]
    rows: list[list[Any]] = []
    for row in results.sequences:
        cells: list[Any] = ["sequence", row.sequence, row.sequence_class or "", row.split]
        cells += [row.metrics.get(key, "") for key in results.columns]
        for k in range(n_points):
            if k < len(row.rate_points):
                point = row.rate_points[k]
                cells += [point.kbps, *(point.quality.get(q, "") for q in quality)]
            else:
                cells += [""] * (1 + len(quality))
        rows.append(cells)
    for cls in results.classes:
        cells = ["class_mean", "; ".join(cls.sequences), cls.sequence_class, ""]
        cells += [cls.metrics.get(key, "") for key in results.columns]
        rows.append(cells + [""] * len(point_header))
    return header, rows
