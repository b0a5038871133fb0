"""Two 揭榜 items after the appointment, for the demo: AV2023-02 appointed with a milestone
whose report awaits the expert's verdict, and AV2023-01 accepted (验收), with its targets met
by verified track scores (so the hall of fame counts it).

Idempotent: each step is taken only when missing. Everything goes through acceptance/'s
services, so the demo's records are the ones a user would leave.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from fpdf import FPDF
from sqlmodel import Session, col, select

from jiebang.acceptance import decision as acceptance_decision
from jiebang.acceptance import service as acceptance
from jiebang.acceptance.models import MilestoneIn, Outcome, PlanIn, Verdict, VerdictIn
from jiebang.appointments.models import NoticeAppointee, NoticeStatus, PublicNotice
from jiebang.auth import service as user_service
from jiebang.auth.models import Role, User, UserCreate
from jiebang.challenge_lists.models import (
    Application,
    ApplicationStatus,
    ChallengeItem,
    ChallengeList,
)
from jiebang.db import get_engine, utcnow
from jiebang.organisations.models import Membership, Organisation, OrgType
from jiebang.reviews import service as review_service
from jiebang.storage import service as storage_service
from jiebang.storage.config import get_store

EXPERT = ("reviewer1@demo.jiebang.org", "评审专家一 Demo reviewer 1")  # cycle_states' first expert
UNIT = {"name_zh": "潇湘音频研究院", "name_en": "Xiaoxiang Audio Institute"}
APPOINTED_CODE = "AV2023-02"
APPOINTED_ITEM: dict[str, Any] = {
    "code": APPOINTED_CODE,
    "title_zh": "广播节目音频修复",
    "title_en": "Audio restoration for broadcast programmes",
    "category": "audio",
    "background_zh": "老旧广播节目的录音带有噪声与失真，需要修复后重播。",
    "background_en": "Old broadcast recordings carry noise and distortion to remove before reuse.",
    "targets_text_zh": "修复后语音可懂度显著提升，专家主观评价通过。",
    "targets_text_en": "Clearly better intelligibility after restoration, confirmed by experts.",
    "reward_zh": "50 万元",
    "reward_en": "CNY 0.5 million",
    "application_deadline": datetime.fromisoformat("2023-09-30T17:00:00+08:00"),
    "lead_unit": "湖南广播电视台（演示） / Hunan Broadcasting (demo)",
}


def document(title: str) -> bytes:
    """A one-page PDF standing in for a report or a decision."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    pdf.multi_cell(0, 10, f"{title}\n\nJiebang demo document.")
    return bytes(pdf.output())


def seed(*, users: dict[str, User], password: str) -> Iterator[str]:
    """Leave AV2023-02 appointed with a reported milestone and AV2023-01 accepted."""
    organiser = users["organiser@demo.jiebang.org"]
    appointee = users["participant@demo.jiebang.org"]
    with Session(get_engine(), expire_on_commit=False) as db:
        expert = _user(db, *EXPERT, password=password)
        item = _appointed_item(db, organiser, appointee)
        if item is None:
            yield "acceptance demo: the 2023 list is missing; skipped"
            return
        yield from _reported_milestone(db, item, organiser, expert)
        accepted = _item(db, "AV2023-01")
        if accepted is None or acceptance.appointment_of(db=db, item=accepted) is None:
            yield "acceptance demo: AV2023-01 is not appointed; skipped"
            return
        yield from _accepted(db, accepted, organiser, expert)
    yield f"acceptance demo: the expert reviewer signs in as {EXPERT[0]} ({EXPERT[1]})"


def _user(db: Session, email: str, name: str, *, password: str) -> User:
    found = user_service.get_by_email(db=db, email=email)
    if found is None:
        found = user_service.create(
            db=db,
            user_in=UserCreate(email=email, display_name=name, password=password),
            role=Role.participant,
        )
    return found


def _item(db: Session, code: str) -> ChallengeItem | None:
    return db.exec(
        select(ChallengeItem)
        .join(ChallengeList, col(ChallengeList.id) == ChallengeItem.list_id)
        .where(ChallengeItem.code == code, ChallengeList.year == 2023)
    ).first()


def _pdf(db: Session, title: str, owner: User) -> int:
    stored = storage_service.save_stream(
        db=db,
        store=get_store(),
        stream=io.BytesIO(document(title)),
        filename=f"{title}.pdf",
        prefix="acceptance",
        owner_id=owner.id,
        content_type="application/pdf",
    )
    return stored.id or 0


def _appointed_item(db: Session, organiser: User, appointee: User) -> ChallengeItem | None:
    """AV2023-02 in the 2023 list, taken up by a unit and appointed after its public notice."""
    found = _item(db, APPOINTED_CODE)
    if found is not None:
        return found
    listed = db.exec(select(ChallengeList).where(ChallengeList.year == 2023)).first()
    if listed is None:
        return None
    unit = db.exec(select(Organisation).where(Organisation.name_zh == UNIT["name_zh"])).first()
    if unit is None:
        unit = Organisation.model_validate(
            {**UNIT, "org_type": OrgType.research_institute, "contact_name": "刘洋"}
        )
        db.add(unit)
        db.flush()
        db.add(Membership(organisation_id=unit.id or 0, user_id=appointee.id or 0))
    item = ChallengeItem.model_validate({**APPOINTED_ITEM, "list_id": listed.id})
    db.add(item)
    db.flush()
    decided = datetime.fromisoformat("2023-10-24T10:00:00+08:00")
    app = Application(
        item_id=item.id or 0,
        applicant_id=appointee.id or 0,
        applicant_org_id=unit.id,
        summary="基于深度学习的广播音频降噪与修复（演示）/ Learned denoising for broadcast audio (demo)",
        lead_name="刘洋",
        lead_email="participant@demo.jiebang.org",
        members=[{"name": "刘洋", "role": "负责人"}, {"name": "陈静", "role": "算法"}],
        budget_cny=500_000,
        proposal_object_id=_pdf(db, "proposal-av2023-02", appointee),
        commitment_object_id=_pdf(db, "commitment-av2023-02", appointee),
        status=ApplicationStatus.awarded,
        checked_by=organiser.id,
        checked_at=decided - timedelta(days=20),
        decided_by=organiser.id,
        decided_at=decided,
        created_at=decided - timedelta(days=30),
    )
    db.add(app)
    db.flush()
    notice = PublicNotice(
        item_id=item.id or 0,
        starts_at=decided - timedelta(days=8),
        ends_at=decided - timedelta(days=1),
        status=NoticeStatus.final,
        created_by=organiser.id,
        finalised_at=decided,
    )
    db.add(notice)
    db.flush()
    db.add(NoticeAppointee(notice_id=notice.id or 0, application_id=app.id or 0))
    db.commit()
    return item


