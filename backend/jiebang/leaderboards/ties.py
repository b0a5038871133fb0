"""Ties as readers see them: rows equal on the primary column share a rank, and the board
states the rule that ordered them (secondary columns, then the earlier submission), since
that order decides the award tiers."""

from __future__ import annotations

from typing import Any

from jiebang.leaderboards.ranking import Column


def rule(columns: list[Column], primary: str, secondary: list[str]) -> dict[str, str]:
    """The tie-break rule in both languages, naming the board's own columns."""
    labels = {c.key: c for c in columns}
    head = labels.get(primary)
    then_zh = "".join(f"{labels[k].label_zh}，再按" for k in secondary if k in labels)
    then_en = "".join(f"{labels[k].label_en}, then by " for k in secondary if k in labels)
    return {
        "tie_rule_zh": (
            f"{head.label_zh if head else primary}相同者并列同一名次；"
            f"其先后（及奖项）依次按{then_zh}提交时间较早者优先。"
        ),
        "tie_rule_en": (
            f"Entries equal on {head.label_en if head else primary} share a rank; their order "
            f"(and the awards) is decided by {then_en}the earlier submission."
        ),
    }


def mark(rows: list[dict[str, Any]], primary: str, secondary: list[str]) -> None:
    """Give each row ``shared_rank`` and ``tied``; a tied row ranked after its neighbour
    gets ``tie_break``: the secondary column that separated them, or ``submitted_at``."""
    previous: dict[str, Any] | None = None
    for row in rows:
        value = row.get("scores", {}).get(primary)
        tied = previous is not None and value is not None and value == previous["_value"]
        row["shared_rank"] = previous["shared_rank"] if tied and previous else row["rank"]
        row["tied"] = False
        row["tie_break"] = None
        if tied and previous is not None:
            previous["tied"] = row["tied"] = True
            row["tie_break"] = next(
                (
                    k
                    for k in secondary
                    if row.get("scores", {}).get(k) != previous.get("scores", {}).get(k)
                ),
                "submitted_at",
            )
        row["_value"] = value
        previous = row
    for row in rows:
        row.pop("_value", None)
