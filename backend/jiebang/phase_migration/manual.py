"""The organiser's migrate button (Codabench's "migrate"): copy the previous phase's ranked
submissions into this one now, without waiting for it to open. Only the submissions not
yet copied are migrated, so pressing it twice copies nothing the second time; every run is
written to the audit log."""

from __future__ import annotations

from sqlmodel import Session, col, select

from jiebang.auth.models import User
from jiebang.contests.models import Phase
from jiebang.core import row_lock
from jiebang.core.errors import Conflict
from jiebang.core.i18n import current_locale
from jiebang.db import utcnow
from jiebang.judging import audit
from jiebang.phase_migration import service
from jiebang.phase_migration.models import MigrationPreview, MigrationResult, PhaseMigration


class NoSourcePhase(Conflict):
    """409: the phase is its track's first, and no migration names a source for it."""

    def __init__(self) -> None:
        super().__init__("phase", "no_source_phase")

    def message(self) -> str:
        if current_locale.get() == "zh-CN":
            return "该阶段之前没有可迁移提交的阶段"
        return "there is no earlier phase to migrate submissions from"


def source_of(*, db: Session, phase: Phase) -> Phase | None:
    """The phase its configured migration names, else the track's phase starting last
    before it."""
    configured = db.get(PhaseMigration, phase.id)
    if configured is not None:
        return db.get(Phase, configured.source_phase_id)
    if phase.starts_at is None:
        return None
    return db.exec(
        select(Phase)
        .where(
            Phase.track_id == phase.track_id,
            col(Phase.id) != phase.id,
            col(Phase.starts_at) < phase.starts_at,
        )
        .order_by(col(Phase.starts_at).desc(), col(Phase.id).desc())
    ).first()


def preview(*, db: Session, phase: Phase) -> MigrationPreview:
    """The source phase and how many submissions a migration would copy now."""
    configured = db.get(PhaseMigration, phase.id)
    source = source_of(db=db, phase=phase)
    already = len(service.migrated_sources(db=db, phase_id=phase.id or 0))
    return MigrationPreview(
        phase_id=phase.id or 0,
        source_phase_id=source.id if source else None,
        source_title_zh=source.title_zh if source else "",
        source_title_en=source.title_en if source else "",
        automatic=configured is not None,
        migrated_at=configured.migrated_at if configured else None,
        pending=len(service.pending(db=db, phase=phase, source=source)) if source else 0,
        already_migrated=already,
    )


def run(*, db: Session, phase: Phase, user: User) -> MigrationResult:
    """Copy the source's ranked submissions not yet in the phase, audit it, commit, announce."""
    source = source_of(db=db, phase=phase)
    if source is None:
        raise NoSourcePhase()
    # the board is read first, without the lock (reading it may open sessions of its own);
    # then one run at a time per phase: a second waits here, then finds the copies made
    ranked = service.pending(db=db, phase=phase, source=source)
    row_lock.hold(db, Phase, phase.id)
    already = service.migrated_sources(db=db, phase_id=phase.id or 0)
    originals = [o for o in ranked if o.id not in already]
    copies = service.copy_into(db=db, phase=phase, originals=originals)
    configured = db.get(PhaseMigration, phase.id)
    if configured is not None:  # the automatic run, if still due, has nothing left to do
        configured.migrated_at = utcnow()
        configured.migrated_count += len(copies)
        db.add(configured)
    ids = [c.id or 0 for c in copies]
    audit.record(
        db=db,
        user=user,
        action="phase.migrate",
        phase_id=phase.id,
        details={
            "source_phase_id": source.id,
            "copies": dict(zip(map(str, ids), (o.id for o in originals), strict=True)),
            "already_migrated": len(already),
        },
    )
    db.commit()
    service.announce(db=db, copy_ids=ids)
    return MigrationResult(
        phase_id=phase.id or 0,
        source_phase_id=source.id or 0,
        migrated=ids,
        already_migrated=len(already),
    )
