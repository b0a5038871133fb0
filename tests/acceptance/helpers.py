"""Steps to an appointed item: a unit applies, passes the formal check, the public notice
runs its (past) period, and the appointment is made final."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from tests.organisations.helpers import apply_as_unit, make_unit, me, publish_list_with_item

Headers = dict[str, str]


@dataclass
class Appointed:
    list: int
    item: int
    application: int
    unit: int
    issuer: Headers
    appointee: Headers
    reviewer: Headers


def appoint(
    client: TestClient, issuer: Headers, applicant: Headers, item_id: int, unit_id: int
) -> int:
    """Apply, complete the formal check, run a public notice over a past period, appoint."""
    app = apply_as_unit(client, applicant, item_id, unit_id)
    assert app.status_code == 201, app.text
    app_id = int(app.json()["id"])
    checked = client.put(
        f"/api/v1/applications/{app_id}/formal-check", json={"complete": True}, headers=issuer
    )
    assert checked.status_code == 200, checked.text
    now = datetime.now(UTC)
    notice = client.post(
        f"/api/v1/challenge-items/{item_id}/notice",
        json={
            "application_id": app_id,
            "starts_at": (now - timedelta(days=8)).isoformat(),
            "ends_at": (now - timedelta(minutes=5)).isoformat(),
        },
        headers=issuer,
    )
    assert notice.status_code == 201, notice.text
    final = client.post(f"/api/v1/challenge-items/{item_id}/appointment", headers=issuer)
    assert final.status_code == 200 and final.json()["status"] == "final", final.text
    return app_id


def appointed_item(
    client: TestClient, organiser: Headers, issuer: Headers, applicant: Headers, reviewer: Headers
) -> Appointed:
    """An item issued by the issuer's unit, appointed to the applicant's unit, one reviewer."""
    issuing = make_unit(client, issuer, "发榜单位")
    unit = make_unit(client, applicant, "揭榜单位")
    ids = publish_list_with_item(client, organiser, issuing)
    assigned = client.post(
        f"/api/v1/challenge-items/{ids['item']}/reviewers",
        json={"user_id": me(client, reviewer)},
        headers=issuer,
    )
    assert assigned.status_code == 201, assigned.text
    app_id = appoint(client, issuer, applicant, ids["item"], unit)
    return Appointed(ids["list"], ids["item"], app_id, unit, issuer, applicant, reviewer)
