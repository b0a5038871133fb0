"""A unit's organiser imports a bundle into a contest of their unit; nobody else's.

A new contest becomes the named unit's; re-importing updates it; another unit's organiser, or
an organiser naming a unit not theirs, is refused (403) before anything is stored; an existing
contest is never moved between units (422 on organisation_id); a challenge list is the
platform's; a user with no organiser role anywhere gets 403 as before.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from jiebang.contests.models import Contest
from jiebang.storage.models import StoredObject
from tests.organisations.helpers import make_unit

from .test_bundles import CONTEST, write_bundle
from .test_console_import import _zip

Maker = Callable[..., dict[str, str]]
URL = "/api/v1/admin/bundles"


def _contest_only(root: Path, contest: str = CONTEST) -> bytes:
    write_bundle(root, contest=contest)
    (root / "challenge_list.yaml").unlink()
    return _zip(root)


def _post(client: TestClient, data: bytes, headers: dict[str, str], unit: int | None = None) -> Any:
    form = {"organisation_id": str(unit)} if unit is not None else {}
    files = {"bundle": ("bundle.zip", data, "application/zip")}
    return client.post(URL, files=files, data=form, headers=headers)


def test_a_units_organiser_imports_into_their_unit(
    client: TestClient, db: Session, organiser: dict[str, str], make_user: Maker, tmp_path: Path
) -> None:
    own, other, nobody = make_user(), make_user(), make_user()
    unit_a = make_unit(client, own, "导入单位甲")
    unit_b = make_unit(client, other, "导入单位乙")
    bundle = _contest_only(tmp_path / "b")
    stored = len(db.exec(select(StoredObject)).all())  # the built-in programs

    assert _post(client, bundle, nobody).status_code == 403  # no organiser role anywhere
    assert _post(client, bundle, nobody, unit_a).status_code == 403
    assert _post(client, bundle, own, unit_b).status_code == 403  # not their unit
    assert _post(client, bundle, own).status_code == 403  # a new contest of the platform's
    assert len(db.exec(select(StoredObject)).all()) == stored  # refused before storing a thing

    first = _post(client, bundle, own, unit_a)
    assert first.status_code == 200, first.text
    assert "contest tiny: created" in first.json()["changes"]
    contest = db.exec(select(Contest).where(Contest.slug == "tiny")).one()
    assert contest.organisation_id == unit_a
    # the unit's organiser runs it as any contest of theirs
    edited = client.patch(f"/api/v1/contests/{contest.id}", json={"edition": "2"}, headers=own)
    assert edited.status_code == 200
    assert (
        client.patch(
            f"/api/v1/contests/{contest.id}", json={"edition": "3"}, headers=other
        ).status_code
        == 403
    )

    again = _post(
        client, _contest_only(tmp_path / "c", CONTEST.replace("小赛", "小赛二")), own, unit_a
    )
    assert again.status_code == 200, again.text
    assert any(line.startswith("contest tiny: updated") for line in again.json()["changes"])
    # another unit's organiser cannot overwrite it, through their unit or without one
    assert _post(client, bundle, other, unit_b).status_code == 403
    assert _post(client, bundle, other).status_code == 403
    # a platform organiser may update it, but import never moves it to another unit
    moved = _post(client, bundle, organiser, unit_b)
    assert moved.status_code == 422
    detail = moved.json()["detail"][0]
    assert detail["loc"][-1] == "organisation_id" and "tiny" in detail["msg"]
    assert _post(client, bundle, organiser).status_code == 200
    db.refresh(contest)
    assert contest.organisation_id == unit_a


def test_a_challenge_list_stays_with_the_platform(
    client: TestClient, organiser: dict[str, str], make_user: Maker, tmp_path: Path
) -> None:
    own = make_user()
    unit = make_unit(client, own, "导入单位丙")
    with_list = _zip(write_bundle(tmp_path / "b"))
    assert _post(client, with_list, own, unit).status_code == 403
    unknown = _post(client, with_list, organiser, 99999)
    assert (
        unknown.status_code == 422 and unknown.json()["detail"][0]["loc"][-1] == "organisation_id"
    )
    platform = _post(client, with_list, organiser)
    assert platform.status_code == 200, platform.text
    listed = {c["slug"]: c for c in client.get("/api/v1/contests").json()}
    assert listed["tiny"]["organisation_id"] is None  # the platform's own, as before
