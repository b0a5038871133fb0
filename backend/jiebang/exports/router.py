"""Export endpoints: organisers of the item's or contest's scope only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from jiebang.auth.dependencies import SessionDep
from jiebang.auth.models import User
from jiebang.challenge_lists.models import ChallengeItem
from jiebang.contests.models import Contest
from jiebang.core import csv_export
from jiebang.core.errors import NotFound
from jiebang.core.i18n import Locale
from jiebang.exports import pdf, tables
from jiebang.organisations.models import ScopedRole
from jiebang.organisations.permissions import Permission

router = APIRouter(tags=["exports"])
ScopedOrganiser = Annotated[User, Depends(Permission(ScopedRole.organiser))]


def _csv(table: tables.Table, name: str) -> Response:
    return Response(
        csv_export.to_csv(table.header, table.rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _item(db: SessionDep, item_id: int) -> ChallengeItem:
    item = db.get(ChallengeItem, item_id)
    if item is None:
        raise NotFound("challenge item")
    return item


@router.get("/challenge-items/{item_id}/export/applications.csv")
def applications_csv(item_id: int, _: ScopedOrganiser, db: SessionDep) -> Response:
    """The item's applications with their statuses (and reviewer scores once reviewed)."""
    return _csv(tables.applications(db, _item(db, item_id)), f"item-{item_id}-applications.csv")


@router.get("/challenge-items/{item_id}/export/acceptance.csv")
def acceptance_csv(item_id: int, _: ScopedOrganiser, db: SessionDep) -> Response:
    """Targets with the verified scores that meet or miss them, appointment, acceptance."""
    return _csv(tables.acceptance(db, _item(db, item_id)), f"item-{item_id}-acceptance.csv")


@router.get("/contests/{contest_id}/export/participants.csv")
def participants_csv(contest_id: int, _: ScopedOrganiser, db: SessionDep) -> Response:
    """Every member of every team of the contest."""
    if db.get(Contest, contest_id) is None:
        raise NotFound("contest")
    return _csv(tables.participants(db, contest_id), f"contest-{contest_id}-participants.csv")


@router.get("/challenge-items/{item_id}/export/dossier.pdf")
def item_pdf(
    item_id: int,
    user: ScopedOrganiser,
    db: SessionDep,
    locale: Annotated[Locale | None, Query()] = None,
) -> Response:
    """One PDF for the item's file: applications and the acceptance record."""
    item = _item(db, item_id)
    chosen = str(locale or user.locale)
    body = pdf.item_dossier(
        item, [tables.applications(db, item), tables.acceptance(db, item)], chosen
    )
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="item-{item_id}.pdf"'},
    )
