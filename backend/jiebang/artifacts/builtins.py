"""The evaluators installed with the platform (``evaluators/`` and JIEBANG_EVALUATORS_DIRS),
published into the registry like any upload: idempotent, by content hash."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from jiebang.artifacts import service
from jiebang.artifacts.describe import DescribeFailed
from jiebang.artifacts.models import ScoringProgram
from jiebang.artifacts.packing import PackingRefused, pack, program_files
from jiebang.core.errors import DomainError
from jiebang.evaluation.registry import evaluator_dirs
from jiebang.storage.backend import ObjectStore

log = logging.getLogger(__name__)
# (database, key, files' sizes and times) -> program id: describe() is called per request
_published: dict[tuple[str, str, tuple[tuple[str, int, int], ...]], int] = {}


def publish_builtin(*, db: Session, store: ObjectStore, key: str) -> ScoringProgram | None:
    """Publish the installed evaluator ``key`` (committed); None if it is not installed."""
    folder = evaluator_dirs().get(key)
    if folder is None:
        return None
    memo = (str(db.get_bind().engine.url), key, _signature(folder))
    known = _published.get(memo)
    if known is not None:
        row = db.get(ScoringProgram, known)
        if row is not None:
            return row
    try:
        program, created = service.publish_folder(
            db=db, store=store, folder=folder, user=None, builtin=True, key=key
        )
    except DomainError as exc:
        db.rollback()
        log.warning("built-in evaluator %s not published: %s", key, exc.message())
        return None
    except IntegrityError:  # another process published the same content at the same moment
        db.rollback()
        return service.latest(db=db, key=key)
    if created:
        db.commit()
        log.info("published built-in evaluator %s %s (%s)", key, program.version, program.sha256)
    _published[memo] = program.id or 0
    return program


def _signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """What changes when a file of the folder does, without reading the files."""
    try:
        files = program_files(folder)
    except PackingRefused:
        return ()
    stats = [(rel, (folder / rel).stat()) for rel in files]
    return tuple((rel.as_posix(), st.st_size, st.st_mtime_ns) for rel, st in stats)


def publish_builtins(*, db: Session, store: ObjectStore) -> list[ScoringProgram]:
    """Publish every installed evaluator whose current content is not yet in the registry."""
    published = []
    for key in evaluator_dirs():
        program = publish_builtin(db=db, store=store, key=key)
        if program is not None:
            published.append(program)
    return published


def describe_installed(key: str) -> dict[str, Any] | None:
    """The spec of the installed evaluator ``key`` without any registry (described in the
    sandbox, once per content hash), for tools that run without a database."""
    folder = evaluator_dirs().get(key)
    if folder is None:
        return None
    with tempfile.TemporaryDirectory(prefix="jiebang-describe-") as work:
        try:
            sha256 = pack(folder, Path(work) / "program.tar")
        except PackingRefused:
            return None
    try:
        return service.described_spec(folder, sha256)
    except DescribeFailed:
        return None
