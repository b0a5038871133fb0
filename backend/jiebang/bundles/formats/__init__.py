"""Bundle formats: Jiebang's own, Codabench v2 and CodaLab/Codabench v1.5.

Every format is turned into a Jiebang bundle folder first, then validated and imported by the
one importer (:mod:`jiebang.bundles.importer`), so import logic exists once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session

from jiebang.auth.models import User
from jiebang.bundles.formats import codabench
from jiebang.bundles.formats.codabench_read import COMPETITION_FILE
from jiebang.bundles.loader import Problem, read_document
from jiebang.core import safe_yaml
from jiebang.storage.backend import ObjectStore

if TYPE_CHECKING:
    from jiebang.bundles.landing import Landing


@dataclass
class Prepared:
    """A bundle ready for the Jiebang validator: its folder, format and what came with it."""

    root: Path
    format: str  # jiebang | codabench
    samples: dict[str, Path] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    contest_slug: str = ""
    migrations: list[tuple[str, str, str, str]] = field(default_factory=list)


def codabench_root(path: Path) -> Path | None:
    """The folder holding ``competition.yaml``: ``path`` or its single sub-folder."""
    if (path / COMPETITION_FILE).is_file():
        return path
    children = [c for c in path.iterdir() if c.is_dir() and not c.name.startswith(("_", "."))]
    if len(children) == 1 and (children[0] / COMPETITION_FILE).is_file():
        return children[0]
    return None


def detect(path: Path) -> str:
    """``codabench`` when the bundle has a competition.yaml, else ``jiebang``."""
    return "codabench" if path.is_dir() and codabench_root(path) is not None else "jiebang"


def prepare(path: Path, work: Path) -> Prepared:
    """``path`` as a Jiebang bundle folder (a Codabench bundle is converted under ``work``)."""
    root = codabench_root(path) if path.is_dir() else None
    if root is None:
        return Prepared(root=path, format="jiebang")
    from jiebang.config import get_settings

    doc, problems = read_document(
        root / COMPETITION_FILE, name=COMPETITION_FILE, budget=safe_yaml.CODABENCH_BUDGET
    )
    if doc is None:
        return Prepared(root=root, format="codabench", problems=problems)
    staging = work / "staging"
    staging.mkdir(parents=True, exist_ok=True)
    converted = codabench.convert(root, staging, doc, get_settings().codabench_image_runtimes)
    return Prepared(
        root=staging,
        format="codabench",
        samples=converted.samples,
        warnings=converted.warnings,
        problems=converted.problems,
        contest_slug=converted.contest_slug,
        migrations=converted.migrations,
    )


def store_samples(
    *, db: Session, store: ObjectStore, prepared: Prepared, owner_id: int | None
) -> list[str]:
    """Each Codabench solution becomes its track's sample submission (the readiness check
    scores it); unchanged content is not stored twice. The caller commits."""
    import io

    from jiebang.bundles.data import deterministic_tar
    from jiebang.bundles.importer import _sha
    from jiebang.bundles.trackdata import latest_sample, sample_prefix
    from jiebang.storage import service as storage_service

    changes = []
    for track_slug, folder in sorted(prepared.samples.items()):
        data = deterministic_tar(folder)
        current = latest_sample(db, contest_slug=prepared.contest_slug, track_slug=track_slug)
        if current is not None and current.sha256 == _sha(data):
            continue
        storage_service.save_stream(
            db=db,
            store=store,
            stream=io.BytesIO(data),
            filename="solution.tar",
            prefix=sample_prefix(prepared.contest_slug, track_slug),
            owner_id=owner_id,
            content_type="application/x-tar",
        )
        changes.append(f"track {prepared.contest_slug}/{track_slug}: sample submission stored")
    return changes


def store_migrations(*, db: Session, prepared: Prepared) -> list[str]:
    """Each ``auto_migrate_to_this_phase`` as a phase migration (phase_migration/): when
    the phase opens, the previous phase's ranked submissions are re-run on it."""
    from sqlmodel import select

    from jiebang.contests.models import Contest, Phase, Track
    from jiebang.phase_migration import service as migration_service

    contest = db.exec(select(Contest).where(Contest.slug == prepared.contest_slug)).first()
    if contest is None:
        return []

    def phase_id(track_slug: str, phase_slug: str) -> int | None:
        found = db.exec(
            select(Phase.id)
            .join(Track, Track.id == Phase.track_id)  # type: ignore[arg-type]
            .where(
                Track.contest_id == contest.id, Track.slug == track_slug, Phase.slug == phase_slug
            )
        ).first()
        return found

    changes = []
    for track, phase, source_track, source_phase in prepared.migrations:
        target, source = phase_id(track, phase), phase_id(source_track, source_phase)
        if target is None or source is None:
            continue
        if migration_service.configure(db=db, phase_id=target, source_phase_id=source):
            changes.append(
                f"phase {prepared.contest_slug}/{track}/{phase}: migrates "
                f"{source_track}/{source_phase}'s ranked submissions when it opens"
            )
    return changes


def validate(path: Path, work: Path) -> list[Problem]:
    """Every problem of a bundle of either format, without touching the database."""
    from jiebang.bundles.loader import validate_model
    from jiebang.bundles.schema import CONTEST_FILE, ContestBundle
    from jiebang.bundles.validate import load_bundle

    prepared = prepare(path, work)
    if prepared.format == "jiebang":
        return load_bundle(path).problems
    if prepared.problems:
        return prepared.problems
    doc, problems = read_document(prepared.root / CONTEST_FILE, name=CONTEST_FILE)
    if doc is not None:
        problems += validate_model(doc, ContestBundle)[1]
    return problems


def import_path(
    *,
    db: Session,
    store: ObjectStore,
    path: Path,
    work: Path,
    user: User | None,
    publish: Callable[[Path], None],
    landing: Landing | None = None,
) -> tuple[list[Problem], list[str]]:
    """Convert, publish the bundle's programs (``publish``), validate and import; (problems,
    changes). Nothing is imported when there is a problem. With a ``landing`` (the console's
    importer), who may import what is checked before anything is stored and again before the
    import writes (bundles/landing.py)."""
    from jiebang.bundles import landing as landings
    from jiebang.bundles.importer import import_bundle
    from jiebang.bundles.validate import load_bundle

    prepared = prepare(path, work)
    if prepared.problems:
        return prepared.problems, []
    if landing is not None:
        landings.check_raw(db, landing, prepared.root)
    publish(prepared.root)
    loaded = load_bundle(prepared.root)
    if not loaded.ok:
        return loaded.problems, []
    if landing is not None:
        landings.check_loaded(db, landing, loaded)
    owner = user.id if user is not None else None
    unit = landing.organisation_id if landing is not None else None
    changes = import_bundle(db=db, store=store, bundle=loaded, owner_id=owner, organisation_id=unit)
    changes += store_samples(db=db, store=store, prepared=prepared, owner_id=owner)
    changes += store_migrations(db=db, prepared=prepared)
    db.commit()
    return [], [*prepared.warnings, *changes]
