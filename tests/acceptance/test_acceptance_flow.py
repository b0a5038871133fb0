"""Milestones and acceptance (中期检查, 验收) of an appointed item, end to end: the deadline,
milestones, the appointee's report, the reviewers' verdicts, the organiser's decision; bad
input, who may do what, the notifications, the hall of fame and the export."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlmodel import Session, select

from jiebang.auth.models import User
from jiebang.judging.models import AuditLog
from jiebang.notifications import mailer, reminders
from tests.acceptance.helpers import Appointed, appointed_item
from tests.notifications.conftest import SmtpServer
from tests.organisations.helpers import PDF, make_unit, me

Maker = Callable[..., dict[str, str]]
TODAY = datetime.now(UTC).date()


def _pdf(name: str = "report.pdf") -> dict[str, Any]:
    return {"document": (name, PDF, "application/pdf")}


def _inbox(client: TestClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    return list(client.get("/api/v1/notifications", headers=headers).json())


def _deliver() -> None:
    mailer.flush()
    mailer.deliver_due()


def _set_locale(db: Session, headers_user_id: int, locale: str) -> None:
    user = db.get(User, headers_user_id)
    assert user is not None
    user.locale = locale  # type: ignore[assignment]
    db.add(user)
    db.commit()


def test_milestone_report_verdict_acceptance(
    client: TestClient, db: Session, organiser: dict[str, str], make_user: Maker, smtp: SmtpServer
) -> None:
    issuer, applicant, reviewer = make_user(), make_user(), make_user()
    other_issuer, outsider = make_user(), make_user()
    make_unit(client, other_issuer, "另一发榜单位")
    a: Appointed = appointed_item(client, organiser, issuer, applicant, reviewer)
    base = f"/api/v1/challenge-items/{a.item}"
    # a reviewer of another item holds the role, but not here
    other = client.post(
        f"/api/v1/challenge-lists/{a.list}/items",
        json={
            "code": "AV-02",
            "title_zh": "另一项",
            "title_en": "Other",
            "category": "codec",
            "application_deadline": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
        },
        headers=organiser,
    )
    assert other.status_code == 201, other.text
    stranger_reviewer = make_user()
    assert (
        client.post(
            f"/api/v1/challenge-items/{other.json()['id']}/reviewers",
            json={"user_id": me(client, stranger_reviewer)},
            headers=organiser,
        ).status_code
        == 201
    )
    not_yet = client.get(
        f"/api/v1/challenge-items/{other.json()['id']}/acceptance", headers=organiser
    )
    assert not_yet.status_code == 409 and not_yet.json()["code"] == "not_appointed"

    room = client.get(f"{base}/acceptance", headers=a.appointee)
    assert room.status_code == 200, room.text
    assert room.json()["appointee_zh"] == "揭榜单位" and room.json()["may_report"] is True
    assert room.json()["may_edit"] is False and room.json()["deadline"] is None
    assert client.get(f"{base}/acceptance", headers=outsider).status_code == 403
    assert client.get(f"{base}/acceptance", headers=issuer).json()["may_edit"] is True

    # ---- the deadline, then milestones inside it
    milestone = {"due_date": (TODAY + timedelta(days=5)).isoformat(), "title": "中期检查"}
    unset = client.post(f"{base}/milestones", json=milestone, headers=issuer)
    assert unset.status_code == 422 and unset.json()["detail"][0]["loc"] == ["body", "due_date"]
    deadline = {"deadline": (TODAY + timedelta(days=365)).isoformat()}
    assert (
        client.put(f"{base}/acceptance/deadline", json=deadline, headers=other_issuer).status_code
        == 403
    )
    early = client.put(
        f"{base}/acceptance/deadline",
        json={"deadline": (TODAY - timedelta(days=3)).isoformat()},
        headers=issuer,
    )
    assert early.status_code == 422 and early.json()["detail"][0]["loc"] == ["body", "deadline"]
    assert (
        client.put(f"{base}/acceptance/deadline", json=deadline, headers=issuer).status_code == 200
    )

    late = {"due_date": (TODAY + timedelta(days=400)).isoformat(), "title": "太晚"}
    refused = client.post(f"{base}/milestones", json=late, headers=issuer)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "due_date"]
    assert "晚于项目截止日期" in refused.json()["detail"][0]["msg"]
    _set_locale(db, me(client, issuer), "en")
    english = client.post(f"{base}/milestones", json=late, headers=issuer)
    assert "after the item's deadline" in english.json()["detail"][0]["msg"]
    _set_locale(db, me(client, issuer), "zh-CN")
    before = {"due_date": (TODAY - timedelta(days=2)).isoformat(), "title": "太早"}
    too_early = client.post(f"{base}/milestones", json=before, headers=issuer)
    assert too_early.status_code == 422 and "早于挂帅日期" in too_early.json()["detail"][0]["msg"]

    for who in (other_issuer, a.appointee, a.reviewer):
        assert client.post(f"{base}/milestones", json=milestone, headers=who).status_code == 403
    created = client.post(
        f"{base}/milestones", json=milestone | {"deliverables": "样机与测试报告"}, headers=issuer
    )
    assert created.status_code == 201, created.text
    mid = created.json()["id"]
    spare = client.post(
        f"{base}/milestones",
        json={"due_date": (TODAY + timedelta(days=200)).isoformat(), "title": "结题"},
        headers=issuer,
    ).json()
    moved = client.patch(
        f"{base}/milestones/{spare['id']}",
        json={"due_date": (TODAY + timedelta(days=500)).isoformat()},
        headers=issuer,
    )
    assert moved.status_code == 422
    assert (
        client.delete(f"{base}/milestones/{spare['id']}", headers=other_issuer).status_code == 403
    )
    assert client.delete(f"{base}/milestones/{spare['id']}", headers=issuer).status_code == 204

    # ---- the reminder: due in 5 days, sent once, in the appointee's locale
    assert reminders.send_due(db) == 1
    assert reminders.send_due(db) == 0
    reminded = [n for n in _inbox(client, a.appointee) if n["kind"] == "milestone.due"]
    assert len(reminded) == 1 and reminded[0]["title"] == "里程碑 7 天后到期"
    assert "中期检查" in reminded[0]["body"]

    # ---- the appointee's report: a PDF, by the appointee only
    reports = f"{base}/milestones/{mid}/reports"
    not_pdf = client.post(
        reports,
        files={"document": ("r.pdf", b"plain text", "application/pdf")},
        headers=a.appointee,
    )
    assert not_pdf.status_code == 422
    assert not_pdf.json()["detail"][0]["loc"] == ["body", "document"]
    assert client.post(reports, files=_pdf(), headers=a.reviewer).status_code == 403
    sent = client.post(reports, data={"note": "第一版"}, files=_pdf(), headers=a.appointee)
    assert sent.status_code == 201, sent.text
    report = sent.json()["reports"][-1]
    assert report["version"] == 1 and report["filename"] == "report.pdf"
    told = [n for n in _inbox(client, a.reviewer) if n["kind"] == "milestone.report_submitted"]
    assert len(told) == 1 and "中期检查" in told[0]["body"]
    document = client.get(f"{reports}/{report['id']}/document", headers=a.reviewer)
    assert document.status_code == 200 and document.content == PDF
    assert client.get(f"{reports}/{report['id']}/document", headers=outsider).status_code == 403
    assert reminders.send_due(db) == 0  # reported: nothing more to remind of

    # ---- verdicts: the item's reviewers only, once each
    verdict_url = f"{reports}/{report['id']}/verdict"
    body = {"verdict": "pass", "comment": "达到节点要求"}
    assert client.put(verdict_url, json=body, headers=stranger_reviewer).status_code == 403
    assert client.put(verdict_url, json=body, headers=a.appointee).status_code == 403
    assert client.put(verdict_url, json={"verdict": "maybe"}, headers=a.reviewer).status_code == 422
    given = client.put(verdict_url, json=body, headers=a.reviewer)
    assert given.status_code == 200, given.text
    assert given.json()["reports"][-1]["verdicts"][0]["verdict"] == "pass"
    again = client.put(verdict_url, json={"verdict": "fail"}, headers=a.reviewer)
    assert again.status_code == 409 and again.json()["code"] == "verdict_given"
    seen = client.get(f"{base}/acceptance", headers=a.appointee).json()
    assert seen["milestones"][0]["reports"][0]["verdicts"][0]["reviewer_name"] == ""

    # ---- the acceptance desk and the decision
    patched = client.patch(
        f"/api/v1/challenge-items/{a.item}",
        json={
            "targets": [{"metric": "bd_rate", "comparator": "<=", "threshold": -5.0, "unit": "%"}]
        },
        headers=issuer,
    )
    assert patched.status_code == 200, patched.text
    desk = client.get(f"{base}/acceptance/desk", headers=issuer)
    assert desk.status_code == 200, desk.text
    assert [
        (t["metric"], t["threshold"], t["met"], t["value"]) for t in desk.json()["targets"]
    ] == [("bd_rate", -5.0, False, None)]
    assert desk.json()["milestones"][0]["verdicts"][0]["verdict"] == "pass"
    assert client.get(f"{base}/acceptance/desk", headers=a.reviewer).status_code == 200
    assert client.get(f"{base}/acceptance/desk", headers=a.appointee).status_code == 403

    decision_url = f"{base}/acceptance/decision"
    fame_before = client.get("/api/v1/hall-of-fame").json()
    assert not [e for e in fame_before if e["kind"] == "challenge"]  # appointed is not enough
    accepted = {"outcome": "accepted", "note": "技术指标全部达成"}
    assert (
        client.post(decision_url, data=accepted, files=_pdf(), headers=other_issuer).status_code
        == 403
    )
    assert (
        client.post(decision_url, data=accepted, files=_pdf(), headers=a.reviewer).status_code
        == 403
    )
    bad_doc = client.post(
        decision_url,
        data=accepted,
        files={"document": ("d.pdf", b"<html>", "text/html")},
        headers=issuer,
    )
    assert bad_doc.status_code == 422 and bad_doc.json()["detail"][0]["loc"] == ["body", "document"]
    no_conditions = client.post(
        decision_url, data={"outcome": "accepted_with_conditions"}, files=_pdf(), headers=issuer
    )
    assert no_conditions.status_code == 422
    assert no_conditions.json()["detail"][0]["loc"] == ["body", "note"]
    decided = client.post(decision_url, data=accepted, files=_pdf("验收意见.pdf"), headers=issuer)
    assert decided.status_code == 201, decided.text
    assert decided.json()["outcome"] == "accepted"
    second = client.post(
        decision_url, data={"outcome": "not_accepted"}, files=_pdf(), headers=issuer
    )
    assert second.status_code == 409 and second.json()["code"] == "acceptance_decided"
    closed = client.post(f"{base}/milestones", json=milestone, headers=issuer)
    assert closed.status_code == 409 and closed.json()["code"] == "acceptance_closed"
    entries = db.exec(select(AuditLog).where(AuditLog.action == "acceptance.decided")).all()
    assert len(entries) == 1 and entries[0].details["outcome"] == "accepted"
    assert entries[0].details["item_id"] == a.item and entries[0].reason == "技术指标全部达成"
    assert len(db.exec(select(AuditLog).where(AuditLog.action == "acceptance.verdict")).all()) == 1

    # ---- the appointee hears of it, in the inbox and by email
    news = [n for n in _inbox(client, a.appointee) if n["kind"] == "acceptance.decided"]
    assert len(news) == 1 and news[0]["title"] == "验收结论" and "通过验收" in news[0]["body"]
    _deliver()
    mails = smtp.received.to(client.get("/api/v1/auth/me", headers=a.appointee).json()["email"])
    subjects = [m["Subject"] for m in mails]
    assert "验收结论" in subjects and "里程碑 7 天后到期" in subjects

    # ---- the hall of fame counts the item now, for the applicant unit
    fame = [e for e in client.get("/api/v1/hall-of-fame").json() if e["kind"] == "challenge"]
    assert [(e["item_id"], e["organisation_id"], e["award_zh"]) for e in fame] == [
        (a.item, a.unit, "通过验收")
    ]
    person = client.get(f"/api/v1/hall-of-fame/people/{me(client, a.appointee)}").json()
    assert [e["item_id"] for e in person] == [a.item]

    # ---- the acceptance record: CSV and the item's PDF
    exported = client.get(f"{base}/export/acceptance.csv", headers=issuer)
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff"))))
    kinds = {r[0]: r for r in rows[1:]}
    assert {
        "acceptance_target",
        "appointed",
        "deadline",
        "milestone",
        "report",
        "verdict",
        "decision",
    } <= set(kinds)
    assert kinds["acceptance_target"][1:5] == ["bd_rate <= -5 %", "揭榜单位", "False", ""]
    assert kinds["decision"][2] == "accepted" and "技术指标全部达成" in kinds["decision"][5]
    assert kinds["verdict"][3] == "pass" and kinds["milestone"][1].endswith("中期检查")
    assert client.get(f"{base}/export/acceptance.csv", headers=other_issuer).status_code == 403
    dossier = client.get(f"{base}/export/dossier.pdf?locale=zh-CN", headers=issuer)
    assert dossier.status_code == 200, dossier.text
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(dossier.content)).pages)
    assert "中期检查" in text and "accepted" in text and "技术指标全部达成" in text


def test_milestone_dates_are_days_in_the_list_zone(
    client: TestClient, organiser: dict[str, str], make_user: Maker
) -> None:
    issuer, applicant, reviewer = make_user(), make_user(), make_user()
    a = appointed_item(client, organiser, issuer, applicant, reviewer)
    base = f"/api/v1/challenge-items/{a.item}"
    deadline = TODAY + timedelta(days=30)
    assert (
        client.put(
            f"{base}/acceptance/deadline", json={"deadline": deadline.isoformat()}, headers=issuer
        ).status_code
        == 200
    )
    on_deadline = client.post(
        f"{base}/milestones",
        json={"due_date": deadline.isoformat(), "title": "结题"},
        headers=issuer,
    )
    assert on_deadline.status_code == 201, on_deadline.text
    earlier = client.put(
        f"{base}/acceptance/deadline",
        json={"deadline": (deadline - timedelta(days=1)).isoformat()},
        headers=issuer,
    )
    assert earlier.status_code == 422 and deadline.isoformat() in earlier.json()["detail"][0]["msg"]
    room = client.get(f"{base}/acceptance", headers=issuer).json()
    assert date.fromisoformat(room["deadline"]) == deadline and room["timezone"] == "Asia/Shanghai"
    assert [m["title"] for m in room["milestones"]] == ["结题"]
