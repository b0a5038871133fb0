"""Milestone reminders read "due in 7 days" on the list's calendar: fixed clocks on both sides
of UTC midnight and of the list's own midnight, for a zone east of UTC and one west of it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from jiebang.acceptance.models import Milestone
from jiebang.challenge_lists.models import ChallengeList
from jiebang.notifications import milestone_reminders, reminders
from jiebang.notifications.models import Notification
from tests.acceptance.helpers import Appointed, appointed_item

Maker = Callable[..., dict[str, str]]
DUE = date(2027, 3, 10)
NOTICE = timedelta(days=7)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _milestone_due(
    client: TestClient, db: Session, organiser: dict[str, str], make_user: Maker, zone: str
) -> Appointed:
    """An appointed item in a list kept in ``zone``, with one milestone due on DUE (written
    straight to the table: the API refuses due dates outside the acceptance deadline)."""
    a = appointed_item(client, organiser, make_user(), make_user(), make_user())
    found = db.get(ChallengeList, a.list)
    assert found is not None
    found.timezone = zone
    db.add(found)
    db.add(Milestone(item_id=a.item, due_date=DUE, title="中期检查"))
    db.commit()
    return a


def _due_at(db: Session, when: str) -> list[str]:
    return [r.data["due"] for r in milestone_reminders.due(db, NOTICE, now=_at(when))]


def test_shanghai_is_reminded_from_its_own_day_seven_before(
    client: TestClient, db: Session, organiser: dict[str, str], make_user: Maker
) -> None:
    _milestone_due(client, db, organiser, make_user, "Asia/Shanghai")
    # 2027-03-03 begins in Shanghai at 2027-03-02 16:00 UTC, while UTC is still on the 2nd
    assert _due_at(db, "2027-03-02T15:59:59") == []
    assert _due_at(db, "2027-03-02T16:00:00") == ["2027-03-10"]
    assert _due_at(db, "2027-03-03T00:00:00") == ["2027-03-10"]  # UTC midnight: still due
    # the due day ends in Shanghai at 2027-03-10 16:00 UTC
    assert _due_at(db, "2027-03-10T15:59:59") == ["2027-03-10"]
    assert _due_at(db, "2027-03-10T16:00:00") == []


def test_new_york_is_not_reminded_early_nor_missed_on_its_due_day(
    client: TestClient, db: Session, organiser: dict[str, str], make_user: Maker
) -> None:
    _milestone_due(client, db, organiser, make_user, "America/New_York")
    # UTC reaches 2027-03-03 five hours before New York does (EST, UTC-5)
    assert _due_at(db, "2027-03-03T00:00:00") == []
    assert _due_at(db, "2027-03-03T04:59:59") == []
    assert _due_at(db, "2027-03-03T05:00:00") == ["2027-03-10"]
    # past UTC midnight on the due day, New York's 10 March is not over yet
    assert _due_at(db, "2027-03-11T03:59:59") == ["2027-03-10"]  # EDT from 14 March: still EST
    assert _due_at(db, "2027-03-11T05:00:00") == []


@pytest.mark.parametrize(
    ("zone", "before", "after"),
    [
        ("Asia/Shanghai", "2027-03-02T15:59:00", "2027-03-02T16:01:00"),
        ("America/New_York", "2027-03-03T04:59:00", "2027-03-03T05:01:00"),
    ],
)
def test_the_housekeeping_duty_reminds_once(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Maker,
    monkeypatch: pytest.MonkeyPatch,
    zone: str,
    before: str,
    after: str,
) -> None:
    a = _milestone_due(client, db, organiser, make_user, zone)
    clock = {"now": _at(before)}
    monkeypatch.setattr(milestone_reminders, "utcnow", lambda: clock["now"])
    assert reminders.send_due(db) == 0  # the day before, in the list's zone
    clock["now"] = _at(after)
    reminders.send_due(db)
    told = _told(db)
    assert told, "reminded on the list's day seven before"
    for later in ("2027-03-03T12:00:00", "2027-03-04T00:00:00", "2027-03-10T12:00:00"):
        clock["now"] = _at(later)
        reminders.send_due(db)
        assert _told(db) == told  # across UTC midnight and days later: once only
    users = [user for user, _ in told]
    assert len(users) == len(set(users))
    assert {link for _, link in told} == {f"/items/{a.item}#milestone-{_milestone_id(db, a)}"}


def _told(db: Session) -> list[tuple[int, str]]:
    rows = db.exec(select(Notification).where(Notification.kind == "milestone.due")).all()
    return sorted((n.user_id, n.link or "") for n in rows)


def _milestone_id(db: Session, a: Appointed) -> int:
    found = db.exec(select(Milestone).where(Milestone.item_id == a.item)).one()
    return found.id or 0
