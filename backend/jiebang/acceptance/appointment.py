"""The appointment an item's acceptance follows: its appointees (every one its final public
notice names, or the applications awarded before notices existed), when it was made, and who
speaks for each appointee."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from jiebang.appointments import service as notice_service
from jiebang.appointments.models import NoticeStatus, PublicNotice
from jiebang.auth.models import User
from jiebang.challenge_lists.models import (
    Application,
    ApplicationStatus,
    ChallengeItem,
    ChallengeList,
)
from jiebang.core.errors import DomainError, Forbidden, InvalidInput
from jiebang.organisations import service as org_service


class NotAppointed(DomainError):
    status_code = 409

    def __init__(self) -> None:
        super().__init__("not_appointed")


@dataclass(frozen=True)
class Appointment:
    item: ChallengeItem
    applications: tuple[Application, ...]  # every appointee, in the notice's order
    appointed_at: datetime | None
    zone: str

    @property
    def appointed_on(self) -> date | None:
        """The day of the appointment in the list's time zone."""
        if self.appointed_at is None:
            return None
        return self.appointed_at.astimezone(ZoneInfo(self.zone)).date()

    @property
    def application(self) -> Application:
        """The first appointee (for callers that know of one appointee only)."""
        return self.applications[0]

    def appointee(self, application_id: int | None) -> Application:
        """The named appointee; with none named, the only one (422 when there are several)."""
        if application_id is None:
            if len(self.applications) > 1:
                raise InvalidInput("application_id", "appointee_required")
            return self.applications[0]
        for app in self.applications:
            if app.id == application_id:
                return app
        raise InvalidInput("application_id", "not_found", thing="application")


# ---------------------------------------------------------------- the appointment
def appointment_of(*, db: Session, item: ChallengeItem) -> Appointment | None:
    """The item's final appointment, or None while there is none."""
    found = db.get(ChallengeList, item.list_id)
    zone = found.timezone if found else "Asia/Shanghai"
    notice = db.exec(
        select(PublicNotice).where(
            PublicNotice.item_id == item.id, PublicNotice.status == NoticeStatus.final
        )
    ).first()
    if notice is not None:
        apps = tuple(notice_service.appointees_of(db=db, notice=notice))
        return Appointment(item, apps, notice.finalised_at, zone)
    if db.exec(select(PublicNotice.id).where(PublicNotice.item_id == item.id)).first():
        return None  # still in public notice
    awarded = tuple(
        db.exec(
            select(Application)
            .where(Application.item_id == item.id, Application.status == ApplicationStatus.awarded)
            .order_by(col(Application.id))
        )
    )
    if not awarded:
        return None
    return Appointment(item, awarded, awarded[0].decided_at, zone)


def get_appointment(*, db: Session, item: ChallengeItem) -> Appointment:
    """The item's final appointment; 409 before it."""
    found = appointment_of(db=db, item=item)
    if found is None:
        raise NotAppointed()
    return found


def appointee_ids(*, db: Session, app: Application) -> list[int]:
    """The applicant and every member of the applying unit."""
    return notice_service.people_of(db=db, app=app)


def is_appointee(*, db: Session, app: Application, user: User) -> bool:
    return user.id == app.applicant_id or (
        app.applicant_org_id is not None
        and org_service.is_member(db=db, organisation_id=app.applicant_org_id, user_id=user.id or 0)
    )


def appointees_for(*, db: Session, appointment: Appointment, user: User) -> list[Application]:
    """The appointees the user speaks for (usually none or one)."""
    return [a for a in appointment.applications if is_appointee(db=db, app=a, user=user)]


def reporting_appointee(
    *, db: Session, appointment: Appointment, user: User, application_id: int | None
) -> Application:
    """The appointee a user reports for: the named one, or the only one they speak for."""
    if application_id is not None:
        app = appointment.appointee(application_id)
        if not is_appointee(db=db, app=app, user=user):
            raise Forbidden("not_appointee")
        return app
    mine = appointees_for(db=db, appointment=appointment, user=user)
    if not mine:
        raise Forbidden("not_appointee")
    if len(mine) > 1:
        raise InvalidInput("application_id", "appointee_required")
    return mine[0]
