"""Where an imported bundle may land, by who imports it.

A platform organiser imports anything, as before: a new contest is the platform's own unless
they name a unit. An organiser of a unit names it (``organisation_id``): a new contest is the
unit's, and an existing one (matched by slug) must already be the unit's; import never moves a
contest from one unit to another (PATCH /contests/{id} does, with both units' consent). An
organiser of one contest may re-import that contest. A challenge list (one per year) is the
platform's: only a platform organiser or that list's organisers import it.

The check runs twice: on the bundle's raw YAML before anything is stored (its scoring programs
included), and on the validated bundle just before the import writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlmodel import Session, select

from jiebang.auth.models import User
from jiebang.bundles.loader import read_document
from jiebang.bundles.schema import CONTEST_FILE, LIST_FILE
from jiebang.bundles.validate import LoadedBundle
from jiebang.challenge_lists.models import ChallengeList
from jiebang.contests.models import Contest
from jiebang.core.errors import InvalidInput
from jiebang.organisations.models import Organisation, ScopedRole, ScopeKind
from jiebang.organisations.permissions import PLATFORM, Scope, contest_scopes, require

ORGANISER = [ScopedRole.organiser]
T = TypeVar("T")


@dataclass(frozen=True)
class Landing:
    """The importer, and the unit a new contest will belong to (None: the platform's)."""

    user: User
    organisation_id: int | None


def landing_for(*, db: Session, user: User, organisation_id: int | None) -> Landing:
    """The importer's landing; 403 for a unit they do not organise, 422 for an unknown one."""
    if organisation_id is not None:
        require(db, user, ORGANISER, [Scope(ScopeKind.organisation, organisation_id)])
        if db.get(Organisation, organisation_id) is None:
            raise InvalidInput("organisation_id", "not_found", thing="organisation")
    return Landing(user, organisation_id)


def check(
    db: Session, landing: Landing, *, contest_slug: str | None, list_year: int | None
) -> None:
    """403 (or 422 for a contest of another unit) unless the importer may write these."""
    if contest_slug is not None:
        _check_contest(db, landing, contest_slug)
    if list_year is not None:
        found = db.exec(select(ChallengeList).where(ChallengeList.year == list_year)).first()
        scopes = [Scope(ScopeKind.challenge_list, found.id or 0)] if found else [PLATFORM]
        require(db, landing.user, ORGANISER, scopes)


def _check_contest(db: Session, landing: Landing, slug: str) -> None:
    existing = db.exec(select(Contest).where(Contest.slug == slug)).first()
    if existing is None:
        if landing.organisation_id is None:  # a new contest of the platform's own
            require(db, landing.user, ORGANISER, [PLATFORM])
        return
    require(db, landing.user, ORGANISER, contest_scopes(existing))
    unit = landing.organisation_id
    if unit is not None and existing.organisation_id != unit:
        raise InvalidInput("organisation_id", "bundle_contest_of_other_unit", slug=slug)


def check_raw(db: Session, landing: Landing, root: Path) -> None:
    """``check`` on what the bundle's YAML names, read before anything is stored (a file that
    does not parse is left to validation, and ``check_loaded`` runs again before writing)."""
    check(
        db,
        landing,
        contest_slug=_raw_value(root / CONTEST_FILE, "slug", str),
        list_year=_raw_value(root / LIST_FILE, "year", int),
    )


def check_loaded(db: Session, landing: Landing, bundle: LoadedBundle) -> None:
    """``check`` on the validated bundle, just before it is imported."""
    check(
        db,
        landing,
        contest_slug=bundle.contest.slug if bundle.contest else None,
        list_year=bundle.challenge_list.year if bundle.challenge_list else None,
    )


def _raw_value(path: Path, key: str, kind: type[T]) -> T | None:
    if not path.is_file():
        return None
    doc, _ = read_document(path, name=path.name)
    value = doc.data.get(key) if doc is not None else None
    return value if isinstance(value, kind) else None
