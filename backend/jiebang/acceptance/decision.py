"""The acceptance decision (验收): accepted, accepted with conditions or not, with a document;
once per appointee of an item, audited, and that appointee's people told."""

from __future__ import annotations

from typing import BinaryIO

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from jiebang.acceptance.models import AcceptanceDecision, Outcome
from jiebang.acceptance.service import Appointment, appointee_ids, decision_of, store_pdf
from jiebang.auth.models import User
from jiebang.core import domain_events
from jiebang.core.errors import Conflict, InvalidInput
from jiebang.db import save
from jiebang.judging import audit
from jiebang.storage.backend import ObjectStore

OUTCOME_WORDS = {
    Outcome.accepted: {"zh-CN": "通过验收", "en": "accepted"},
    Outcome.accepted_with_conditions: {"zh-CN": "有条件通过验收", "en": "accepted with conditions"},
    Outcome.not_accepted: {"zh-CN": "未通过验收", "en": "not accepted"},
}


def decide(
    *,
    db: Session,
    store: ObjectStore,
    appointment: Appointment,
    outcome: Outcome,
    note: str,
    filename: str,
    stream: BinaryIO,
    by: User,
    application_id: int | None = None,
) -> AcceptanceDecision:
    """验收 of one appointee (the only one when none is named): accepted, accepted with
    conditions (stated in the note) or not; once per appointee."""
    item_id = appointment.item.id or 0
    app = appointment.appointee(application_id)
    if decision_of(db=db, item_id=item_id, application_id=app.id or 0) is not None:
        raise Conflict("acceptance", key="acceptance_decided")
    if outcome == Outcome.accepted_with_conditions and not note.strip():
        raise InvalidInput("note", "conditions_required")
    stored = store_pdf(
        db=db, store=store, field="document", filename=filename, stream=stream, user=by
    )
    found = AcceptanceDecision(
        item_id=item_id,
        application_id=app.id or 0,
        outcome=outcome,
        note=note.strip(),
        document_object_id=stored.id or 0,
        decided_by=by.id,
    )
    db.add(found)
    try:
        db.flush()
    except IntegrityError as exc:  # another decision for this appointee was written meanwhile
        key = stored.key
        db.rollback()
        store.delete(key)  # its document is nobody's now
        raise Conflict("acceptance", key="acceptance_decided") from exc
    audit.record(
        db=db,
        user=by,
        action="acceptance.decided",
        reason=found.note,
        details={
            "item_id": item_id,
            "application_id": app.id,
            "outcome": str(outcome),
            "document_sha256": stored.sha256,
        },
    )
    domain_events.announce(
        db,
        "acceptance.decided",
        item_id=item_id,
        application_id=app.id,
        outcome=str(outcome),
        decision=OUTCOME_WORDS[outcome],
        user_ids=tuple(appointee_ids(db=db, app=app)),
    )
    return save(db, found)
