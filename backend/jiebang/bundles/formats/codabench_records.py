"""The plain records a Codabench ``competition.yaml`` is read into, and the reading helpers.

Every problem the helpers find names ``competition.yaml:line: key`` through the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from jiebang.bundles.loader import Document, Key, Problem

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
    code_submissions: bool = False  # v1.5 ``is_scoring_only: False``: the submission may be code


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
    fact_sheet: list[dict[str, Any]] = field(default_factory=list)  # questions, in order


class Reader:
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
