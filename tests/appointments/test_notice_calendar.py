"""The notice period by the list's working calendar, through the API: the preview the propose
dialog shows, the notice's own record of it, the warning for a year without a schedule."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi.testclient import TestClient

from jiebang.calendars.working_days import covered_years
from tests.organisations.helpers import apply_as_unit, make_unit, publish_list_with_item

Maker = Callable[..., dict[str, str]]
SEP_28 = "2026-09-28T10:00:00+08:00"


def _setup(client: TestClient, organiser: dict[str, str], make_user: Maker) -> tuple:
    issuer, applicant = make_user(), make_user()
    issuing = make_unit(client, issuer, "发榜单位")
    unit = make_unit(client, applicant, "揭榜单位")
    ids = publish_list_with_item(client, organiser, issuing)
    app = apply_as_unit(client, applicant, ids["item"], unit).json()
    checked = client.put(
        f"/api/v1/applications/{app['id']}/formal-check", json={"complete": True}, headers=issuer
    )
    assert checked.status_code == 200, checked.text
    return ids, issuer, app["id"]


def test_new_list_counts_the_official_calendar(
    client: TestClient, organiser: dict[str, str], make_user: Maker
) -> None:
    ids, issuer, app_id = _setup(client, organiser, make_user)
    shown = client.get(f"/api/v1/challenge-lists/{ids['list']}", headers=organiser).json()
    assert shown["working_calendar"] == "cn"
    url = f"/api/v1/challenge-items/{ids['item']}/notice"
    outsider = make_user()
    body = {"working_days": 5, "starts_at": SEP_28}
    assert client.post(f"{url}/preview", json=body, headers=outsider).status_code == 403
    preview = client.post(f"{url}/preview", json=body, headers=issuer)
    assert preview.status_code == 200, preview.text
    p = preview.json()
    assert datetime.fromisoformat(p["ends_at"]) == datetime.fromisoformat(
        "2026-10-10T10:00:00+08:00"
    )
    assert p["skipped_holidays"] == [{"name_zh": "国庆节", "name_en": "National Day"}]
    assert p["makeup_days"] == ["2026-10-10"]
    assert p["working_days"] == 5 and p["working_calendar"] == "cn" and p["warnings"] == []
    assert p["timezone"] == "Asia/Shanghai"
    assert client.get(url, headers=issuer).status_code == 404  # the preview proposes nothing

    proposed = client.post(url, json={**body, "application_ids": [app_id]}, headers=issuer)
    assert proposed.status_code == 201, proposed.text
    notice = proposed.json()
    assert datetime.fromisoformat(notice["ends_at"]) == datetime.fromisoformat(p["ends_at"])
    assert notice["working_days"] == 5 and notice["working_calendar"] == "cn"
    assert notice["warnings"] == []


def test_explicit_end_is_kept_and_checked(
    client: TestClient, organiser: dict[str, str], make_user: Maker
) -> None:
    ids, issuer, _ = _setup(client, organiser, make_user)
    url = f"/api/v1/challenge-items/{ids['item']}/notice/preview"
    end = "2026-10-03T18:00:00+08:00"
    p = client.post(url, json={"starts_at": SEP_28, "ends_at": end}, headers=issuer).json()
    assert datetime.fromisoformat(p["ends_at"]) == datetime.fromisoformat(end)
    assert p["working_days"] is None and p["skipped_holidays"] == []
    backwards = client.post(
        url, json={"starts_at": SEP_28, "ends_at": "2026-09-01T00:00:00+08:00"}, headers=issuer
    )
    assert backwards.status_code == 422
    assert backwards.json()["detail"][0]["loc"] == ["body", "ends_at"]


def test_weekdays_list_is_unchanged(
    client: TestClient, organiser: dict[str, str], make_user: Maker
) -> None:
    ids, issuer, app_id = _setup(client, organiser, make_user)
    edited = client.patch(
        f"/api/v1/challenge-lists/{ids['list']}",
        json={"working_calendar": "weekdays"},
        headers=organiser,
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["working_calendar"] == "weekdays"  # a published list may change it
    bad = client.patch(
        f"/api/v1/challenge-lists/{ids['list']}",
        json={"working_calendar": "lunar"},
        headers=organiser,
    )
    assert bad.status_code == 422
    url = f"/api/v1/challenge-items/{ids['item']}/notice"
    body = {"working_days": 5, "starts_at": SEP_28, "application_ids": [app_id]}
    notice = client.post(url, json=body, headers=issuer).json()
    assert datetime.fromisoformat(notice["ends_at"]) == datetime.fromisoformat(
        "2026-10-05T10:00:00+08:00"
    )
    assert notice["working_calendar"] == "weekdays" and notice["warnings"] == []


def test_year_without_schedule_warns_in_both_languages(
    client: TestClient, organiser: dict[str, str], make_user: Maker
) -> None:
    ids, issuer, app_id = _setup(client, organiser, make_user)
    year = covered_years().stop
    url = f"/api/v1/challenge-items/{ids['item']}/notice"
    body = {"working_days": 5, "starts_at": f"{year}-03-05T10:00:00+08:00"}
    preview = client.post(f"{url}/preview", json=body, headers=issuer).json()
    warning = {
        "code": "holidays_unannounced",
        "year": year,
        "message_zh": f"{year} 年的节假日安排尚未公布，公示期按周一至周五计算",
        "message_en": f"The {year} public-holiday schedule has not been announced yet; "
        "the notice period counts Monday to Friday",
    }
    assert preview["warnings"] == [warning]
    proposed = client.post(url, json={**body, "application_ids": [app_id]}, headers=issuer)
    assert proposed.status_code == 201, proposed.text
    assert proposed.json()["warnings"] == [warning]
    ends = datetime.fromisoformat(proposed.json()["ends_at"])
    assert ends == datetime.fromisoformat(preview["ends_at"])
    citizen = make_user()
    assert client.get(url, headers=citizen).json()["warnings"] == [warning]  # the notice page
    assert client.get("/api/v1/notices").json()[0]["warnings"] == [warning]
