"""Pure ranking: columns from the evaluator spec and the track's config, one entry per team
by the phase's submission rule, ties broken by secondary columns and then submission time."""

from __future__ import annotations

import math
import statistics
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

AGGREGATES: dict[str, Callable[[list[float]], float]] = {
    "mean": statistics.fmean,
    "median": statistics.median,
    "min": min,
    "max": max,
    "sum": math.fsum,
}


@dataclass(frozen=True)
class Column:
    key: str
    label_zh: str
    label_en: str
    direction: str  # "higher" | "lower"
    precision: int
    metric: str  # the evaluator metric it reads
    aggregate: str | None = None  # None: the split's metric; else an aggregate over per-item rows


@dataclass(frozen=True)
class Entry:
    """One scored submission as the board sees it: values of one split only."""

    submission_id: int
    team_id: int
    submitted_at: datetime
    metrics: dict[str, float]
    items: list[dict[str, Any]] = field(default_factory=list)
    selected: bool = False
    public_metrics: dict[str, float] | None = None  # for the default final selection only
    public_items: list[dict[str, Any]] | None = None


@dataclass(frozen=True)
class Ranked:
    rank: int
    entry: Entry
    values: dict[str, float | None]


class BoardConfigError(ValueError):
    pass


def columns_for(
    spec: dict[str, Any], config: dict[str, Any]
) -> tuple[list[Column], str, list[str]]:
    """(columns, primary key, secondary keys) from the evaluator spec and track.leaderboard."""
    metrics = {m["key"]: m for m in spec.get("metrics", [])}
    precision_override = config.get("precision") or {}
    wanted = config.get("columns") or list(metrics)
    columns: list[Column] = []
    for raw in wanted:
        columns.append(
            _column(raw if isinstance(raw, dict) else {"key": raw}, metrics, precision_override)
        )
    primary = str(
        config.get("primary") or spec.get("primary_metric") or (columns[0].key if columns else "")
    )
    if primary not in {c.key for c in columns}:
        columns.insert(0, _column({"key": primary}, metrics, precision_override))
    secondary = [str(k) for k in config.get("secondary", [])]
    unknown = [k for k in secondary if k not in {c.key for c in columns}]
    if unknown:
        raise BoardConfigError(f"secondary columns {unknown} are not leaderboard columns")
    return columns, primary, secondary


def _column(
    raw: dict[str, Any], metrics: dict[str, dict[str, Any]], precision: dict[str, Any]
) -> Column:
    key = str(raw.get("key", ""))
    metric_key = str(raw.get("metric", key))
    base = metrics.get(metric_key)
    if base is None:
        raise BoardConfigError(f"column {key!r} reads unknown metric {metric_key!r}")
    aggregate = raw.get("aggregate")
    if aggregate is not None and aggregate not in AGGREGATES:
        raise BoardConfigError(f"column {key!r}: aggregate must be one of {sorted(AGGREGATES)}")
    direction = str(raw.get("direction", base["direction"]))
    if direction not in ("higher", "lower"):
        raise BoardConfigError(f"column {key!r}: direction must be higher or lower")
    return Column(
        key=key,
        label_zh=str(raw.get("label_zh", base["label_zh"])),
        label_en=str(raw.get("label_en", base["label_en"])),
        direction=direction,
        precision=int(precision.get(key, raw.get("precision", base.get("precision", 4)))),
        metric=metric_key,
        aggregate=aggregate,
    )


