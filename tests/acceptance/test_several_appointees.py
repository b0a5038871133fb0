"""One item, two appointees (赛马制): one public notice names both, the appointment awards both,
each reports on the same milestones, is reviewed and decided on its own and reads only its own
record; the hall of fame counts both, the acceptance record lists both."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from jiebang.appointments.models import NoticeAppointee, PublicNotice
from tests.organisations.helpers import PDF, apply_as_unit, make_unit, me, publish_list_with_item

Maker = Callable[..., dict[str, str]]
Headers = dict[str, str]
TODAY = datetime.now(UTC).date()


def _pdf() -> dict[str, Any]:
    return {"document": ("report.pdf", PDF, "application/pdf")}


def _inbox(client: TestClient, headers: Headers, kind: str) -> list[dict[str, Any]]:
    found = client.get("/api/v1/notifications", headers=headers).json()
    return [n for n in found if n["kind"] == kind]


def _checked(client: TestClient, issuer: Headers, applicant: Headers, item: int, unit: int) -> int:
    app = apply_as_unit(client, applicant, item, unit)
    assert app.status_code == 201, app.text
    done = client.put(
        f"/api/v1/applications/{app.json()['id']}/formal-check",
        json={"complete": True},
        headers=issuer,
    )
    assert done.status_code == 200, done.text
    return int(app.json()["id"])


def test_two_appointees_are_appointed_reported_and_decided_each(
    client: TestClient, db: Session, organiser: Headers, make_user: Maker
) -> None:
    issuer, other_issuer, reviewer = make_user(), make_user(), make_user()
    lead_a, member_a, lead_b, lead_c = make_user(), make_user(), make_user(), make_user()
    issuing = make_unit(client, issuer, "发榜单位")
    make_unit(client, other_issuer, "另一发榜单位")
    unit_a, unit_b = make_unit(client, lead_a, "甲单位"), make_unit(client, lead_b, "乙单位")
    unit_c = make_unit(client, lead_c, "丙单位")
    added = client.post(
        f"/api/v1/organisations/{unit_a}/members",
        json={"user_id": me(client, member_a)},
        headers=lead_a,
    )
    assert added.status_code == 204, added.text
    ids = publish_list_with_item(client, organiser, issuing)
    item, base = ids["item"], f"/api/v1/challenge-items/{ids['item']}"
    assigned = client.post(
        f"{base}/reviewers", json={"user_id": me(client, reviewer)}, headers=issuer
    )
    assert assigned.status_code == 201, assigned.text
    app_a = _checked(client, issuer, lead_a, item, unit_a)
    app_b = _checked(client, issuer, lead_b, item, unit_b)
    app_c = apply_as_unit(client, lead_c, item, unit_c).json()["id"]  # not checked yet

    # ---- the notice names both, in the order given; who may propose and what is refused
    now = datetime.now(UTC)
    period = {
        "starts_at": (now - timedelta(days=8)).isoformat(),
        "ends_at": (now - timedelta(minutes=5)).isoformat(),
    }
    both = {"application_ids": [app_a, app_b]} | period
    assert client.post(f"{base}/notice", json=both, headers=other_issuer).status_code == 403
    assert client.post(f"{base}/notice", json=both, headers=lead_a).status_code == 403
    none = client.post(f"{base}/notice", json={"application_ids": []}, headers=issuer)
    assert none.status_code == 422
    unchecked = client.post(
        f"{base}/notice", json={"application_ids": [app_a, app_c]}, headers=issuer
    )
    assert unchecked.status_code == 400 and unchecked.json()["code"] == "bad_status_transition"
    unknown = client.post(
        f"{base}/notice", json={"application_ids": [app_a, 999_999]}, headers=issuer
    )
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", "application_ids"]
    proposed = client.post(f"{base}/notice", json=both, headers=issuer)
    assert proposed.status_code == 201, proposed.text
    notice = proposed.json()
    assert [a["application_id"] for a in notice["appointees"]] == [app_a, app_b]
    assert [a["appointee_zh"] for a in notice["appointees"]] == ["甲单位", "乙单位"]
    assert notice["application_id"] == app_a and notice["appointee_zh"] == "甲单位、乙单位"
    assert notice["appointee_en"] == "甲单位, 乙单位"
    board = client.get("/api/v1/notices").json()
    assert [len(n["appointees"]) for n in board if n["item_id"] == item] == [2]
    assert client.post(f"{base}/notice", json=both, headers=issuer).status_code == 409

    # ---- the appointment awards both and tells each appointee's people
    final = client.post(f"{base}/appointment", headers=issuer)
    assert final.status_code == 200 and final.json()["status"] == "final", final.text
    for app_id, lead in ((app_a, lead_a), (app_b, lead_b)):
        assert client.get(f"/api/v1/applications/{app_id}", headers=lead).json()["status"] == (
            "awarded"
        )
    for who in (lead_a, member_a, lead_b):
        assert len(_inbox(client, who, "application.appointed")) == 1
    assert not _inbox(client, lead_c, "application.appointed")

    # ---- the item's deadline and milestone; each appointee reads and reports its own
    deadline = {"deadline": (TODAY + timedelta(days=300)).isoformat()}
    assert (
        client.put(f"{base}/acceptance/deadline", json=deadline, headers=issuer).status_code == 200
    )
    milestone = {"due_date": (TODAY + timedelta(days=30)).isoformat(), "title": "中期检查"}
    mid = client.post(f"{base}/milestones", json=milestone, headers=issuer).json()["id"]
    staff_room = client.get(f"{base}/acceptance", headers=issuer).json()
    assert [r["application_id"] for r in staff_room["appointees"]] == [app_a, app_b]
    assert staff_room["may_report"] is False
    room_b = client.get(f"{base}/acceptance", headers=lead_b).json()
    assert room_b["application_id"] == app_b and room_b["appointee_zh"] == "乙单位"
    assert [r["application_id"] for r in room_b["appointees"]] == [app_b]  # not A's record
    assert room_b["may_report"] is True
    peek = client.get(f"{base}/acceptance?application_id={app_a}", headers=lead_b)
    assert peek.status_code == 403
    assert client.get(f"{base}/acceptance", headers=lead_c).status_code == 403

    reports = f"{base}/milestones/{mid}/reports"
    sent_a = client.post(reports, data={"note": "甲"}, files=_pdf(), headers=member_a)
    assert sent_a.status_code == 201, sent_a.text
    report_a = sent_a.json()["reports"][-1]
    sent_b = client.post(reports, data={"note": "乙"}, files=_pdf(), headers=lead_b)
    assert sent_b.status_code == 201, sent_b.text
    assert [r["note"] for r in sent_b.json()["reports"]] == ["乙"]  # B's versions only
    report_b = sent_b.json()["reports"][-1]
    forged = client.post(reports, data={"application_id": str(app_a)}, files=_pdf(), headers=lead_b)
    assert forged.status_code == 403 and forged.json()["code"] == "not_appointee"
    assert client.post(reports, files=_pdf(), headers=lead_c).status_code == 403
    assert client.get(f"{reports}/{report_a['id']}/document", headers=lead_b).status_code == 403
    assert client.get(f"{reports}/{report_a['id']}/document", headers=lead_a).status_code == 200
    assert client.get(f"{reports}/{report_b['id']}/document", headers=reviewer).status_code == 200
    staff_room = client.get(f"{base}/acceptance", headers=reviewer).json()
    notes = {
        r["application_id"]: [rep["note"] for rep in r["milestones"][0]["reports"]]
        for r in staff_room["appointees"]
    }
    assert notes == {app_a: ["甲"], app_b: ["乙"]}
    with_b = client.get(f"{base}/acceptance?application_id={app_b}", headers=reviewer).json()
    assert with_b["application_id"] == app_b

    # ---- verdicts on each appointee's current report
    for report_id in (report_a["id"], report_b["id"]):
        given = client.put(
            f"{reports}/{report_id}/verdict", json={"verdict": "pass"}, headers=reviewer
        )
        assert given.status_code == 200, given.text
        assert given.json()["reports"][-1]["id"] == report_id
    desk_b = client.get(f"{base}/acceptance/desk?application_id={app_b}", headers=issuer).json()
    assert desk_b["application_id"] == app_b and desk_b["appointee_zh"] == "乙单位"
    assert desk_b["milestones"][0]["report_id"] == report_b["id"]
    assert client.get(f"{base}/acceptance/desk", headers=issuer).json()["application_id"] == app_a
    wrong = client.get(f"{base}/acceptance/desk?application_id={app_c}", headers=issuer)
    assert wrong.status_code == 422

    # ---- each decided on its own; the milestones close once both are
    decision_url = f"{base}/acceptance/decision"
    accepted = {"outcome": "accepted", "note": "指标达成"}
    unnamed = client.post(decision_url, data=accepted, files=_pdf(), headers=issuer)
    assert unnamed.status_code == 422 and "多个挂帅单位" in unnamed.json()["detail"][0]["msg"]
    assert unnamed.json()["detail"][0]["loc"] == ["body", "application_id"]
    for who in (other_issuer, reviewer, lead_a):
        refused = client.post(
            decision_url, data=accepted | {"application_id": app_a}, files=_pdf(), headers=who
        )
        assert refused.status_code == 403
    first = client.post(
        decision_url, data=accepted | {"application_id": app_a}, files=_pdf(), headers=issuer
    )
    assert first.status_code == 201, first.text
    again = client.post(
        decision_url, data=accepted | {"application_id": app_a}, files=_pdf(), headers=issuer
    )
    assert again.status_code == 409 and again.json()["code"] == "acceptance_decided"
    revised = client.post(reports, data={"note": "甲二"}, files=_pdf(), headers=lead_a)
    assert revised.status_code == 409 and revised.json()["code"] == "acceptance_closed"
    assert client.post(
        reports, data={"note": "乙二"}, files=_pdf(), headers=lead_b
    ).status_code == (201)  # B is still open
    spare = {"due_date": (TODAY + timedelta(days=60)).isoformat(), "title": "补充节点"}
    assert client.post(f"{base}/milestones", json=spare, headers=issuer).status_code == 201
    assert len(_inbox(client, member_a, "acceptance.decided")) == 1
    assert not _inbox(client, lead_b, "acceptance.decided")
    conditional = {"outcome": "accepted_with_conditions", "note": "补交测试报告"}
    second = client.post(
        decision_url, data=conditional | {"application_id": app_b}, files=_pdf(), headers=issuer
    )
    assert second.status_code == 201, second.text
    assert len(_inbox(client, lead_b, "acceptance.decided")) == 1
    closed = client.post(f"{base}/milestones", json=milestone, headers=issuer)
    assert closed.status_code == 409 and closed.json()["code"] == "acceptance_closed"
    mine_a = client.get(f"{base}/acceptance", headers=lead_a).json()
    assert mine_a["decision"]["outcome"] == "accepted"
    mine_b = client.get(f"{base}/acceptance", headers=lead_b).json()
    assert mine_b["decision"]["outcome"] == "accepted_with_conditions"
    doc_b = client.get(f"{decision_url}/document", headers=lead_b)
    assert doc_b.status_code == 200 and doc_b.content == PDF
    denied = client.get(f"{decision_url}/document?application_id={app_a}", headers=lead_b)
    assert denied.status_code == 403

    # ---- the hall of fame counts both; the acceptance record lists both
    fame = [e for e in client.get("/api/v1/hall-of-fame").json() if e["kind"] == "challenge"]
    assert sorted((e["item_id"], e["organisation_id"], e["award_zh"]) for e in fame) == sorted(
        [(item, unit_a, "通过验收"), (item, unit_b, "有条件通过验收")]
    )
    person = client.get(f"/api/v1/hall-of-fame/people/{me(client, member_a)}").json()
    assert [e["organisation_id"] for e in person] == [unit_a]
    exported = client.get(f"{base}/export/acceptance.csv", headers=issuer)
    assert exported.status_code == 200, exported.text
    rows = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff"))))
    decisions = [r for r in rows if r[0] == "decision"]
    assert [(r[1], r[2]) for r in decisions] == [
        ("甲单位: 验收 acceptance", "accepted"),
        ("乙单位: 验收 acceptance", "accepted_with_conditions"),
    ]
    assert {r[1].split(":")[0] for r in rows if r[0] == "report"} == {"甲单位", "乙单位"}
    appointed = [r for r in rows if r[0] == "appointed"]
    assert len(appointed) == 2
    assert client.get(f"{base}/export/acceptance.csv", headers=other_issuer).status_code == 403

    # ---- the link rows as stored
    stored = db.exec(select(PublicNotice).where(PublicNotice.item_id == item)).one()
    links = db.exec(
        select(NoticeAppointee.application_id, NoticeAppointee.position).where(
            NoticeAppointee.notice_id == stored.id
        )
    ).all()
    assert sorted(links) == [(app_a, 1), (app_b, 2)]


def test_a_single_application_id_still_proposes_one_appointee(
    client: TestClient, organiser: Headers, make_user: Maker
) -> None:
    issuer, lead = make_user(), make_user()
    ids = publish_list_with_item(client, organiser, make_unit(client, issuer, "发榜单位"))
    app = _checked(client, issuer, lead, ids["item"], make_unit(client, lead, "揭榜单位"))
    base = f"/api/v1/challenge-items/{ids['item']}"
    # both forms at once: the single one first, no duplicate
    proposed = client.post(
        f"{base}/notice", json={"application_id": app, "application_ids": [app]}, headers=issuer
    )
    assert proposed.status_code == 201, proposed.text
    assert [a["application_id"] for a in proposed.json()["appointees"]] == [app]
    assert proposed.json()["appointee_zh"] == "揭榜单位"
