"""Reading bundle YAML with line numbers, so every problem names its file, line and key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

Key = tuple[str | int, ...]
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


def _plain(node: yaml.Node, key: Key, lines: dict[Key, int], loader: yaml.SafeLoader) -> Any:
    lines.setdefault(key, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            name = str(loader.construct_object(key_node))
            lines[(*key, name)] = key_node.start_mark.line + 1
            result[name] = _plain(value_node, (*key, name), lines, loader)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_plain(child, (*key, i), lines, loader) for i, child in enumerate(node.value)]
    return loader.construct_object(node)


def read_document(path: Path, *, name: str) -> tuple[Document | None, list[Problem]]:
    """Parse ``path``; a syntax error becomes a problem with its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(name, 0, "", f"cannot read the file: {exc}")]
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        lines: dict[Key, int] = {}
        data = _plain(node, (), lines, loader) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        return None, [Problem(name, line, "", f"not valid YAML: {getattr(exc, 'problem', exc)}")]
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        return None, [Problem(name, 1, "", "the file must hold a mapping of keys to values")]
    return Document(name, data, lines), []


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
