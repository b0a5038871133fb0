"""The organiser's manual phase migration: what it would copy, and copying it."""

from __future__ import annotations

from fastapi import APIRouter

from jiebang.auth.dependencies import SessionDep
from jiebang.contests import service as contest_service
from jiebang.organisations.permissions import ContestOrganiser
from jiebang.phase_migration import manual
from jiebang.phase_migration.models import MigrationPreview, MigrationResult

router = APIRouter(tags=["phase migration"])


@router.get("/phases/{phase_id}/migration", response_model=MigrationPreview)
def read_migration(phase_id: int, _: ContestOrganiser, db: SessionDep) -> object:
    """The phase it migrates from and how many ranked submissions are not yet copied."""
    phase = contest_service.get_phase(db=db, phase_id=phase_id, include_drafts=True)
    return manual.preview(db=db, phase=phase)


@router.post("/phases/{phase_id}/migration", response_model=MigrationResult)
def run_migration(phase_id: int, organiser: ContestOrganiser, db: SessionDep) -> object:
    """Copy the previous phase's ranked submissions not yet migrated into this phase and
    evaluate them there (audited; 409 when no earlier phase exists)."""
    phase = contest_service.get_phase(db=db, phase_id=phase_id, include_drafts=True)
    return manual.run(db=db, phase=phase, user=organiser)
