"""Reading a CodaLab v1.5 ``competition.yaml``: numbered phases, ``html:`` pages and one
``leaderboard:`` with ``rank`` and ``numeric_format`` columns."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from jiebang.bundles.formats.codabench_records import (
    Column,
    Competition,
    Leaderboard,
    Phase,
    Reader,
    Task,
)
from jiebang.bundles.loader import Key


def read_v15(reader: Reader, data: dict, comp: Competition) -> None:
    """Numbered phases, each naming its own programs and data: one task per distinct set."""
    raw_phases = data.get("phases")
    if not isinstance(raw_phases, dict | list) or not raw_phases:
        reader.bad(("phases",), "the bundle needs phases")
        return
    items = raw_phases.items() if isinstance(raw_phases, dict) else enumerate(raw_phases)
    tasks: dict[tuple[Any, ...], int] = {}
    for name, raw in items:
        key: Key = ("phases", str(name) if isinstance(raw_phases, dict) else name)
        if not isinstance(raw, dict):
            reader.bad(key, "a phase must be a mapping")
            continue
        program = raw.get("scoring_program")
        if not program:
            reader.bad(key, "a phase needs a scoring_program")
            continue
        ingestion = raw.get("ingestion_program")
        code = not reader.flag(raw, "is_scoring_only", True)
        # only a program reads the input data: the ingestion, or a code submission
        inputs = raw.get("input_data") if ingestion or code else None
        signature = (program, ingestion, inputs, raw.get("reference_data"), code)
        if signature not in tasks:
            tasks[signature] = len(comp.tasks)
            comp.tasks.append(
                Task(
                    index=len(comp.tasks),
                    name=str(raw.get("label") or f"Task {len(comp.tasks) + 1}"),
                    description=reader.text(raw, "description", key),
                    scoring_program=str(program),
                    ingestion_program=signature[1] or None,
                    input_data=signature[2] or None,
                    reference_data=signature[3] or None,
                    key=key,
                    code_submissions=code and not ingestion,
                )
            )
        start = reader.moment(raw, "start_date", key)
        comp.phases.append(
            Phase(
                index=reader.integer(raw, "phasenumber", key, len(comp.phases) + 1),
                name=str(raw.get("label") or f"Phase {len(comp.phases) + 1}"),
                description=reader.text(raw, "description", key),
                start=start or datetime(2000, 1, 1, tzinfo=UTC),
                end=None,
                tasks=[tasks[signature]],
                max_submissions=reader.integer(raw, "max_submissions", key, 100),
                max_submissions_per_day=reader.integer(raw, "max_submissions_per_day", key, 5),
                execution_time_limit=reader.integer(raw, "execution_time_limit", key, 600),
                auto_migrate=reader.flag(raw, "auto_migration"),
                public_data=raw.get("public_data") or None,
                starting_kit=raw.get("starting_kit") or None,
            )
        )
    comp.phases.sort(key=lambda p: p.index)
    for earlier, later in zip(comp.phases, comp.phases[1:], strict=False):
        earlier.end = later.start  # v1.5 phases end when the next one starts
    end = reader.moment(data, "end_date", ())
    if comp.phases and end is not None:
        comp.phases[-1].end = end
    board = data.get("leaderboard") if isinstance(data.get("leaderboard"), dict) else {}
    columns = board.get("columns") if isinstance(board, dict) else None
    result = Leaderboard(key="Results", title="Results", index=0)
    for n, (name, raw) in enumerate((columns or {}).items() if isinstance(columns, dict) else []):
        ckey: Key = ("leaderboard", "columns", str(name))
        raw = raw if isinstance(raw, dict) else {}
        result.columns.append(
            Column(
                key=str(name),
                title=str(raw.get("label") or name),
                index=reader.integer(raw, "rank", ckey, n + 1) - 1,
                higher_is_better=str(raw.get("sort", "desc")).lower() != "asc",
                precision=reader.integer(raw, "numeric_format", ckey, 2),
                hidden=reader.flag(raw, "hidden"),
            )
        )
    result.columns.sort(key=lambda c: c.index)
    comp.leaderboards.append(result)
