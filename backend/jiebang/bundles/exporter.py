"""Writing a contest (and the challenge list whose targets name its tracks) back out as a bundle."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel
from sqlmodel import Session, col, select

from jiebang.bundles import schema
from jiebang.bundles.data import checksum_text, unpack_tar
from jiebang.bundles.importer import latest_devkit
from jiebang.challenge_lists.models import ChallengeItem, ChallengeList, ChallengeTarget
from jiebang.contests.models import Contest, Phase, Track
from jiebang.core.errors import NotFound
from jiebang.storage.backend import ObjectStore
from jiebang.storage.models import StoredObject


def export_bundle(*, db: Session, store: ObjectStore, contest_slug: str, dest: Path) -> list[Path]:
    """Write ``contest.yaml``, ``challenge_list.yaml`` (if any) and the data; return the files."""
    contest = db.exec(select(Contest).where(Contest.slug == contest_slug)).first()
    if contest is None:
        raise NotFound("contest")
    dest.mkdir(parents=True, exist_ok=True)
    zone = ZoneInfo(contest.timezone)
    tracks = list(
        db.exec(select(Track).where(Track.contest_id == contest.id).order_by(col(Track.id)))
    )
    track_specs = [_track(db, store, contest, track, dest, zone) for track in tracks]
    contest_spec = schema.ContestBundle(
        **contest.model_dump(include=set(schema.ContestBundle.model_fields) - {"tracks", "status"}),
        status=str(contest.status),
        tracks=track_specs,
    )
    written = [_write_yaml(dest / schema.CONTEST_FILE, contest_spec, zone)]
    listing = _list_for(
        db, {track.id: f"{contest.slug}/{track.slug}" for track in tracks if track.id}
    )
    if listing is not None:
        written.append(_write_yaml(dest / schema.LIST_FILE, listing, zone))
    return written


def _manifest(
    store: ObjectStore, obj: StoredObject, dest: Path, folder: str
) -> schema.DataManifest:
    unpack_tar(b"".join(store.iter_chunks(obj.key)), dest / folder)
    (dest / f"{folder}.sha256").write_text(checksum_text(dest / folder), encoding="utf-8")
    return schema.DataManifest(dir=folder, checksums=f"{folder}.sha256")


def _track(
    db: Session, store: ObjectStore, contest: Contest, track: Track, dest: Path, zone: ZoneInfo
) -> schema.Track:
    devkit = latest_devkit(db, contest_slug=contest.slug, track_slug=track.slug)
    phases = []
    for phase in db.exec(
        select(Phase).where(Phase.track_id == track.id).order_by(col(Phase.starts_at))
    ):
        reference = (
            db.get(StoredObject, phase.reference_object_id) if phase.reference_object_id else None
        )
        phases.append(
            schema.Phase(
                **phase.model_dump(
                    include={
                        "slug",
                        "title_zh",
                        "title_en",
                        "starts_at",
                        "ends_at",
                        "freeze_at",
                        "leaderboard_visibility",
                        "submission_rule",
                        "max_selected",
                        "verify_top_k",
                    }
                ),
                quotas=schema.Quotas(
                    daily=phase.daily_quota,
                    total=phase.total_quota,
                    concurrent=phase.concurrent_quota,
                ),
                split=schema.Split(public=phase.public_item_ids, private=phase.private_item_ids),
                reference=_manifest(
                    store, reference, dest, f"data/{track.slug}/{phase.slug}/reference"
                )
                if reference
                else None,
            )
        )
    return schema.Track(
        **track.model_dump(
            include={
                "slug",
                "title_zh",
                "title_en",
                "description_zh",
                "description_en",
                "submission_kind",
                "max_submission_bytes",
                "time_limit_seconds",
                "memory_limit_bytes",
            }
        ),
        evaluator=schema.Evaluator(
            key=track.evaluator_key, version=track.evaluator_version, config=track.evaluator_config
        ),
        leaderboard=schema.Leaderboard.model_validate(track.leaderboard),
        public_data=_manifest(store, devkit, dest, f"data/{track.slug}/public") if devkit else None,
        phases=phases,
    )


def _list_for(db: Session, track_refs: dict[int, str]) -> schema.ChallengeListBundle | None:
    """The newest challenge list with a target on one of these tracks."""
    query = (
        select(ChallengeList)
        .join(ChallengeItem, col(ChallengeItem.list_id) == col(ChallengeList.id))
        .join(ChallengeTarget, col(ChallengeTarget.item_id) == col(ChallengeItem.id))
        .where(col(ChallengeTarget.track_id).in_(list(track_refs)))
        .order_by(col(ChallengeList.year).desc())
    )
    found = db.exec(query).first()
    if found is None:
        return None
    items = []
    for item in db.exec(
        select(ChallengeItem)
        .where(ChallengeItem.list_id == found.id)
        .order_by(col(ChallengeItem.id))
    ):
        targets = db.exec(
            select(ChallengeTarget)
            .where(ChallengeTarget.item_id == item.id)
            .order_by(col(ChallengeTarget.position))
        )
        items.append(
            schema.Item(
                **item.model_dump(include=set(schema.Item.model_fields) - {"targets"}),
                targets=[
                    schema.Target(
                        **t.model_dump(
                            include={
                                "metric",
                                "comparator",
                                "threshold",
                                "unit",
                                "note_zh",
                                "note_en",
                            }
                        ),
                        track=_track_ref(db, t.track_id, track_refs),
                    )
                    for t in targets
                ],
            )
        )
    return schema.ChallengeListBundle(
        **found.model_dump(
            include={"year", "title_zh", "title_en", "description_zh", "description_en"}
        ),
        status=str(found.status),
        items=items,
    )


def _track_ref(db: Session, track_id: int | None, known: dict[int, str]) -> str | None:
    if track_id is None:
        return None
    if track_id in known:
        return known[track_id]
    track = db.get(Track, track_id)
    contest = db.get(Contest, track.contest_id) if track else None
    return f"{contest.slug}/{track.slug}" if track and contest else None


def _dates_in_zone(value: Any, zone: ZoneInfo) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(zone).isoformat()
    if isinstance(value, dict):
        return {k: _dates_in_zone(v, zone) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_in_zone(v, zone) for v in value]
    return value


def _write_yaml(path: Path, model: BaseModel, zone: ZoneInfo) -> Path:
    data = _dates_in_zone(model.model_dump(mode="python"), zone)
    text = yaml.safe_dump(_plain(data), sort_keys=False, allow_unicode=True, width=100)
    path.write_text(text, encoding="utf-8")
    return path


def _plain(value: Any) -> Any:
    """Enums to their values, tuples to lists: what safe_dump can write."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "value") and not isinstance(value, int | float | str):
        return value.value
    if isinstance(value, str) and type(value) is not str:
        return str(value)
    return value
