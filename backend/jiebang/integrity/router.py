"""Judge console: entries of different teams that look copied (never shown to teams)."""

from __future__ import annotations

from fastapi import APIRouter

from jiebang.auth.dependencies import SessionDep
from jiebang.contests import service as contest_service
from jiebang.integrity import service
from jiebang.integrity.models import SimilarPair
from jiebang.organisations.permissions import ContestStaff

router = APIRouter(tags=["judging"])


@router.get("/judge/phases/{phase_id}/similar", response_model=list[SimilarPair])
def list_similar_entries(phase_id: int, _: ContestStaff, db: SessionDep) -> object:
    """Pairs of entries from different teams sharing an upload, a file, the program files
    or every digit of their per-item metrics, with what matched."""
    phase = contest_service.get_phase(db=db, phase_id=phase_id, include_drafts=True)
    return service.similar_pairs(db=db, phase_id=phase.id or 0)
