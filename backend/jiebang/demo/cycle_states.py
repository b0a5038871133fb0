"""Demo: one 揭榜 item in each early state of the cycle (open, under review, in public notice).

Everything goes through the API over the demo's TestClient, as the web client would: an issuing
unit's organiser issues the items on the 2025 list, two applicant units apply with their PDFs,
the formal check passes (one application is first returned and resubmitted), three experts score
on the list's rubric, the top applicant goes on public notice and a citizen files an objection.

Idempotent: users and units are matched by e-mail and name, items by code, and each item is built
only when it is missing, so a second run changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlmodel import Session

from jiebang.auth.models import Role, User
from jiebang.db import get_engine

SHANGHAI = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
YEAR = 2025
LIST = {
    "year": YEAR,
    "title_zh": "2025 年音视频揭榜挂帅榜单（演示）",
    "title_en": "2025 audio/video challenge list (demo)",
    "description_zh": "演示榜单：每个项目处于揭榜挂帅流程的不同阶段。",
    "description_en": "A demo list whose items stand at different steps of the cycle.",
}
RUBRIC = {
    "aggregation": "mean",
    "spread_threshold": 15,
    "criteria": [
        {"name_zh": "技术方案", "name_en": "Technical approach", "weight": 40},
        {"name_zh": "团队能力", "name_en": "Team strength", "weight": 30},
        {"name_zh": "预算合理性", "name_en": "Budget", "weight": 30},
    ],
}
ISSUER = ("issuer@demo.jiebang.org", "马栏山发榜单位组织者 Demo issuing-unit organiser")
APPLICANTS = [  # (user e-mail, unit zh, unit en)
    ("participant@demo.jiebang.org", "湘江智能实验室", "Xiangjiang Intelligence Lab"),
    ("yuelu@demo.jiebang.org", "岳麓视觉科技有限公司", "Yuelu Vision Co., Ltd."),
]
REVIEWERS = [
    ("reviewer1@demo.jiebang.org", "评审专家一 Demo reviewer 1"),
    ("reviewer2@demo.jiebang.org", "评审专家二 Demo reviewer 2"),
    ("reviewer3@demo.jiebang.org", "评审专家三 Demo reviewer 3"),
]
OBJECTOR = "orange-isle@demo.jiebang.org"
SCORES = {  # reviewer index -> (first applicant's, second applicant's) per-criterion scores
    0: ([88, 82, 80], [70, 75, 72]),
    1: ([84, 86, 78], [74, 70, 76]),
    2: ([90, 80, 85], [52, 60, 58]),  # a wide spread on the second: flagged in the ranking
}
ITEMS = {
    "open": {
        "code": "AV2025-01",
        "title_zh": "超低延迟直播编码",
        "title_en": "Ultra-low-latency live encoding",
        "category": "codec",
        "reward_zh": "80 万元",
        "reward_en": "CNY 800,000",
    },
    "review": {
        "code": "AV2025-02",
        "title_zh": "广电级音频降噪",
        "title_en": "Broadcast-grade audio denoising",
        "category": "audio",
        "reward_zh": "60 万元",
        "reward_en": "CNY 600,000",
    },
    "notice": {
        "code": "AV2025-03",
        "title_zh": "8K 超分辨率重建",
        "title_en": "8K super-resolution",
        "category": "video",
        "reward_zh": "120 万元",
        "reward_en": "CNY 1.2 million",
    },
}
Headers = dict[str, str]
Auth = Callable[[User], Headers]


def seed(
    client: TestClient, users: dict[str, User], make_user: Callable[..., User], auth: Auth
) -> Iterator[str]:
    """Build the open, under-review and in-notice items that are missing; yield progress lines."""
    with Session(get_engine(), expire_on_commit=False) as db:
        issuer = make_user(db, *ISSUER, Role.participant)
        reviewers = [make_user(db, email, name, Role.participant) for email, name in REVIEWERS]
    organiser = auth(users["organiser@demo.jiebang.org"])
    issuing = _unit(
        client, auth(issuer), "马栏山视频文创产业园", "Malanshan Video Park", "government"
    )
    list_id = _list(client, organiser)
    units = [
        (auth(users[email]), _unit(client, auth(users[email]), zh, en, "enterprise"))
        for email, zh, en in APPLICANTS
    ]
    existing = {i["code"]: i for i in _ok(client.get(f"/api/v1/challenge-lists/{list_id}/items"))}
    built = []
    for state, spec in ITEMS.items():
        if spec["code"] in existing:
            continue
        item_id = _ok(
            client.post(
                f"/api/v1/challenge-lists/{list_id}/items",
                json=spec
                | {
                    "application_deadline": _deadline_in(days=45).isoformat(),
                    "issuing_unit_id": issuing,
                    "targets_text_zh": "见榜单发布说明",
                    "targets_text_en": "See the list's notice",
                },
                headers=auth(issuer),
            )
        )["id"]
        if state != "open":
            apps = [_apply(client, h, item_id, unit) for h, unit in units]
            returned = apps[1] if state == "review" else None
            _formal_check(client, auth(issuer), apps, returned, units[1][0])
            _review(client, organiser, item_id, apps, [auth(r) for r in reviewers], reviewers)
        if state == "notice":
            _notice(client, auth(issuer), item_id, apps[0], auth(users[OBJECTOR]))
        built.append(f"{spec['code']} ({state})")
    yield (
        "揭榜 cycle items: " + ", ".join(built)
        if built
        else "揭榜 cycle items already seeded (open, under review, in public notice)"
    )


def _ok(response: Any) -> Any:
    if response.status_code >= 400:
        raise RuntimeError(f"{response.request.method} {response.request.url}: {response.text}")
    return response.json()


def _unit(client: TestClient, headers: Headers, zh: str, en: str, kind: str) -> int:
    """The unit of that name, registered by this user (its organiser) when missing."""
    for org in _ok(client.get("/api/v1/organisations")):
        if org["name_zh"] == zh:
            return int(org["id"])
    body = {"name_zh": zh, "name_en": en, "org_type": kind, "contact_name": "演示联系人"}
    return int(_ok(client.post("/api/v1/organisations", json=body, headers=headers))["id"])


def _list(client: TestClient, organiser: Headers) -> int:
    """The 2025 list (published, with the rubric), created when missing."""
    found = next(
        (
            x
            for x in _ok(client.get("/api/v1/challenge-lists", headers=organiser))
            if x["year"] == YEAR
        ),
        None,
    )
    if found is None:
        found = _ok(client.post("/api/v1/challenge-lists", json=LIST, headers=organiser))
    list_id = int(found["id"])
    rubric = client.get(f"/api/v1/challenge-lists/{list_id}/rubric", headers=organiser)
    if rubric.status_code == 404:
        _ok(client.put(f"/api/v1/challenge-lists/{list_id}/rubric", json=RUBRIC, headers=organiser))
    if found["status"] != "published":
        change = {"status": "published"}
        _ok(client.put(f"/api/v1/challenge-lists/{list_id}/status", json=change, headers=organiser))
    return list_id


def _apply(client: TestClient, headers: Headers, item_id: int, unit_id: int) -> int:
    files = {
        "proposal": ("申报书.pdf", PDF, "application/pdf"),
        "commitment": ("承诺书.pdf", PDF, "application/pdf"),
    }
    data = {
        "organisation_id": str(unit_id),
        "lead_name": "项目负责人",
        "lead_email": "lead@demo.jiebang.org",
        "members": '[{"name": "算法负责人", "role": "算法"}, {"name": "工程负责人", "role": "工程"}]',
        "budget_cny": "2000000",
        "summary": "演示申报 / demo application",
    }
    url = f"/api/v1/challenge-items/{item_id}/unit-applications"
    return int(_ok(client.post(url, data=data, files=files, headers=headers))["id"])


def _formal_check(
    client: TestClient, issuer: Headers, apps: list[int], returned: int | None, amender: Headers
) -> None:
    """形式审查: every application complete; one first returned for a missing letter."""
    for app_id in apps:
        url = f"/api/v1/applications/{app_id}/formal-check"
        if app_id == returned:
            missing = {"complete": False, "missing_items": ["承诺书未盖章 / commitment unsigned"]}
            _ok(client.put(url, json=missing, headers=issuer))
            files = {"commitment": ("承诺书-盖章.pdf", PDF, "application/pdf")}
            resubmit = f"/api/v1/applications/{app_id}/resubmission"
            _ok(client.put(resubmit, files=files, headers=amender))  # the applicant amends
        _ok(client.put(url, json={"complete": True}, headers=issuer))


def _review(
    client: TestClient,
    organiser: Headers,
    item_id: int,
    apps: list[int],
    reviewer_headers: list[Headers],
    reviewers: list[User],
) -> None:
    """Three experts assigned and each submitting a sheet per application."""
    item = _ok(client.get(f"/api/v1/challenge-items/{item_id}", headers=organiser))
    rubric = _ok(client.get(f"/api/v1/challenge-lists/{item['list_id']}/rubric", headers=organiser))
    criteria = [c["id"] for c in rubric["criteria"]]
    for index, (headers, reviewer) in enumerate(zip(reviewer_headers, reviewers, strict=True)):
        body = {"user_id": reviewer.id}
        _ok(
            client.post(
                f"/api/v1/challenge-items/{item_id}/reviewers", json=body, headers=organiser
            )
        )
        for app_id, scores in zip(apps, SCORES[index], strict=True):
            sheet = {
                "scores": [
                    {"criterion_id": c, "score": scores[n % len(scores)], "comment": "演示评分"}
                    for n, c in enumerate(criteria)
                ],
                "submit": True,
            }
            _ok(client.put(f"/api/v1/applications/{app_id}/my-review", json=sheet, headers=headers))


def _notice(
    client: TestClient, issuer: Headers, item_id: int, app_id: int, objector: Headers
) -> None:
    """The top applicant on public notice (5 working days) and one objection with a PDF."""
    url = f"/api/v1/challenge-items/{item_id}/notice"
    _ok(client.post(url, json={"application_id": app_id}, headers=issuer))
    _ok(
        client.post(
            f"{url}/objections",
            data={
                "text": "演示异议：请核实申报单位的业绩证明 / demo objection: please verify the record"
            },
            files={"document": ("证明材料.pdf", PDF, "application/pdf")},
            headers=objector,
        )
    )


def _deadline_in(*, days: int) -> datetime:
    """17:00 China Standard Time (the list's zone) that many days from today, as an
    organiser would set a deadline."""
    day = datetime.now(SHANGHAI).date() + timedelta(days=days)
    return datetime.combine(day, time(17, 0), tzinfo=SHANGHAI)
