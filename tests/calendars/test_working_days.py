"""Working days by the official Chinese calendar (chinesecalendar's data) and Monday to Friday."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from jiebang.calendars.working_days import WorkingCalendar, add_working_days, covered_years

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 10, 0, tzinfo=SHANGHAI)


def test_schedule_2026_as_the_library_has_it() -> None:
    """The days the tests below rely on, as the State Council's 2026 schedule gives them."""
    assert 2026 in covered_years()
    assert all(chinese_calendar.is_holiday(date(2026, 10, d)) for d in range(1, 8))
    assert chinese_calendar.is_workday(date(2026, 10, 10))  # Saturday, 调休
    assert chinese_calendar.is_workday(date(2026, 2, 14))  # Saturday, 调休
    assert all(chinese_calendar.is_holiday(date(2026, 2, d)) for d in range(15, 24))


def test_national_day_2026_skipped_and_makeup_saturday_counted() -> None:
    # Tue 29, Wed 30 Sep; 1-7 Oct off; Thu 8, Fri 9, Sat 10 Oct (调休) → 5 working days
    period = add_working_days(at(2026, 9, 28), 5, zone="Asia/Shanghai", calendar=WorkingCalendar.cn)
    assert period.ends == at(2026, 10, 10)
    assert [h.name_zh for h in period.skipped] == ["国庆节"]
    assert [h.name_en for h in period.skipped] == ["National Day"]
    assert period.makeup_days == (date(2026, 10, 10),)
    assert period.fallback_years == ()


def test_spring_festival_2026() -> None:
    # Fri 13, Sat 14 Feb (调休); 15-23 Feb off; Tue 24, Wed 25, Thu 26
    period = add_working_days(at(2026, 2, 12), 5, zone="Asia/Shanghai", calendar=WorkingCalendar.cn)
    assert period.ends == at(2026, 2, 26)
    assert [h.name_zh for h in period.skipped] == ["春节"]
    assert period.makeup_days == (date(2026, 2, 14),)


def test_weekend_start_counts_from_monday() -> None:
    saturday = at(2026, 3, 7)
    period = add_working_days(saturday, 5, zone="Asia/Shanghai", calendar=WorkingCalendar.cn)
    assert period.ends == at(2026, 3, 13)  # Mon 9 … Fri 13
    assert period.skipped == () and period.makeup_days == ()


def test_weekdays_calendar_is_monday_to_friday_even_over_national_day() -> None:
    period = add_working_days(
        at(2026, 9, 28), 5, zone="Asia/Shanghai", calendar=WorkingCalendar.weekdays
    )
    assert period.ends == at(2026, 10, 5)  # Tue 29, Wed 30, Thu 1, Fri 2, Mon 5
    assert period.skipped == () and period.makeup_days == () and period.fallback_years == ()


def test_the_day_is_the_list_zone_s() -> None:
    # 2026-09-30 20:00 UTC is already 1 October in Shanghai: the count starts from the holiday
    start = datetime(2026, 9, 30, 20, 0, tzinfo=ZoneInfo("UTC"))
    period = add_working_days(start, 1, zone="Asia/Shanghai", calendar=WorkingCalendar.cn)
    assert period.ends == datetime(2026, 10, 8, 4, 0, tzinfo=SHANGHAI)


def test_year_without_schedule_falls_back_to_weekdays() -> None:
    beyond = covered_years().stop  # the first year the library has no schedule for
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(beyond, 3, 1))
    start = datetime(beyond, 3, 5, 10, 0, tzinfo=SHANGHAI)
    period = add_working_days(start, 5, zone="Asia/Shanghai", calendar=WorkingCalendar.cn)
    weekdays = add_working_days(start, 5, zone="Asia/Shanghai", calendar=WorkingCalendar.weekdays)
    assert period.ends == weekdays.ends
    assert period.fallback_years == (beyond,)


def test_period_into_an_unannounced_year_names_only_that_year() -> None:
    last = covered_years()[-1]
    period = add_working_days(
        at(last, 12, 28), 5, zone="Asia/Shanghai", calendar=WorkingCalendar.cn
    )
    assert period.ends.year == last + 1
    assert period.fallback_years == (last + 1,)
