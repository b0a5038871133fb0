"""Contest, track and phase endpoints: organiser writes, published reads."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, UploadFile

from jiebang.auth.dependencies import CurrentUser, OptionalUser, SessionDep, is_staff
from jiebang.contests import schedule, service
from jiebang.contests.models import (
    Contest,
    ContestCreate,
    ContestPublic,
    ContestUpdate,
    PhaseCreate,
    PhasePublic,
    PhaseUpdate,
    PublicationStatus,
    TrackCreate,
    TrackPublic,
    TrackUpdate,
)
from jiebang.core.errors import InvalidInput
from jiebang.core.locale import RequestLocale
from jiebang.evaluation import registry
from jiebang.organisations.models import Organisation, ScopedRole, ScopeKind
from jiebang.organisations.permissions import (
    PLATFORM,
    AnyOrganiser,
    ContestOrganiser,
    Scope,
    is_contest_staff,
    require,
)
from jiebang.storage import service as storage_service
from jiebang.storage.config import get_store
from jiebang.storage.models import StoredObjectPublic

router = APIRouter(tags=["contests"])
public_router = APIRouter(tags=["contests"])


def _staff(db: SessionDep, user: OptionalUser, track_id: int) -> bool:
    return is_contest_staff(db, user, {"track_id": track_id})


def _may_own(db: SessionDep, user: CurrentUser, organisation_id: int | None) -> None:
    """403 unless the user organises this unit (None: the platform's own contests)."""
    if organisation_id is None:
        require(db, user, [ScopedRole.organiser], [PLATFORM])
        return
    require(db, user, [ScopedRole.organiser], [Scope(ScopeKind.organisation, organisation_id)])
    if db.get(Organisation, organisation_id) is None:
        raise InvalidInput("organisation_id", "not_found", thing="organisation")


# ---------------------------------------------------------------- public reads
@public_router.get("/contests", response_model=list[ContestPublic])
def list_contests(db: SessionDep, user: OptionalUser) -> list[ContestPublic]:
    """Published contests (staff also see drafts), each running, upcoming or past by its
    phase dates."""
    contests = service.list_contests(db=db, include_drafts=user is not None)
    if not is_staff(user):  # a unit's organisers and a contest's judges see their own drafts
        contests = [
            c
            for c in contests
            if c.status == PublicationStatus.published
            or is_contest_staff(db, user, {"contest_id": c.id})
        ]
    return schedule.contests_public(db, contests)


@public_router.get("/contests/{contest_id}", response_model=ContestPublic)
def read_contest(contest_id: int, db: SessionDep, user: OptionalUser) -> ContestPublic:
    """One contest."""
    staff = is_contest_staff(db, user, {"contest_id": contest_id})
    contest = service.get_contest(db=db, contest_id=contest_id, include_drafts=staff)
    return schedule.contests_public(db, [contest])[0]


@public_router.get("/contests/{contest_id}/tracks", response_model=list[TrackPublic])
def list_tracks(contest_id: int, db: SessionDep, user: OptionalUser) -> object:
    """A contest's tracks."""
    staff = is_contest_staff(db, user, {"contest_id": contest_id})
    service.get_contest(db=db, contest_id=contest_id, include_drafts=staff)
    return service.list_tracks(db=db, contest_id=contest_id)


@public_router.get("/tracks/{track_id}", response_model=TrackPublic)
def read_track(track_id: int, db: SessionDep, user: OptionalUser) -> object:
    """One track."""
    return service.get_track(db=db, track_id=track_id, include_drafts=_staff(db, user, track_id))


@public_router.get("/tracks/{track_id}/evaluator")
def read_track_evaluator(track_id: int, db: SessionDep, user: OptionalUser) -> dict[str, Any]:
    """The track's evaluator: metrics, directions, formulas and submission format, zh and en."""
    track = service.get_track(db=db, track_id=track_id, include_drafts=_staff(db, user, track_id))
    spec = registry.describe(track.evaluator_key, track.evaluator_version) or {}
    return {"key": track.evaluator_key, "version": track.evaluator_version, "spec": spec}


@public_router.get("/tracks/{track_id}/phases", response_model=list[PhasePublic])
def list_phases(
    track_id: int, db: SessionDep, user: OptionalUser, locale: RequestLocale
) -> list[PhasePublic]:
    """A track's phases, with their stage and whether results may be published yet."""
    track = service.get_track(db=db, track_id=track_id, include_drafts=_staff(db, user, track_id))
    contest = service.get_contest(db=db, contest_id=track.contest_id, include_drafts=True)
    return [
        schedule.phase_public(p, timezone=contest.timezone, locale=locale)
        for p in service.list_phases(db=db, track_id=track_id)
    ]


@public_router.get("/phases/{phase_id}", response_model=PhasePublic)
def read_phase(
    phase_id: int, db: SessionDep, user: OptionalUser, locale: RequestLocale
) -> PhasePublic:
    """One phase, with its stage and whether results may be published yet (and from when)."""
    staff = is_contest_staff(db, user, {"phase_id": phase_id})
    phase = service.get_phase(db=db, phase_id=phase_id, include_drafts=staff)
    return schedule.phase_public(phase, timezone=schedule.timezone_of(db, phase), locale=locale)


# ---------------------------------------------------------------- organiser writes
@router.post("/contests", response_model=ContestPublic, status_code=201)
def create_contest(body: ContestCreate, user: CurrentUser, db: SessionDep) -> Contest:
    """Create a draft contest, run by a unit you organise (``organisation_id``) or, for
    platform organisers, by the platform."""
    _may_own(db, user, body.organisation_id)
    return service.create_contest(db=db, contest_in=body)


@router.patch("/contests/{contest_id}", response_model=ContestPublic)
def update_contest(
    contest_id: int, body: ContestUpdate, user: ContestOrganiser, db: SessionDep
) -> Contest:
    """Edit a contest (moving it to another unit takes being an organiser of that one too)."""
    contest = service.get_contest(db=db, contest_id=contest_id, include_drafts=True)
    if body.organisation_id is not None and body.organisation_id != contest.organisation_id:
        _may_own(db, user, body.organisation_id)
    return service.update_contest(db=db, contest=contest, contest_in=body)


@router.post("/contests/{contest_id}/publish", response_model=ContestPublic)
def publish_contest(contest_id: int, organiser: ContestOrganiser, db: SessionDep) -> Contest:
    """Make a contest visible to everyone; refused (409, ``missing`` per track) while a track
    lacks reference data, a split, an evaluator or a passing readiness check."""
    from jiebang.judging import audit
    from jiebang.readiness.service import refuse_unready

    contest = service.get_contest(db=db, contest_id=contest_id, include_drafts=True)
    refuse_unready(db, contest)
    audit.record(
        db=db, user=organiser, action="contest.publish", details={"contest_id": contest.id}
    )
    return service.set_contest_status(db=db, contest=contest, status=PublicationStatus.published)


@router.post("/contests/{contest_id}/tracks", response_model=TrackPublic, status_code=201)
def create_track(contest_id: int, body: TrackCreate, _: ContestOrganiser, db: SessionDep) -> object:
    """Add a track to a contest."""
    contest = service.get_contest(db=db, contest_id=contest_id, include_drafts=True)
    return service.create_track(db=db, contest=contest, track_in=body)


@router.patch("/tracks/{track_id}", response_model=TrackPublic)
def update_track(
    track_id: int, body: TrackUpdate, organiser: ContestOrganiser, db: SessionDep
) -> object:
    """Edit a track (audited: the fields before and after)."""
    from jiebang.judging import audit

    track = service.get_track(db=db, track_id=track_id, include_drafts=True)
    before = audit.snapshot(track)
    updated = service.update_track(db=db, track=track, track_in=body)
    audit.record_edit(db=db, user=organiser, action="track.edit", before=before, row=updated)
    return updated


@router.post("/tracks/{track_id}/phases", response_model=PhasePublic, status_code=201)
def create_phase(track_id: int, body: PhaseCreate, _: ContestOrganiser, db: SessionDep) -> object:
    """Add a phase to a track."""
    track = service.get_track(db=db, track_id=track_id, include_drafts=True)
    return service.create_phase(db=db, track=track, phase_in=body)


@router.patch("/phases/{phase_id}", response_model=PhasePublic)
def update_phase(
    phase_id: int, body: PhaseUpdate, organiser: ContestOrganiser, db: SessionDep
) -> object:
    """Edit a phase (audited: the fields before and after)."""
    from jiebang.judging import audit

    phase = service.get_phase(db=db, phase_id=phase_id, include_drafts=True)
    before = audit.snapshot(phase)
    updated = service.update_phase(db=db, phase=phase, phase_in=body)
    audit.record_edit(
        db=db, user=organiser, action="phase.edit", before=before, row=updated, phase_id=updated.id
    )
    return updated


@router.put("/phases/{phase_id}/reference", response_model=StoredObjectPublic)
def upload_reference(
    phase_id: int,
    archive: Annotated[UploadFile, File(description="Hidden reference data: a zip or tar archive")],
    organiser: ContestOrganiser,
    db: SessionDep,
) -> object:
    """Upload the phase's hidden reference data; it is only ever served to workers."""
    phase = service.get_phase(db=db, phase_id=phase_id, include_drafts=True)
    obj = storage_service.save_stream(
        db=db,
        store=get_store(),
        stream=archive.file,
        filename=archive.filename or "reference.tar",
        prefix=f"references/phase-{phase_id}",
        owner_id=organiser.id,
    )
    phase.reference_object_id = obj.id
    db.add(phase)
    db.commit()
    return obj


@router.get("/phases/{phase_id}/split", response_model=dict[str, list[str]])
def read_split(phase_id: int, _: ContestOrganiser, db: SessionDep) -> dict[str, list[str]]:
    """The public/private split of the hidden test set (organisers only)."""
    phase = service.get_phase(db=db, phase_id=phase_id, include_drafts=True)
    return {"public": phase.public_item_ids, "private": phase.private_item_ids}


@router.get("/evaluators")
def list_evaluators(_: AnyOrganiser) -> list[dict[str, Any]]:
    """Installed evaluator plugins and their specs, for the track form."""
    return [registry.describe(key) or {"key": key} for key in registry.known_keys()]
