"""Reading a Codabench ``competition.yaml`` (v2, or a CodaLab v1.5 bundle) into plain records.

Only reading and checking happens here; every problem names ``competition.yaml:line: key``.
:mod:`jiebang.bundles.formats.codabench` turns the records into a Jiebang contest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from jiebang.bundles.loader import Document, Key, Problem

COMPETITION_FILE = "competition.yaml"
MDY = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")


@dataclass
class Column:
    key: str
    title: str
    index: int
    higher_is_better: bool = True
    precision: int = 2
    hidden: bool = False
    computation: str | None = None
    computation_indexes: list[int] = field(default_factory=list)


@dataclass
class Leaderboard:
    key: str
    title: str
    index: int
    submission_rule: str = "Force_Last"
    columns: list[Column] = field(default_factory=list)


@dataclass
class Task:
    index: int
    name: str
    description: str
    scoring_program: str
    ingestion_program: str | None
    input_data: str | None
    reference_data: str | None
    key: Key = ()


@dataclass
class Phase:
    index: int
    name: str
    description: str
    start: datetime
    end: datetime | None
    tasks: list[int]
    max_submissions: int = 100
    max_submissions_per_day: int = 5
    execution_time_limit: int = 600
    hide_output: bool = False
    auto_migrate: bool = False
    public_data: str | None = None
    starting_kit: str | None = None


@dataclass
class Solution:
    tasks: list[int]
    path: str
    key: Key = ()


@dataclass
class Competition:
    version: str
    title: str
    description: str = ""
    image: str | None = None
    terms: str | None = None
    pages: list[tuple[str, str]] = field(default_factory=list)  # (title, file)
    docker_image: str = ""
    auto_approve: bool = True
    make_programs_available: bool = False
    enable_detailed_results: bool = False
    tasks: list[Task] = field(default_factory=list)
    phases: list[Phase] = field(default_factory=list)
    leaderboards: list[Leaderboard] = field(default_factory=list)
    solutions: list[Solution] = field(default_factory=list)
    fact_sheet: dict[str, Any] = field(default_factory=dict)


class _Reader:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def bad(self, key: Key, message: str) -> None:
        self.problems.append(self.doc.problem(key, message))

    def text(self, data: dict, name: str, key: Key, *, default: str = "") -> str:
        value = data.get(name, default)
        if value is None:
            return default
        if isinstance(value, dict | list):
            self.bad((*key, name), "must be text")
            return default
        return str(value)

    def integer(self, data: dict, name: str, key: Key, default: int) -> int:
        value = data.get(name, default)
        if value is None or value == "":
            return default
        try:
            if isinstance(value, bool):
                raise ValueError
            return int(value)
        except (TypeError, ValueError):
            self.bad((*key, name), f"must be a whole number, got {value!r}")
            return default

    def flag(self, data: dict, name: str, default: bool = False) -> bool:
        value = data.get(name, default)
        if isinstance(value, str):
            return value.strip().lower() in ("true", "yes", "1")
        return bool(value)

    def moment(self, data: dict, name: str, key: Key) -> datetime | None:
        value = data.get(name)
        if value is None or value == "":
            return None
        moment = parse_date(value)
        if moment is None:
            self.bad(
                (*key, name), f"{value!r} is not a date (2024-01-31, 2024-01-31T12:00 or 1-31-2024)"
            )
        return moment

    def listing(self, data: dict, name: str, key: Key) -> list[Any]:
        value = data.get(name)
        if value is None:
            return []
        if isinstance(value, dict):  # v1.5 numbered mappings
            return list(value.values())
        if not isinstance(value, list):
            self.bad((*key, name), "must be a list")
            return []
        return value


def parse_date(value: Any) -> datetime | None:
    """ISO date, ISO date-time or month-day-year (``9-04-2024``); naive ones read as UTC."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    else:
        text = str(value).strip()
        found = MDY.match(text)
        try:
            if found:
                month, day, year = (int(g) for g in found.groups())
                moment = datetime(year, month, day)
            else:
                moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def read_competition(doc: Document) -> tuple[Competition | None, list[Problem]]:
    """The competition described by ``doc`` (v2 when ``version: 2``, else v1.5)."""
    reader = _Reader(doc)
    data = doc.data
    v2 = str(data.get("version", "")).strip() == "2"
    comp = Competition(
        version="2" if v2 else "1.5",
        title=reader.text(data, "title", ()),
        description=reader.text(data, "description", ()),
        image=data.get("image") or None,
        docker_image=reader.text(data, "docker_image", ()),
        make_programs_available=reader.flag(data, "make_programs_available"),
        enable_detailed_results=reader.flag(data, "enable_detailed_results"),
    )
    if not comp.title:
        reader.bad(("title",), "the competition needs a title")
    fact_sheet = data.get("fact_sheet")
    comp.fact_sheet = fact_sheet if isinstance(fact_sheet, dict) else {}
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
        _read_v15(reader, data, comp)
    _cross_check(reader, comp)
    return (None if reader.problems else comp), sorted(set(reader.problems))


def _read_v2(reader: _Reader, data: dict, comp: Competition) -> None:
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


def _unique(reader: _Reader, values: list[tuple[int, Key]], what: str) -> None:
    seen: dict[int, Key] = {}
    for value, key in values:
        if value in seen:
            first = reader.doc.line_of(seen[value])
            reader.bad(key, f"duplicate {what} {value} (first at line {first})")
        seen.setdefault(value, key)


def _read_v15(reader: _Reader, data: dict, comp: Competition) -> None:
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
        inputs = raw.get("input_data") if ingestion else None  # only ingestion reads it
        signature = (program, ingestion, inputs, raw.get("reference_data"))
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


def _cross_check(reader: _Reader, comp: Competition) -> None:
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