def _reviewer(db: Session, item: ChallengeItem, organiser: User, expert: User) -> None:
    if not review_service.is_assigned(db=db, item_id=item.id or 0, reviewer_id=expert.id or 0):
        review_service.assign(db=db, item=item, reviewer_id=expert.id or 0, by=organiser)


def _reported_milestone(
    db: Session, item: ChallengeItem, organiser: User, expert: User
) -> Iterator[str]:
    """A completion deadline, a mid-term milestone due soon with its report submitted (the
    expert's verdict is the next step), and the final milestone."""
    appointment = acceptance.get_appointment(db=db, item=item)
    _reviewer(db, item, organiser, expert)
    if acceptance.milestones_of(db=db, item_id=item.id or 0):
        yield "acceptance demo: AV2023-02 already has its milestones"
        return
    today = utcnow().date()
    deadline = today + timedelta(days=240)
    acceptance.set_deadline(
        db=db, appointment=appointment, plan_in=PlanIn(deadline=deadline), by=organiser
    )
    mid = acceptance.add_milestone(
        db=db,
        appointment=appointment,
        milestone_in=MilestoneIn(
            due_date=today + timedelta(days=5),
            title="中期检查 Mid-term review",
            deliverables="中期报告、修复样例 20 段 / mid-term report, 20 restored samples",
        ),
        by=organiser,
    )
    acceptance.add_milestone(
        db=db,
        appointment=appointment,
        milestone_in=MilestoneIn(
            due_date=deadline,
            title="结题验收 Final acceptance",
            deliverables="技术报告、软件、测试报告 / technical report, software, test report",
        ),
        by=organiser,
    )
    reporter = db.get(User, appointment.application.applicant_id)
    assert reporter is not None
    acceptance.submit_report(
        db=db,
        store=get_store(),
        appointment=appointment,
        milestone=mid,
        user=reporter,
        note="完成降噪模型训练与 20 段样例修复 / denoiser trained, 20 samples restored",
        filename="mid-term-report-av2023-02.pdf",
        stream=io.BytesIO(document("Mid-term report AV2023-02")),
    )
    yield "acceptance demo: AV2023-02 appointed, mid-term report submitted (awaiting the verdict)"


def _accepted(db: Session, item: ChallengeItem, organiser: User, expert: User) -> Iterator[str]:
    """AV2023-01: one milestone reported and passed, then accepted with a document."""
    if acceptance.decision_of(db=db, item_id=item.id or 0) is not None:
        yield "acceptance demo: AV2023-01 already accepted"
        return
    appointment = acceptance.get_appointment(db=db, item=item)
    _reviewer(db, item, organiser, expert)
    start = appointment.appointed_on or utcnow().date()
    if acceptance.plan_of(db=db, item_id=item.id or 0) is None:
        acceptance.set_deadline(
            db=db,
            appointment=appointment,
            plan_in=PlanIn(deadline=start + timedelta(days=365)),
            by=organiser,
        )
    milestones = acceptance.milestones_of(db=db, item_id=item.id or 0)
    milestone = (
        milestones[0]
        if milestones
        else acceptance.add_milestone(
            db=db,
            appointment=appointment,
            milestone_in=MilestoneIn(
                due_date=start + timedelta(days=180),
                title="中期检查 Mid-term review",
                deliverables="修复模型与测试集结果 / restoration model and test-set results",
            ),
            by=organiser,
        )
    )
    reports = acceptance.reports_of(db=db, milestone_id=milestone.id or 0)
    if not reports:
        reporter = db.get(User, appointment.application.applicant_id)
        assert reporter is not None
        reports = [
            acceptance.submit_report(
                db=db,
                store=get_store(),
                appointment=appointment,
                milestone=milestone,
                user=reporter,
                note="PSNR 达标，见附表 / PSNR target reached, see the tables",
                filename="mid-term-report-av2023-01.pdf",
                stream=io.BytesIO(document("Mid-term report AV2023-01")),
            )
        ]
    if not acceptance.verdicts_of(db=db, report_ids=[reports[-1].id or 0]):
        acceptance.record_verdict(
            db=db,
            milestone=milestone,
            report=reports[-1],
            reviewer=expert,
            body=VerdictIn(verdict=Verdict.passed, comment="按计划完成 / done as planned"),
        )
    acceptance_decision.decide(
        db=db,
        store=get_store(),
        appointment=appointment,
        outcome=Outcome.accepted,
        note="技术指标经核验全部达成 / every technical target met on verified scores",
        filename="acceptance-av2023-01.pdf",
        stream=io.BytesIO(document("Acceptance decision AV2023-01")),
        by=organiser,
    )
    yield "acceptance demo: AV2023-01 accepted (验收)"
