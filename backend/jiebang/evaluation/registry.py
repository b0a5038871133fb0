"""Evaluator plugins found on disk, described by a subprocess (never imported here)."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema

from jiebang.config import get_settings

_KEY_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_")


def evaluator_dirs() -> dict[str, Path]:
    """Evaluator key -> plugin directory; later directories in the setting override earlier ones."""
    found: dict[str, Path] = {}
    for root in get_settings().evaluators_dirs:
        if not root.is_dir():
            continue
        for child in sorted(root.iterdir()):
            if (child / "evaluator.py").is_file() and set(child.name) <= _KEY_CHARS:
                found[child.name] = child
    return found


@lru_cache(maxsize=64)
def _describe_dir(path: str, mtime: float) -> dict[str, Any] | None:
    proc = subprocess.run(
        [sys.executable, "-m", "jiebang_eval.describe", path],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if proc.returncode != 0:
        return None
    try:
        spec: dict[str, Any] = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return None
    return spec


def describe(key: str) -> dict[str, Any] | None:
    """The evaluator's declared spec (metrics, formulas, formats, config schema), or None."""
    folder = evaluator_dirs().get(key)
    if folder is None:
        return None
    return _describe_dir(str(folder), (folder / "evaluator.py").stat().st_mtime)


def check_track_config(*, key: str, version: str, config: dict[str, Any]) -> tuple[str, str] | None:
    """(field, message) describing why a track's evaluator settings are unusable, or None."""
    spec = describe(key)
    if spec is None:
        known = ", ".join(sorted(evaluator_dirs())) or "none"
        return "evaluator_key", f"unknown evaluator {key!r} (known: {known})"
    if spec.get("version") != version:
        return (
            "evaluator_version",
            f"evaluator {key} is at version {spec.get('version')}, not {version}",
        )
    schema = spec.get("config_schema")
    if schema:
        try:
            jsonschema.validate(config, schema)
        except jsonschema.ValidationError as exc:
            where = "/".join(str(p) for p in exc.absolute_path) or "(root)"
            return "evaluator_config", f"{where}: {exc.message}"
    return None
