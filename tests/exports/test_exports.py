"""Exports: applications, participants and the acceptance record as formula-safe CSV, and one
PDF per item whose Chinese text extracts back (pypdf)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from fastapi.testclient import TestClient
from pypdf import PdfReader

from tests.organisations.helpers import apply_as_unit, make_unit, publish_list_with_item

Headers = dict[str, str]


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_item_exports_csv_and_pdf(
    client: TestClient, organiser: Headers, make_user: Callable[..., Headers]
) -> None:
    issuer, applicant, outsider = make_user(), make_user(), make_user()
    issuing = make_unit(client, issuer, "发榜单位")
    unit = make_unit(client, applicant, "=揭榜单位")  # a formula-looking name
    ids = publish_list_with_item(client, organiser, issuing)
    made = apply_as_unit(client, applicant, ids["item"], unit)
    assert made.status_code == 201, made.text
    check = f"/api/v1/applications/{made.json()['id']}/formal-check"
    returned = client.put(
        check, json={"complete": False, "missing_items": ["单位盖章"]}, headers=issuer
    )
    assert returned.status_code == 200, returned.text

    base = f"/api/v1/challenge-items/{ids['item']}/export"
    assert client.get(f"{base}/applications.csv", headers=outsider).status_code == 403
    apps = client.get(f"{base}/applications.csv", headers=issuer)
    assert apps.status_code == 200, apps.text
    assert apps.headers["content-type"].startswith("text/csv")
    rows = _rows(apps.text)
    assert rows[0][:3] == ["application_id", "applicant_unit", "applicant"]
    assert rows[1][1] == "'=揭榜单位"  # neutralised for spreadsheets
    assert rows[1][4] == "张三" and rows[1][9] == "returned" and rows[1][10] == "单位盖章"

    acceptance = client.get(f"{base}/acceptance.csv", headers=organiser)
    assert acceptance.status_code == 200 and _rows(acceptance.text)[0][0] == "record"

    pdf = client.get(f"{base}/dossier.pdf?locale=zh-CN", headers=issuer)
    assert pdf.status_code == 200, pdf.text
    assert pdf.content.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "编码" in text and "揭榜申请" in text and "张三" in text and "验收记录" in text
    english = client.get(f"{base}/dossier.pdf?locale=en", headers=issuer)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(english.content)).pages)
    assert "Applications" in text and "张三" in text

    # the applicant heard about the return, in the inbox
    inbox = client.get("/api/v1/notifications", headers=applicant).json()
    assert [n["kind"] for n in inbox] == ["application.returned"]
    assert "单位盖章" in inbox[0]["body"] and "AV-01" in inbox[0]["body"]


def test_participants_csv(
    client: TestClient,
    published_contest: dict[str, int],
    organiser: Headers,
    participant: Headers,
) -> None:
    contest = published_contest["contest"]
    team = client.post(
        f"/api/v1/contests/{contest}/teams", json={"name": "+Alpha"}, headers=participant
    )
    assert team.status_code == 201, team.text
    url = f"/api/v1/contests/{contest}/export/participants.csv"
    assert client.get(url, headers=participant).status_code == 403
    rows = _rows(client.get(url, headers=organiser).text)
    assert rows[0] == [
        "team_id",
        "team",
        "approved",
        "user_id",
        "name",
        "email",
        "captain",
        "joined_at",
    ]
    assert rows[1][1] == "'+Alpha" and rows[1][6] == "True"
