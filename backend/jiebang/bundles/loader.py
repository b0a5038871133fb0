"""Reading bundle YAML with line numbers, so every problem names its file, line and key.

The YAML itself goes through :mod:`jiebang.core.safe_yaml` (no aliases, no tags, bounded).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from jiebang.core import safe_yaml

Key = safe_yaml.Key
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a bundle."""

    file: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.key or '(top level)'}: {self.message}"


def key_text(key: Key) -> str:
    """``tracks[0].phases[1].ends_at`` for ``("tracks", 0, "phases", 1, "ends_at")``."""
    text = ""
    for part in key:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


@dataclass
class Document:
    """A parsed YAML file: plain data plus the line of every key."""

    file: str
    data: Any
    lines: dict[Key, int]

    def line_of(self, key: Key) -> int:
        """Line of the deepest known prefix of ``key`` (1-based; 0 if unknown)."""
        for end in range(len(key), -1, -1):
            if key[:end] in self.lines:
                return self.lines[key[:end]]
        return 0

    def problem(self, key: Key, message: str) -> Problem:
        return Problem(self.file, self.line_of(key), key_text(key), message)


def read_document(
    path: Path, *, name: str, budget: safe_yaml.YAMLBudget = safe_yaml.DEFAULT_BUDGET
) -> tuple[Document | None, list[Problem]]:
    """Parse ``path`` with the platform's bounded YAML loader; a refusal becomes a problem."""
    try:
        parsed = safe_yaml.read_document(path, name=name, budget=budget)
    except safe_yaml.YAMLRefused as exc:
        return None, [Problem(name, exc.line, "", exc.message)]
    if not isinstance(parsed.data, dict):
        return None, [Problem(name, 1, "", "the file must hold a mapping of keys to values")]
    return Document(name, parsed.data, parsed.lines), []


def validate_model(doc: Document, model: type[M]) -> tuple[M | None, list[Problem]]:
    """The document as ``model``, or every validation error placed at its line."""
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            loc: Key = tuple(error["loc"])
            message = error["msg"].removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                message = "unknown key"
            problems.append(doc.problem(loc, message))
        return None, sorted(set(problems))
