"""Reading a Codabench ``competition.yaml`` (v2, or a CodaLab v1.5 bundle) into plain records.

Only reading and checking happens here; every problem names ``competition.yaml:line: key``.
:mod:`jiebang.bundles.formats.codabench` turns the records into a Jiebang contest.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from jiebang.bundles.formats.codabench_records import (
    Column,
    Competition,
    Leaderboard,
    Phase,
    Reader,
    Solution,
    Task,
    parse_date,
)
from jiebang.bundles.formats.codabench_v15 import read_v15
from jiebang.bundles.loader import Document, Key, Problem

COMPETITION_FILE = "competition.yaml"
__all__ = [
    "COMPETITION_FILE",
    "Column",
    "Competition",
    "Leaderboard",
    "Phase",
    "Solution",
    "Task",
    "parse_date",
    "read_competition",
]


def read_competition(doc: Document) -> tuple[Competition | None, list[Problem]]:
    """The competition described by ``doc`` (v2 when ``version: 2``, else v1.5)."""
    reader = Reader(doc)
    data = doc.data
    v2 = str(data.get("version", "")).strip() == "2"
    comp = Competition(
        version="2" if v2 else "1.5",
        title=reader.text(data, "title", ()),
        description=reader.text(data, "description", ()),
        image=data.get("image") or None,
        # v1.5 names it competition_docker_image
        docker_image=reader.text(data, "docker_image", ())
        or ("" if v2 else reader.text(data, "competition_docker_image", ())),
        make_programs_available=reader.flag(data, "make_programs_available"),
        enable_detailed_results=reader.flag(data, "enable_detailed_results"),
    )
    if not comp.title:
        reader.bad(("title",), "the competition needs a title")
    comp.fact_sheet = read_fact_sheet(reader, data.get("fact_sheet"))
    if v2:
        comp.auto_approve = reader.flag(data, "registration_auto_approve", False)
        comp.terms = data.get("terms") or None
        for p, page in enumerate(reader.listing(data, "pages", ())):
            if isinstance(page, dict) and page.get("file"):
                comp.pages.append((str(page.get("title") or page["file"]), str(page["file"])))
            else:
                reader.bad(("pages", p), "a page needs a file")
        _read_v2(reader, data, comp)
    else:
        comp.auto_approve = not reader.flag(data, "has_registration", False)
        html = data.get("html") if isinstance(data.get("html"), dict) else {}
        comp.terms = html.pop("terms", None) if html else None
        comp.pages = [(str(title).title(), str(file)) for title, file in (html or {}).items()]
        read_v15(reader, data, comp)
    _cross_check(reader, comp)
    return (None if reader.problems else comp), sorted(set(reader.problems))


def _read_v2(reader: Reader, data: dict, comp: Competition) -> None:
    for t, raw in enumerate(reader.listing(data, "tasks", ())):
        key: Key = ("tasks", t)
        if not isinstance(raw, dict):
            reader.bad(key, "a task must be a mapping (index, name, scoring_program, …)")
            continue
        if "index" not in raw:
            reader.bad(key, "a task needs an index")
            continue
        comp.tasks.append(
            Task(
                index=reader.integer(raw, "index", key, t),
                name=reader.text(raw, "name", key, default=f"Task {t}"),
                description=reader.text(raw, "description", key),
                scoring_program=reader.text(raw, "scoring_program", key),
                ingestion_program=raw.get("ingestion_program") or None,
                input_data=raw.get("input_data") or None,
                reference_data=raw.get("reference_data") or None,
                key=key,
            )
        )
    for p, raw in enumerate(reader.listing(data, "phases", ())):
        key = ("phases", p)
        if not isinstance(raw, dict):
            reader.bad(key, "a phase must be a mapping")
            continue
        start = reader.moment(raw, "start", key)
        if start is None and "start" not in raw:
            reader.bad(key, "a phase needs a start date")
        tasks = []
        for i, task in enumerate(reader.listing(raw, "tasks", key)):
            try:
                tasks.append(int(task))
            except (TypeError, ValueError):
                reader.bad((*key, "tasks", i), f"{task!r} is not a task index")
        comp.phases.append(
            Phase(
                index=reader.integer(raw, "index", key, p),
                name=reader.text(raw, "name", key, default=f"Phase {p + 1}"),
                description=reader.text(raw, "description", key),
                start=start or datetime(2000, 1, 1, tzinfo=UTC),
                end=reader.moment(raw, "end", key),
                tasks=tasks,
                max_submissions=reader.integer(raw, "max_submissions", key, 100),
                max_submissions_per_day=reader.integer(raw, "max_submissions_per_day", key, 5),
                execution_time_limit=reader.integer(raw, "execution_time_limit", key, 600),
                hide_output=reader.flag(raw, "hide_output"),
                auto_migrate=reader.flag(raw, "auto_migrate_to_this_phase"),
                public_data=raw.get("public_data") or None,
                starting_kit=raw.get("starting_kit") or None,
            )
        )
    for s, raw in enumerate(reader.listing(data, "solutions", ())):
        key = ("solutions", s)
        if not isinstance(raw, dict) or not raw.get("path"):
            reader.bad(key, "a solution needs a path")
            continue
        indexes = [int(t) for t in raw.get("tasks") or [] if str(t).lstrip("-").isdigit()]
        comp.solutions.append(Solution(tasks=indexes, path=str(raw["path"]), key=key))
    for b, raw in enumerate(reader.listing(data, "leaderboards", ())):
        key = ("leaderboards", b)
        if not isinstance(raw, dict):
            reader.bad(key, "a leaderboard must be a mapping")
            continue
        board = Leaderboard(
            key=reader.text(raw, "key", key, default=f"board{b}"),
            title=reader.text(raw, "title", key, default="Results"),
            index=reader.integer(raw, "index", key, b),
            submission_rule=reader.text(raw, "submission_rule", key, default="Force_Last"),
        )
        for c, col in enumerate(reader.listing(raw, "columns", key)):
            ckey: Key = (*key, "columns", c)
            if not isinstance(col, dict) or not col.get("key"):
                reader.bad(ckey, "a column needs a key")
                continue
            board.columns.append(
                Column(
                    key=str(col["key"]),
                    title=reader.text(col, "title", ckey, default=str(col["key"])),
                    index=reader.integer(col, "index", ckey, c),
                    higher_is_better=str(col.get("sorting", "desc")).lower() != "asc",
                    precision=reader.integer(col, "precision", ckey, 2),
                    hidden=reader.flag(col, "hidden"),
                    computation=col.get("computation") or None,
                    computation_indexes=[int(i) for i in col.get("computation_indexes") or []],
                )
            )
        _unique(
            reader,
            [(c.index, (*key, "columns", i)) for i, c in enumerate(board.columns)],
            "column index",
        )
        comp.leaderboards.append(board)
    _unique(reader, [(t.index, t.key) for t in comp.tasks], "task index")
    _unique(reader, [(p.index, ("phases", i)) for i, p in enumerate(comp.phases)], "phase index")
    _unique(
        reader,
        [(b.index, ("leaderboards", i, "index")) for i, b in enumerate(comp.leaderboards)],
        "leaderboard index",
    )


FACT_SHEET_TYPES = ("text", "checkbox", "select")


def read_fact_sheet(reader: Reader, raw: Any) -> list[dict[str, Any]]:
    """Codabench's ``fact_sheet`` (questions by key, each with ``type``, ``title``,
    ``selection``, ``is_required``, ``is_on_leaderboard``) as a list of questions."""
    if raw is None or raw == "":
        return []
    if not isinstance(raw, dict):
        reader.bad(("fact_sheet",), "must be a mapping of questions by key")
        return []
    asked = []
    for name, question in raw.items():
        key: Key = ("fact_sheet", str(name))
        if not isinstance(question, dict):
            reader.bad(key, "a question must be a mapping (key, type, title, …)")
            continue
        kind = str(question.get("type") or "text").strip().lower()
        if kind not in FACT_SHEET_TYPES:
            reader.bad((*key, "type"), f"{kind!r} is not one of {', '.join(FACT_SHEET_TYPES)}")
            continue
        selection = question.get("selection")
        if isinstance(selection, str):
            selection = [s.strip() for s in selection.split(",") if s.strip()]
        options = [str(o) for o in selection] if isinstance(selection, list) else []
        if kind == "select" and not options:
            reader.bad((*key, "selection"), "a select question needs its options")
            continue
        asked.append(
            {
                "key": str(question.get("key") or name),
                "title": reader.text(question, "title", key, default=str(name))[:200],
                "type": kind,
                "options": options if kind == "select" else [],
                "required": reader.flag(question, "is_required"),
                "on_leaderboard": reader.flag(question, "is_on_leaderboard"),
            }
        )
    return asked


def _unique(reader: Reader, values: list[tuple[int, Key]], what: str) -> None:
    seen: dict[int, Key] = {}
    for value, key in values:
        if value in seen:
            first = reader.doc.line_of(seen[value])
            reader.bad(key, f"duplicate {what} {value} (first at line {first})")
        seen.setdefault(value, key)


def _cross_check(reader: Reader, comp: Competition) -> None:
    indexes = {t.index for t in comp.tasks}
    if not comp.tasks:
        reader.bad(("tasks",), "the competition has no task")
    for t in comp.tasks:
        if not t.scoring_program:
            reader.bad((*t.key, "scoring_program"), "the task has no scoring_program")
    for p, phase in enumerate(comp.phases):
        for i, task in enumerate(phase.tasks):
            if task not in indexes:
                reader.bad(
                    ("phases", p, "tasks", i),
                    f"task {task} does not exist (tasks: {', '.join(map(str, sorted(indexes)))})",
                )
        if phase.end is not None and phase.end <= phase.start:
            reader.bad(("phases", p, "end"), "the phase must end after it starts")
    if not comp.phases:
        reader.bad(("phases",), "the competition has no phase")
    if not comp.leaderboards or not any(b.columns for b in comp.leaderboards):
        reader.bad(("leaderboards",), "the competition needs a leaderboard with columns")
