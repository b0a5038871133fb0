"""The finished 2023 edition of the demo: phases ended, entries verified, results published with
award tiers and prizes (so the hall of fame is filled), and one 揭榜 item awarded.

Its bundle is derived from the 2024 one (two quick tracks, their data copied). The baselines go
through the real submission path while each phase is briefly reopened (as an organiser
extending a deadline would), then the phase gets its 2023 end back and the entries their 2023
dates; judges verify and publish through the same services the console uses.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlmodel import Session, col, select

from jiebang.auth.models import User
from jiebang.bundles.data import checksum_text
from jiebang.bundles.importer import import_bundle
from jiebang.bundles.schema import CONTEST_FILE, LIST_FILE
from jiebang.bundles.validate import load_bundle
from jiebang.challenge_lists.models import (
    Application,
    ApplicationStatus,
    ChallengeItem,
    ChallengeList,
)
from jiebang.contests.models import Contest, Phase, Track
from jiebang.core import safe_yaml
from jiebang.db import get_engine, utcnow
from jiebang.judging import service as judging_service
from jiebang.judging.models import ReviewAction
from jiebang.leaderboards import publication
from jiebang.leaderboards.models import AwardTier, PublishRequest
from jiebang.storage import service as storage_service
from jiebang.storage.config import get_store
from jiebang.submissions.models import Submission
from jiebang.teams.models import Team

CONTEST = "malanshan-2023"
TRACKS = ("restoration", "vqa")  # the quick ones: the edition costs seconds, not minutes
STARTS, ENDS = "2023-06-01T00:00:00+08:00", "2023-10-31T23:59:59+08:00"
STAMP = "2023-2"
AWARDS = [
    AwardTier(label_zh="一等奖", label_en="First prize", count=1, prize="¥100,000"),
    AwardTier(label_zh="二等奖", label_en="Second prize", count=1, prize="¥50,000"),
    AwardTier(label_zh="三等奖", label_en="Third prize", count=1, prize="¥20,000"),
]
ITEM: dict[str, Any] = {
    "code": "AV2023-01",
    "title_zh": "档案影像超分辨率修复",
    "title_en": "Super-resolution for archive footage restoration",
    "category": "restoration",
    "background_zh": "广电档案中的大量标清影像需要修复到高清，供重播与再创作使用。",
    "background_en": "Broadcast archives hold SD footage that must be restored to HD for reuse.",
    "targets_text_zh": "Y 通道 PSNR 不低于 30 dB。",
    "targets_text_en": "PSNR on Y of at least 30 dB.",
    "reward_zh": "最高 100 万元攻关资金",
    "reward_en": "Up to CNY 1 million of development funding",
    "application_deadline": "2023-05-31T17:00:00+08:00",
    "lead_unit": "湖南省工业和信息化厅（演示）",
    "targets": [
        {
            "metric": "psnr",
            "comparator": ">=",
            "threshold": 30.0,
            "unit": "dB",
            "track": f"{CONTEST}/restoration",
        }
    ],
}
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def build_bundle(dest: Path, source: Path) -> None:
    """The 2023 bundle next to the 2024 one (``source``), rebuilt when missing or stale."""
    stamp = dest / ".generated"
    if stamp.is_file() and stamp.read_text() == STAMP + (source / ".generated").read_text():
        return
    if dest.exists():
        shutil.rmtree(dest)
    spec: dict[str, Any] = safe_yaml.read_document(source / CONTEST_FILE).data
    spec |= {
        "slug": CONTEST,
        "title_zh": "马栏山杯国际音视频算法大赛 2023（演示，已结束）",
        "title_en": "Malanshan Cup International Audio/Video Algorithm Contest 2023 (demo, finished)",
        "edition": "2023",
        "year": 2023,
        "description_zh": "已结束的 2023 届演示赛事：阶段已结束，参赛作品已核验，最终结果与奖项已发布。",
        "description_en": (
            "The finished 2023 demo edition: its phases have ended, the entries are verified "
            "and the final results are published with their awards."
        ),
    }
    spec["tracks"] = [t for t in spec["tracks"] if t["slug"] in TRACKS]
    for track in spec["tracks"]:
        for phase in track["phases"]:
            phase |= {
                "slug": "final",
                "title_zh": "正式赛",
                "title_en": "Final",
                "starts_at": STARTS,
                "ends_at": ENDS,
                "verify_top_k": 3,
            }
        shutil.copytree(source / "data" / track["slug"], dest / "data" / track["slug"])
        for part in ("public", "reference"):
            folder = dest / "data" / track["slug"] / part
            (folder.parent / f"{part}.sha256").write_text(checksum_text(folder), encoding="utf-8")
    listing = {
        "year": 2023,
        "title_zh": "2023 年音视频关键技术产品攻关“揭榜挂帅”榜单（演示，已结束）",
        "title_en": "2023 audio/video key-technology challenge list (揭榜挂帅, demo, closed)",
        "description_zh": "演示用的往年榜单：一个项目已由参赛队伍揭榜并挂帅。",
        "description_en": "A past demo list: one item was taken up and awarded to a team.",
        "status": "closed",
        "items": [ITEM],
    }
    dest.mkdir(parents=True, exist_ok=True)
    for name, document in ((CONTEST_FILE, spec), (LIST_FILE, listing)):
        text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
        (dest / name).write_text(text, encoding="utf-8")
    stamp.write_text(STAMP + (source / ".generated").read_text())


Submit = Callable[[int, str, int], None]  # (phase id, track slug, team index)


def seed(
    *,
    bundle_dir: Path,
    submit: Submit,
    drain: Callable[[], int],
    judge: User,
    organiser: User,
    team_ids: Callable[[Contest], list[int]],
) -> Iterator[str]:
    """Import, score, verify, publish and award; every step is skipped once done."""
    bundle = load_bundle(bundle_dir)
    if not bundle.ok:
        raise RuntimeError("2023 bundle is invalid:\n" + "\n".join(map(str, bundle.problems)))
    with Session(get_engine(), expire_on_commit=False) as db:
        import_bundle(db=db, store=get_store(), bundle=bundle, owner_id=None)
        contest = db.exec(select(Contest).where(Contest.slug == CONTEST)).one()
        teams = team_ids(contest)
        phases = list(
            db.exec(
                select(Phase, Track)
                .join(Track, col(Track.id) == Phase.track_id)
                .where(Track.contest_id == contest.id)
            )
        )
    published = 0
    for phase, track in phases:
        if phase.published_at is not None:
            continue
        _score_while_reopened(phase, track.slug, teams, submit, drain)
        with Session(get_engine(), expire_on_commit=False) as db:
            fresh = db.get(Phase, phase.id)
            assert fresh is not None
            _verify_board(db, fresh, judge)
            publication.publish(
                db=db,
                phase=fresh,
                user=judge,
                body=PublishRequest(
                    awards=AWARDS, note="2023 届最终结果（演示）/ Final results of 2023 (demo)"
                ),
            )
        published += 1
    yield (
        f"2023 edition: published the final results of {published} phase(s)"
        if published
        else "2023 edition already published"
    )
    with Session(get_engine(), expire_on_commit=False) as db:
        if _award_item(db, contest, organiser):
            yield "2023 edition: challenge item AV2023-01 awarded (挂帅)"


def _score_while_reopened(
    phase: Phase, track_slug: str, teams: list[int], submit: Submit, drain: Callable[[], int]
) -> None:
    with Session(get_engine(), expire_on_commit=False) as db:
        row = db.get(Phase, phase.id)
        assert row is not None
        has = db.exec(select(Submission.id).where(Submission.phase_id == phase.id)).first()
        if has is not None:
            return
        ends = row.ends_at
        row.ends_at = utcnow() + timedelta(hours=1)
        db.add(row)
        db.commit()
    try:
        for index in range(len(teams)):
            submit(phase.id or 0, track_slug, index)
        drain()
    finally:
        with Session(get_engine(), expire_on_commit=False) as db:
            row = db.get(Phase, phase.id)
            assert row is not None
            row.ends_at = ends
            db.add(row)
            _backdate(db, phase.id or 0, ends)
            db.commit()


def _backdate(db: Session, phase_id: int, ends: datetime) -> None:
    """The entries as they were made in 2023: a few days before the end, a day apart."""
    subs = db.exec(
        select(Submission).where(Submission.phase_id == phase_id).order_by(col(Submission.id))
    )
    for n, sub in enumerate(subs):
        moment = ends - timedelta(days=10 - n, hours=3)
        sub.created_at = sub.queued_at = moment
        sub.finished_at = moment + timedelta(minutes=2)
        db.add(sub)


def _verify_board(db: Session, phase: Phase, judge: User) -> None:
    from jiebang.leaderboards import service as board_service

    board = board_service.live_board(db=db, phase=phase, split=board_service.PRIVATE, staff=True)
    for row in board.rows:
        if not row.verified:
            sub = judging_service.get_submission(db=db, submission_id=row.submission_id)
            judging_service.act(
                db=db,
                sub=sub,
                user=judge,
                action=ReviewAction.verify,
                reason="演示核验：复现结果一致 / demo verification: results reproduced",
            )


def _award_item(db: Session, contest: Contest, organiser: User) -> bool:
    """The restoration winner's application to AV2023-01, awarded; False when already there."""
    winner_phase = db.exec(
        select(Phase)
        .join(Track, col(Track.id) == Phase.track_id)
        .where(Track.contest_id == contest.id, Track.slug == "restoration")
    ).one()
    version = publication.latest(db=db, phase_id=winner_phase.id or 0)
    rows = version.board.get("rows", []) if version else []
    team = db.get(Team, rows[0]["team_id"]) if rows else None
    if team is None:
        return False
    item = db.exec(
        select(ChallengeItem)
        .join(ChallengeList, col(ChallengeList.id) == ChallengeItem.list_id)
        .where(ChallengeItem.code == ITEM["code"], ChallengeList.year == 2023)
    ).one()
    found = db.exec(
        select(Application).where(Application.item_id == item.id, Application.team_id == team.id)
    ).first()
    if found is not None:
        return False
    proposal = storage_service.save_stream(
        db=db,
        store=get_store(),
        stream=io.BytesIO(MINIMAL_PDF),
        filename="proposal-av2023-01.pdf",
        prefix="proposals",
        owner_id=team.captain_id,
        content_type="application/pdf",
    )
    decided = datetime.fromisoformat(ENDS) + timedelta(days=30)
    db.add(
        Application(
            item_id=item.id or 0,
            team_id=team.id or 0,
            applicant_id=team.captain_id,
            summary="基于多帧融合的档案影像超分辨率（演示）/ Multi-frame archive super-resolution (demo)",
            proposal_object_id=proposal.id or 0,
            status=ApplicationStatus.awarded,
            reviewer_notes="指标达标，挂帅 / targets met, awarded",
            decided_by=organiser.id,
            decided_at=decided,
            created_at=datetime.fromisoformat(ITEM["application_deadline"]) - timedelta(days=20),
        )
    )
    db.commit()
    return True
