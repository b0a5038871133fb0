"""The formal check (形式审查) is kept in the audit log: who returned what, with the missing items."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.organisations.helpers import apply_as_unit, make_unit, publish_list_with_item

Maker = Callable[..., dict[str, str]]


def test_formal_check_is_audited(
    client: TestClient, organiser: dict[str, str], make_user: Maker
) -> None:
    applicant = make_user()
    unit = make_unit(client, applicant, "揭榜单位丁")
    ids = publish_list_with_item(client, organiser, None)
    app = apply_as_unit(client, applicant, ids["item"], unit).json()
    url = f"/api/v1/applications/{app['id']}/formal-check"
    returned = client.put(
        url,
        json={"complete": False, "missing_items": ["承诺书未盖章"], "notes": "请补正"},
        headers=organiser,
    )
    assert returned.status_code == 200, returned.text
    entries = client.get("/api/v1/judge/audit", headers=organiser).json()
    entry = next(e for e in entries if e["action"] == "application.returned")
    assert entry["reason"] == "请补正"
    assert entry["details"]["missing_items"] == ["承诺书未盖章"]
    assert (
        entry["details"]["before"] == "submitted" and entry["details"]["applicant_org_id"] == unit
    )
    assert entry["actor"].startswith("organiser:")
