"""An objection filed in a public notice reaches the organisers of the item's own scope (its
issuing unit, its list, the item itself), not every organiser of the platform; an item nobody
organises by a grant falls back to the platform's organisers."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlmodel import Session

from jiebang.core import domain_events
from jiebang.notifications import mailer

from .helpers import make_unit, me, publish_list_with_item

Maker = Callable[..., dict[str, str]]


def _kinds(client: TestClient, headers: dict[str, str]) -> list[str]:
    response = client.get("/api/v1/notifications", headers=headers)
    assert response.status_code == 200, response.text
    return [n["kind"] for n in response.json()]


def _object(db: Session, item_id: int) -> None:
    domain_events.announce(db, "objection.filed", item_id=item_id, objection_id=1, filed_by=None)
    db.commit()
    mailer.flush()
    mailer.deliver_due()


def test_objection_goes_to_the_items_own_organisers(
    client: TestClient, db: Session, organiser: dict[str, str], make_user: Maker
) -> None:
    issuer, other_unit, list_organiser = make_user(), make_user(), make_user()
    unit = make_unit(client, issuer, "发榜单位甲")
    make_unit(client, other_unit, "发榜单位乙")
    ids = publish_list_with_item(client, organiser, unit)
    granted = client.post(
        f"/api/v1/challenge-lists/{ids['list']}/roles",
        json={"user_id": me(client, list_organiser), "role": "organiser"},
        headers=organiser,
    )
    assert granted.status_code == 201, granted.text
    _object(db, ids["item"])
    assert _kinds(client, issuer) == ["objection.filed"]  # the issuing unit's organiser
    assert _kinds(client, list_organiser) == ["objection.filed"]  # the list's
    assert _kinds(client, other_unit) == []  # another unit's organiser hears nothing
    assert _kinds(client, organiser) == []  # nor every platform organiser


def test_an_item_nobody_organises_by_grant_tells_the_platform(
    client: TestClient, db: Session, organiser: dict[str, str], make_user: Maker
) -> None:
    bystander = make_user()
    make_unit(client, bystander, "无关单位")
    ids = publish_list_with_item(client, organiser, None)
    _object(db, ids["item"])
    assert _kinds(client, organiser) == ["objection.filed"]
    assert _kinds(client, bystander) == []
