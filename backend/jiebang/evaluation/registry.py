"""The evaluator registry: scoring programs (artifacts), installed ones published into it.

Nothing here imports evaluator code: specs come from a describe run in the sandbox.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from jiebang.config import get_settings
from jiebang.db import get_engine

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


def describe(key: str, version: str | None = None) -> dict[str, Any] | None:
    """The evaluator's declared spec (metrics, formulas, formats, config schema), or None.

    Read from the scoring-program registry (artifacts): the given version, or the newest.
    An installed evaluator not yet published is published first (by content hash), so
    installed and uploaded evaluators reach workers the same way.
    """
    from jiebang.artifacts import builtins

    try:
        return _describe_registered(key, version)
    except SQLAlchemyError:  # no registry database here (e.g. `jiebang bundle validate`)
        spec = builtins.describe_installed(key)
        return spec if spec is not None and version in (None, spec.get("version")) else None


def _describe_registered(key: str, version: str | None) -> dict[str, Any] | None:
    from jiebang.artifacts import builtins
    from jiebang.storage.config import get_store

    with Session(get_engine(), expire_on_commit=False) as db:
        program = _find(db, key, version)
        if evaluator_dirs().get(key) is not None and (program is None or version is None):
            # the installed copy may have changed since the last start: publish it (a no-op
            # when its hash is known), so that it is in the registry before anyone asks
            builtins.publish_builtin(db=db, store=get_store(), key=key)
            program = _find(db, key, version)
        return dict(program.spec) if program is not None else None


def _find(db: Session, key: str, version: str | None) -> Any:
    from jiebang.artifacts import service

    if version is None:
        return service.latest(db=db, key=key)
    return service.get_version(db=db, key=key, version=version)


def known_keys() -> list[str]:
    """Every evaluator key a track may use: installed ones and uploaded ones."""
    from jiebang.artifacts import service

    try:
        with Session(get_engine()) as db:
            uploaded = {p.key for p in service.list_latest(db=db)}
    except SQLAlchemyError:
        uploaded = set()
    return sorted(uploaded | set(evaluator_dirs()))


def check_track_config(*, key: str, version: str, config: dict[str, Any]) -> tuple[str, str] | None:
    """(field, message) describing why a track's evaluator settings are unusable, or None."""
    spec = describe(key, version)
    if spec is None:
        latest = describe(key)
        if latest is None:
            known = ", ".join(known_keys()) or "none"
            return "evaluator_key", f"unknown evaluator {key!r} (known: {known})"
        return (
            "evaluator_version",
            f"evaluator {key} is at version {latest.get('version')}, not {version}",
        )
    schema = spec.get("config_schema")
    if schema:
        try:
            jsonschema.validate(config, schema)
        except jsonschema.ValidationError as exc:
            where = "/".join(str(p) for p in exc.absolute_path) or "(root)"
            return "evaluator_config", f"{where}: {exc.message}"
    return None
