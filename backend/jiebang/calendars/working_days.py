"""Count working days in a list's time zone, by the list's calendar.

``cn`` follows the State Council's holiday schedule (国务院办公厅关于节假日安排的通知): public
holidays are not working days and the adjusted weekend days (调休) are. The schedule comes from the
``chinesecalendar`` package, which holds only the years already announced; a day of a later year is
counted Monday to Friday, and the period says which years were counted so. ``weekdays`` counts
Monday to Friday, the calendar of lists created before ``cn`` existed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo

import chinese_calendar
from chinese_calendar import constants as cn_schedule


class WorkingCalendar(StrEnum):
    cn = "cn"  # the official Chinese calendar: holidays skipped, 调休 weekend days counted
    weekdays = "weekdays"  # Monday to Friday


@dataclass(frozen=True)
class Holiday:
    name_en: str
    name_zh: str


@dataclass(frozen=True)
class WorkingPeriod:
    """The end of a period of working days, and how the calendar decided it."""

    ends: datetime  # in the list's zone, at the start's time of day
    skipped: tuple[Holiday, ...]  # holidays whose days fell in the period, in order
    makeup_days: tuple[date, ...]  # weekend days counted as working days (调休)
    fallback_years: tuple[int, ...]  # years counted Monday to Friday: schedule not announced


@cache
def covered_years() -> range:
    """The years whose official schedule the installed ``chinesecalendar`` holds."""
    years = {day.year for day in cn_schedule.holidays}
    return range(min(years), max(years) + 1)


def _holiday(name: str) -> Holiday:
    try:
        return Holiday(name_en=name, name_zh=cn_schedule.Holiday(name).chinese)
    except ValueError:  # a name the package's enum does not list: show it as given
        return Holiday(name_en=name, name_zh=name)


def add_working_days(
    start: datetime, days: int, *, zone: str, calendar: WorkingCalendar
) -> WorkingPeriod:
    """The moment ``days`` working days after ``start`` (the start's day not counted), in ``zone``."""
    local = start.astimezone(ZoneInfo(zone))
    skipped: dict[str, Holiday] = {}
    makeup: list[date] = []
    fallback: set[int] = set()
    left = days
    while left:
        local += timedelta(days=1)
        day = local.date()
        weekday = day.weekday() < 5
        if calendar == WorkingCalendar.weekdays:
            works = weekday
        elif day.year not in covered_years():
            fallback.add(day.year)
            works = weekday
        else:
            works = chinese_calendar.is_workday(day)
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
            if on_holiday and name:
                skipped.setdefault(name, _holiday(name))
            if works and not weekday:
                makeup.append(day)
        if works:
            left -= 1
    return WorkingPeriod(
        ends=local,
        skipped=tuple(skipped.values()),
        makeup_days=tuple(makeup),
        fallback_years=tuple(sorted(fallback)),
    )
