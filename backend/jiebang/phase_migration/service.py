"""Auto-migration, as Codabench does it: once a phase with a migration has started, each
team's submission shown on the board of the phase before it (the one the source phase's
rule ranks: best, latest or selected) is copied into the new phase and evaluated there with
the new phase's data and scoring program. Copies are not charged to the team's quota; a
migration runs once (``migrated_at``), from the housekeeper, and again whenever an organiser
asks (manual.py); no submission is copied into a phase twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from jiebang.config import get_settings
from jiebang.contests.models import Phase, Track
from jiebang.db import utcnow
from jiebang.phase_migration.models import MigratedSubmission, PhaseMigration
from jiebang.submissions.models import Submission, SubmissionStatus

ACTOR = "system:auto-migration"


def configure(*, db: Session, phase_id: int, source_phase_id: int) -> bool:
    """Declare that ``phase_id`` migrates from ``source_phase_id``; True when that changed.
    A migration that already ran keeps its record. The caller commits."""
    row = db.get(PhaseMigration, phase_id)
    if row is not None and row.source_phase_id == source_phase_id:
        return False
    if row is None:
        row = PhaseMigration(phase_id=phase_id, source_phase_id=source_phase_id)
    row.source_phase_id = source_phase_id
    db.add(row)
    return True


def _ranked_submission_ids(db: Session, source: Phase) -> list[int]:
    """The submissions the source phase's board shows, one per team, in rank order."""
    from jiebang.leaderboards import standings

    split = standings.PRIVATE if source.private_item_ids else standings.PUBLIC
    return [row.submission_id for row in standings.standings(db=db, phase=source, split=split)]


def _copy(db: Session, original: Submission, *, phase: Phase, track: Track) -> Submission:
    from jiebang.evaluation import queue
    from jiebang.submissions import lifecycle

    copy = Submission(
        phase_id=phase.id or 0,
        team_id=original.team_id,
        submitter_id=original.submitter_id,
        filename=original.filename,
        description=original.description,
        declared_size=original.declared_size,
        declared_sha256=original.declared_sha256,
        upload_key=original.upload_key,
        upload_id=f"migrated-{original.id}",
        part_size=original.part_size,
        object_id=original.object_id,
        charged=False,
        queued_at=utcnow(),
    )
    db.add(copy)
    db.flush()
    db.add(MigratedSubmission(submission_id=copy.id or 0, source_submission_id=original.id or 0))
    lifecycle.move(
        db,
        copy,
        SubmissionStatus.queued,
        actor=ACTOR,
        note=f"migrated from submission {original.id} of phase {original.phase_id}",
    )
    queue.enqueue(
        db,
        copy,
        evaluator_key=track.evaluator_key,
        evaluator_version=track.evaluator_version,
        purpose="migration",
        max_attempts=get_settings().max_attempts,
    )
    return copy


def migrated_sources(*, db: Session, phase_id: int) -> set[int]:
    """The submissions already copied into the phase, by any migration."""
    rows = db.exec(
        select(MigratedSubmission.source_submission_id)
        .join(Submission, col(Submission.id) == MigratedSubmission.submission_id)
        .where(Submission.phase_id == phase_id)
    ).all()
    return set(rows)


def pending(*, db: Session, phase: Phase, source: Phase) -> list[Submission]:
    """The source's ranked submissions with an upload that are not yet copied into the phase:
    what a migration would copy now (none twice, whichever migration copied it first)."""
    done = migrated_sources(db=db, phase_id=phase.id or 0)
    originals = []
    for submission_id in _ranked_submission_ids(db, source):
        original = db.get(Submission, submission_id) if submission_id not in done else None
        if original is not None and original.object_id is not None:
            originals.append(original)
    return originals


def copy_into(*, db: Session, phase: Phase, originals: list[Submission]) -> list[Submission]:
    """Copy each original into the phase and queue its evaluation (the caller commits)."""
    track = db.get(Track, phase.track_id)
    assert track is not None
    return [_copy(db, original, phase=phase, track=track) for original in originals]


def announce(*, db: Session, copy_ids: list[int]) -> None:
    """Tell the workers about the copies' committed migration jobs."""
    from jiebang.evaluation import dispatch
    from jiebang.evaluation.models import EvaluationJob

    if not copy_ids:
        return
    jobs = db.exec(
        select(EvaluationJob.id).where(
            col(EvaluationJob.submission_id).in_(copy_ids), EvaluationJob.purpose == "migration"
        )
    ).all()
    dispatch.announce([j for j in jobs if j is not None], db)


def migrate(*, db: Session, migration: PhaseMigration) -> list[int]:
    """Run one migration now: the copies' ids (committed, their jobs announced)."""
    phase = db.get(Phase, migration.phase_id)
    source = db.get(Phase, migration.source_phase_id)
    assert phase is not None and source is not None
    copies = copy_into(db=db, phase=phase, originals=pending(db=db, phase=phase, source=source))
    migration.migrated_at = utcnow()
    migration.migrated_count += len(copies)
    db.add(migration)
    db.commit()
    ids = [c.id or 0 for c in copies]
    announce(db=db, copy_ids=ids)
    return ids


def run_due(*, db: Session, now: datetime | None = None) -> dict[int, list[int]]:
    """Every migration whose phase has started and that has not run: phase id -> copies."""
    moment = now or utcnow()
    due = db.exec(
        select(PhaseMigration)
        .join(Phase, col(Phase.id) == PhaseMigration.phase_id)
        .where(col(PhaseMigration.migrated_at).is_(None), col(Phase.starts_at) <= moment)
        .order_by(col(Phase.starts_at))
    ).all()
    done = {}
    for migration in due:
        # claim it first: of two housekeepers, one updates the row and the other skips it
        claimed = db.exec(
            select(PhaseMigration)
            .where(
                PhaseMigration.phase_id == migration.phase_id,
                col(PhaseMigration.migrated_at).is_(None),
            )
            .with_for_update(skip_locked=True)
        ).first()
        if claimed is not None:
            done[claimed.phase_id] = migrate(db=db, migration=claimed)
    return done


def origin_of(*, db: Session, submission_id: int) -> int | None:
    """The submission a migrated one was copied from, or None."""
    row = db.get(MigratedSubmission, submission_id)
    return row.source_submission_id if row else None
