"""The public-notice period: its end from a number of working days by the list's calendar, what
the calendar skipped and counted, and the warning when a year's holidays are not announced yet."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from jiebang.appointments.models import HolidayPublic, NoticePeriodIn, PeriodPreview, PeriodWarning
from jiebang.calendars.working_days import WorkingCalendar, add_working_days
from jiebang.core.errors import InvalidInput

UNANNOUNCED_EN = (
    "The {year} public-holiday schedule has not been announced yet; "
    "the notice period counts Monday to Friday"
)
UNANNOUNCED_ZH = "{year} 年的节假日安排尚未公布，公示期按周一至周五计算"


def warnings_for(fallback_years: Iterable[int]) -> list[PeriodWarning]:
    """One warning per year of the period counted Monday to Friday for want of a schedule."""
    return [
        PeriodWarning(
            code="holidays_unannounced",
            year=year,
            message_zh=UNANNOUNCED_ZH.format(year=year),
            message_en=UNANNOUNCED_EN.format(year=year),
        )
        for year in sorted(set(fallback_years))
    ]


def _in_zone(value: datetime, zone: str) -> datetime:
    return value.replace(tzinfo=ZoneInfo(zone)) if value.tzinfo is None else value


def notice_period(
    *, period_in: NoticePeriodIn, zone: str, calendar: WorkingCalendar, now: datetime
) -> PeriodPreview:
    """The period a notice gets: the given end, else ``working_days`` after the start (now when
    not given) by ``calendar`` in ``zone``; 422 on ``ends_at`` when it ends before it starts."""
    starts = _in_zone(period_in.starts_at or now, zone)
    if period_in.ends_at is not None:
        ends = _in_zone(period_in.ends_at, zone)
        preview = PeriodPreview(
            starts_at=starts,
            ends_at=ends,
            timezone=zone,
            working_days=None,
            working_calendar=None,
            skipped_holidays=[],
            makeup_days=[],
            warnings=[],
        )
    else:
        counted = add_working_days(starts, period_in.working_days, zone=zone, calendar=calendar)
        preview = PeriodPreview(
            starts_at=starts,
            ends_at=counted.ends,
            timezone=zone,
            working_days=period_in.working_days,
            working_calendar=calendar,
            skipped_holidays=[
                HolidayPublic(name_zh=h.name_zh, name_en=h.name_en) for h in counted.skipped
            ],
            makeup_days=list(counted.makeup_days),
            warnings=warnings_for(counted.fallback_years),
        )
    if preview.ends_at <= preview.starts_at:
        raise InvalidInput("ends_at", "notice_period_invalid")
    return preview
