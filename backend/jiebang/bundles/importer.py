"""Importing a checked bundle. Idempotent: rows match by slug, code and year, data by sha256."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from jiebang.bundles import schema
from jiebang.bundles.data import deterministic_tar
from jiebang.bundles.validate import LoadedBundle
from jiebang.challenge_lists.models import ChallengeItem, ChallengeList, ChallengeTarget, ListStatus
from jiebang.contests.models import Contest, Phase, Track
from jiebang.db import utcnow
from jiebang.storage import service as storage_service
from jiebang.storage.backend import ObjectStore
from jiebang.storage.models import StoredObject


class BundleRejected(ValueError):
    """The bundle cannot be imported; the message says why."""


def devkit_prefix(contest_slug: str, track_slug: str) -> str:
    return f"devkits/{contest_slug}/{track_slug}"


def latest_devkit(db: Session, *, contest_slug: str, track_slug: str) -> StoredObject | None:
    """The newest public development kit stored for a track."""
    prefix = devkit_prefix(contest_slug, track_slug) + "/"
    query = (
        select(StoredObject)
        .where(col(StoredObject.key).startswith(prefix))
        .order_by(col(StoredObject.id).desc())
    )
    return db.exec(query).first()


def _apply(row: Any, values: dict[str, Any]) -> list[str]:
    """Set the fields that differ; return their names."""
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    return changed


def _note(changes: list[str], what: str, created: bool, changed: list[str]) -> None:
    if created:
        changes.append(f"{what}: created")
    elif changed:
        changes.append(f"{what}: updated {', '.join(changed)}")


def import_bundle(
    *,
    db: Session,
    store: ObjectStore,
    bundle: LoadedBundle,
    owner_id: int | None,
    organisation_id: int | None = None,
) -> list[str]:
    """Create or update what the bundle describes; one line per change (none: nothing changed).
    A contest it creates is run by ``organisation_id`` (None: the platform's own); an existing
    contest keeps its unit (bundles/landing.py checks who may import what)."""
    if not bundle.ok:
        raise BundleRejected("; ".join(str(p) for p in bundle.problems))
    changes: list[str] = []
    try:
        if bundle.contest is not None:
            contest = bundle.contest
            _import_contest(db, store, bundle.root, contest, owner_id, changes, organisation_id)
        if bundle.challenge_list is not None:
            _import_list(db, bundle.challenge_list, changes)
        db.commit()
    except Exception:
        db.rollback()
        raise
    return changes


def _import_contest(
    db: Session,
    store: ObjectStore,
    root: Path,
    spec: schema.ContestBundle,
    owner: int | None,
    changes: list[str],
    unit: int | None = None,
) -> None:
    contest = db.exec(select(Contest).where(Contest.slug == spec.slug)).first()
    values = spec.model_dump(exclude={"tracks"})
    created = contest is None
    if contest is None:
        contest = Contest(**values, organisation_id=unit)
        db.add(contest)
        db.flush()
    _note(changes, f"contest {spec.slug}", created, [] if created else _apply(contest, values))
    for track_spec in spec.tracks:
        _import_track(db, store, root, contest, track_spec, owner, changes)


def _track_values(spec: schema.Track) -> dict[str, Any]:
    values = spec.model_dump(exclude={"slug", "evaluator", "phases", "public_data", "leaderboard"})
    values |= {
        "evaluator_key": spec.evaluator.key,
        "evaluator_version": spec.evaluator.version,
        "evaluator_config": spec.evaluator.config,
        "leaderboard": spec.leaderboard.model_dump(exclude_none=True),
    }
    return values


def _import_track(
    db: Session,
    store: ObjectStore,
    root: Path,
    contest: Contest,
    spec: schema.Track,
    owner: int | None,
    changes: list[str],
) -> None:
    where = f"track {contest.slug}/{spec.slug}"
    track = db.exec(
        select(Track).where(Track.contest_id == contest.id, Track.slug == spec.slug)
    ).first()
    values = _track_values(spec)
    created = track is None
    if track is None:
        track = Track(contest_id=contest.id or 0, slug=spec.slug, **values)
        db.add(track)
        db.flush()
    _note(changes, where, created, [] if created else _apply(track, values))
    if spec.public_data is not None:
        data = deterministic_tar(root / spec.public_data.dir)
        current = latest_devkit(db, contest_slug=contest.slug, track_slug=spec.slug)
        if current is None or current.sha256 != _sha(data):
            _store(
                db,
                store,
                data,
                devkit_prefix(contest.slug, spec.slug),
                f"{spec.slug}-public.tar",
                owner,
            )
            changes.append(f"{where}: public data stored")
    for phase_spec in spec.phases:
        _import_phase(
            db, store, root, track, phase_spec, owner, changes, f"{where}/{phase_spec.slug}"
        )


def _phase_values(spec: schema.Phase) -> dict[str, Any]:
    values = spec.model_dump(exclude={"slug", "quotas", "split", "reference"})
    return values | {
        "daily_quota": spec.quotas.daily,
        "total_quota": spec.quotas.total,
        "concurrent_quota": spec.quotas.concurrent,
        "public_item_ids": spec.split.public,
        "private_item_ids": spec.split.private,
    }


def _import_phase(
    db: Session,
    store: ObjectStore,
    root: Path,
    track: Track,
    spec: schema.Phase,
    owner: int | None,
    changes: list[str],
    where: str,
) -> None:
    phase = db.exec(
        select(Phase).where(Phase.track_id == track.id, Phase.slug == spec.slug)
    ).first()
    values = _phase_values(spec)
    created = phase is None
    if phase is None:
        phase = Phase(track_id=track.id or 0, slug=spec.slug, **values)
        db.add(phase)
        db.flush()
    _note(changes, f"phase {where}", created, [] if created else _apply(phase, values))
    if spec.reference is None:
        return
    data = deterministic_tar(root / spec.reference.dir)
    current = db.get(StoredObject, phase.reference_object_id) if phase.reference_object_id else None
    if current is None or current.sha256 != _sha(data):
        obj = _store(db, store, data, f"references/phase-{phase.id}", "reference.tar", owner)
        phase.reference_object_id = obj.id
        db.add(phase)
        changes.append(f"phase {where}: reference data stored")


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _store(
    db: Session, store: ObjectStore, data: bytes, prefix: str, filename: str, owner: int | None
) -> StoredObject:
    return storage_service.save_stream(
        db=db,
        store=store,
        stream=io.BytesIO(data),
        filename=filename,
        prefix=prefix,
        owner_id=owner,
        content_type="application/x-tar",
    )


def _import_list(db: Session, spec: schema.ChallengeListBundle, changes: list[str]) -> None:
    found = db.exec(select(ChallengeList).where(ChallengeList.year == spec.year)).first()
    values = spec.model_dump(exclude={"items", "status"})
    created = found is None
    if found is None:
        found = ChallengeList(**values)
        db.add(found)
        db.flush()
    changed = [] if created else _apply(found, values)
    if found.status != spec.status:
        found.status = ListStatus(spec.status)
        if found.status == ListStatus.published and found.published_at is None:
            found.published_at = utcnow()
        changed.append("status")
    db.add(found)
    _note(changes, f"challenge list {spec.year}", created, changed)
    for item_spec in spec.items:
        _import_item(db, found, item_spec, changes)


def _resolve_track(db: Session, reference: str) -> int:
    contest_slug, _, track_slug = reference.partition("/")
    track = db.exec(
        select(Track)
        .join(Contest, col(Contest.id) == col(Track.contest_id))
        .where(Contest.slug == contest_slug, Track.slug == track_slug)
    ).first()
    if track is None or track.id is None:
        raise BundleRejected(f"target track {reference} does not exist (import its contest first)")
    return track.id


def _import_item(db: Session, found: ChallengeList, spec: schema.Item, changes: list[str]) -> None:
    where = f"item {found.year}/{spec.code}"
    item = db.exec(
        select(ChallengeItem).where(
            ChallengeItem.list_id == found.id, ChallengeItem.code == spec.code
        )
    ).first()
    values = spec.model_dump(exclude={"code", "targets"})
    created = item is None
    if item is None:
        item = ChallengeItem(list_id=found.id or 0, code=spec.code, **values)
        db.add(item)
        db.flush()
    _note(changes, where, created, [] if created else _apply(item, values))
    wanted = [
        (
            t.metric,
            t.comparator.value,
            float(t.threshold),
            t.unit,
            _resolve_track(db, t.track) if t.track else None,
            t.note_zh,
            t.note_en,
        )
        for t in spec.targets
    ]
    existing = list(
        db.exec(
            select(ChallengeTarget)
            .where(ChallengeTarget.item_id == item.id)
            .order_by(col(ChallengeTarget.position))
        )
    )
    have = [
        (t.metric, str(t.comparator), float(t.threshold), t.unit, t.track_id, t.note_zh, t.note_en)
        for t in existing
    ]
    if have == wanted:
        return
    for target in existing:
        db.delete(target)
    db.flush()
    for position, (metric, comparator, threshold, unit, track_id, note_zh, note_en) in enumerate(
        wanted
    ):
        db.add(
            ChallengeTarget(
                item_id=item.id or 0,
                position=position,
                metric=metric,
                comparator=comparator,  # type: ignore[arg-type]
                threshold=threshold,
                unit=unit,
                track_id=track_id,
                note_zh=note_zh,
                note_en=note_en,
            )
        )
    if not created:
        changes.append(f"{where}: targets replaced")
