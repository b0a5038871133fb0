"""Abandoned organiser uploads: opened, never completed, their parts kept in storage for
nothing. The housekeeper aborts those older than the TTL, deletes what they left in the
store (local folder or S3 multipart parts) and audits each one. An upload whose completion
was claimed and never finished (the API died mid-way) is as abandoned once that old."""

from __future__ import annotations

import contextlib
import logging
from datetime import timedelta

from sqlmodel import Session, col, select

from jiebang.db import utcnow
from jiebang.judging import audit
from jiebang.staged_uploads.models import StagedUpload
from jiebang.staged_uploads.service import COMPLETING
from jiebang.storage.backend import ObjectMissing, ObjectStore, StorageUnavailable
from jiebang.storage.models import StoredObject

log = logging.getLogger(__name__)

EXPIRED = "expired"
UNFINISHED = ("uploading", COMPLETING)
SWEEP_BATCH = 200  # per round: the housekeeper comes back within seconds


def sweep_expired(*, db: Session, store: ObjectStore, older_than: timedelta) -> list[int]:
    """Abort the uploads still unfinished ``older_than`` after they were opened, delete their
    parts, mark them expired and audit them; return their ids (commits)."""
    cutoff = utcnow() - older_than
    query = (
        select(StagedUpload)
        .where(col(StagedUpload.status).in_(UNFINISHED), col(StagedUpload.created_at) < cutoff)
        .order_by(col(StagedUpload.id))
        .limit(SWEEP_BATCH)
    )
    swept: list[int] = []
    for staged in db.exec(query).all():
        try:
            _free_storage(db, store, staged)
        except StorageUnavailable as exc:  # left as it is; the next round tries again
            log.warning("staged upload %s: storage unavailable (%s)", staged.id, exc)
            continue
        staged.status = EXPIRED
        db.add(staged)
        audit.record(
            db=db,
            user=None,
            action="staged_upload.expired",
            phase_id=staged.target_id if staged.purpose == "reference" else None,
            details={
                "id": staged.id,
                "owner_id": staged.owner_id,
                "purpose": staged.purpose,
                "target_id": staged.target_id,
                "filename": staged.filename,
                "declared_size": staged.declared_size,
                "opened_at": staged.created_at.isoformat(),
            },
        )
        swept.append(staged.id or 0)
    db.commit()
    if swept:
        log.info("expired %d abandoned staged uploads: %s", len(swept), swept)
    return swept


def _free_storage(db: Session, store: ObjectStore, staged: StagedUpload) -> None:
    with contextlib.suppress(ObjectMissing):  # already gone: aborted by hand, a bucket rule
        store.abort_multipart(staged.upload_key, staged.upload_id)
    # a completion that joined the parts and died before recording left the joined file
    recorded = db.exec(select(StoredObject).where(StoredObject.key == staged.upload_key)).first()
    if recorded is None and store.exists(staged.upload_key):
        store.delete(staged.upload_key)