def _finite(value: Any) -> float | None:
    kind = type(value)  # exact types: bool is not a number here; called once per row and column
    if kind is float:
        return value if math.isfinite(value) else None
    if kind is int:
        return float(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _item_value(row: dict[str, Any], metric: str) -> float | None:
    inner = row.get("metrics")
    return _finite(inner.get(metric) if isinstance(inner, dict) else row.get(metric))


def value_of(
    column: Column, metrics: dict[str, float], items: Sequence[dict[str, Any]]
) -> float | None:
    """The column's value, rounded to its precision; None when missing or not finite."""
    if column.aggregate is None:
        raw = _finite(metrics.get(column.metric))
    else:
        values = [v for v in (_item_value(r, column.metric) for r in items) if v is not None]
        raw = AGGREGATES[column.aggregate](values) if values else None
    return None if raw is None else round(raw, column.precision)


def values_of(
    columns: Sequence[Column], metrics: dict[str, float], items: Sequence[dict[str, Any]]
) -> dict[str, float | None]:
    return {c.key: value_of(c, metrics, items) for c in columns}


def sort_key(
    values: dict[str, float | None], entry: Entry, order: Sequence[Column]
) -> tuple[Any, ...]:
    """Better first: each ranking column (missing values last), then the earlier submission."""
    parts: list[Any] = []
    for column in order:
        value = values.get(column.key)
        if value is None:
            parts.append((1, 0.0))
        else:
            parts.append((0, -value if column.direction == "higher" else value))
    return (*parts, entry.submitted_at, entry.submission_id)


def ranking_order(
    columns: Sequence[Column], primary: str, secondary: Sequence[str]
) -> list[Column]:
    """The columns a board sorts by: the primary one, then each tie-break."""
    by_key = {c.key: c for c in columns}
    return [by_key[primary], *(by_key[k] for k in secondary)]


def choose(
    team_entries: list[tuple[Entry, dict[str, float | None]]],
    *,
    order: Sequence[Column],
    rule: str,
    final: bool,
    max_selected: int,
) -> tuple[Entry, dict[str, float | None]] | None:
    """The one entry that represents a team (its scored entries given) by the phase's rule."""
    candidates = team_entries
    if rule == "latest":
        candidates = [max(team_entries, key=lambda ev: (ev[0].submitted_at, ev[0].submission_id))]
    elif rule == "selected" and final:
        candidates = final_candidates(team_entries, order=order, max_selected=max_selected)
    if not candidates:
        return None
    return min(candidates, key=lambda ev: sort_key(ev[1], ev[0], order))


def ladder(
    team_entries: list[tuple[Entry, dict[str, float | None]]],
    *,
    column: Column,
    step: float,
) -> tuple[Entry, dict[str, float | None]] | None:
    """The team's entry on a Ladder board (Blum & Hardt 2015), its primary value laddered.

    Going through the team's entries in submission order, the shown score moves only when an
    entry beats it by more than `step`, and then to that entry's score rounded to a multiple
    of `step`; the entry that last moved it is the one shown. Probing the public split one
    submission at a time then learns little more than whether it crossed a step.

    References
    ----------
    A. Blum and M. Hardt, "The Ladder: A Reliable Leaderboard for Machine Learning
    Competitions", Proc. 32nd ICML, PMLR 37:1006-1014, 2015. arXiv:1502.04585.
    """
    shown: tuple[Entry, dict[str, float | None]] | None = None
    best: float | None = None
    sign = 1.0 if column.direction == "higher" else -1.0
    for entry, values in sorted(
        team_entries, key=lambda ev: (ev[0].submitted_at, ev[0].submission_id)
    ):
        value = values[column.key]
        assert value is not None  # entries without a primary value never reach a board
        if best is None or sign * (value - best) > step:
            best = round(round(value / step) * step, column.precision)
            shown = (entry, values | {column.key: best})
    return shown


def scored_by_team(
    entries: Sequence[Entry], *, columns: Sequence[Column], primary: str
) -> dict[int, list[tuple[Entry, dict[str, float | None]]]]:
    """Each team's entries with their column values, leaving off those without a primary value."""
    teams: dict[int, list[tuple[Entry, dict[str, float | None]]]] = {}
    for entry in entries:
        values = values_of(columns, entry.metrics, entry.items)
        if values.get(primary) is not None:
            teams.setdefault(entry.team_id, []).append((entry, values))
    return teams


def rank(
    entries: Sequence[Entry],
    *,
    columns: Sequence[Column],
    primary: str,
    secondary: Sequence[str],
    rule: str,
    final: bool,
    max_selected: int,
) -> list[Ranked]:
    """One row per team, ranked 1..n. `final` means the private board (where selection applies)."""
    order = ranking_order(columns, primary, secondary)
    chosen = []
    for team_entries in scored_by_team(entries, columns=columns, primary=primary).values():
        picked = choose(
            team_entries, order=order, rule=rule, final=final, max_selected=max_selected
        )
        if picked is not None:
            chosen.append(picked)
    chosen.sort(key=lambda ev: sort_key(ev[1], ev[0], order))
    return [Ranked(rank=i, entry=e, values=v) for i, (e, v) in enumerate(chosen, start=1)]


_EPOCH = datetime(1, 1, 1, tzinfo=UTC)
_MISSING = "1" + "0" * 20
_SIGN = 1 << 63
_ALL_BITS = (1 << 64) - 1


def _ordered(number: float) -> str:
    """A fixed-width digit string that sorts as the float does (IEEE 754 bits, sign folded)."""
    (bits,) = struct.unpack(">Q", struct.pack(">d", number + 0.0))  # + 0.0: -0.0 is 0.0
    bits = bits ^ _ALL_BITS if bits & _SIGN else bits | _SIGN
    return f"0{bits:020d}"


def rank_key(values: dict[str, float | None], entry: Entry, order: Sequence[Column]) -> str:
    """`sort_key` as one string of digits: comparing two keys as strings (in any collation, as
    they hold only digits and have one length per board) orders them as `sort_key` does, so a
    database index on it lists a board in rank order."""
    parts = []
    for column in order:
        value = values.get(column.key)
        if value is None:
            parts.append(_MISSING)
        else:
            parts.append(_ordered(-value if column.direction == "higher" else value))
    micros = (entry.submitted_at - _EPOCH) // timedelta(microseconds=1)
    return "".join(parts) + f"{micros:020d}{entry.submission_id:020d}"


def submitted_at_of(key: str) -> datetime:
    """The submission time a `rank_key` carries (cheaper than decoding a timestamp column)."""
    return _EPOCH + timedelta(microseconds=int(key[-40:-20]))


def final_candidates(
    team_entries: list[tuple[Entry, dict[str, float | None]]],
    *,
    order: Sequence[Column],
    max_selected: int,
) -> list[tuple[Entry, dict[str, float | None]]]:
    """The team's selected submissions; if it selected none, its best N by public score (Kaggle)."""
    selected = [ev for ev in team_entries if ev[0].selected]
    if selected:
        return selected[:max_selected]

    def public_key(ev: tuple[Entry, dict[str, float | None]]) -> tuple[Any, ...]:
        entry = ev[0]
        public = values_of(order, entry.public_metrics or {}, entry.public_items or [])
        return sort_key(public, entry, order)

    return sorted(team_entries, key=public_key)[:max_selected]
