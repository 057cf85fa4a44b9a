"""Periods as the Civil Code of the PRC counts them (民法典 第二百零一条至第二百零三条).

- art. 201: the day the period starts is not counted; it runs from the next day;
- art. 202: a period in years or months ends on the corresponding day of the last month, or on
  that month's last day when it has no corresponding day;
- art. 203: a period whose last day is a statutory holiday ends on the day after the holiday.
  Optional here (`holidays=True`), off by default, with the calendar of the `chinese-calendar`
  package (public holidays and the weekends not made working days); a year the calendar does not
  cover is a Problem, never a guess.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from demozone.common.errors import InputError, Problem

CIVIL_CODE = {
    "201": "按照年、月、日、小时计算期间的，开始的当日不计入，自下一日开始计算。",
    "202": "按照年、月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日。",
    "203": "期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日。",
}


def after_days(start: date, days: int, *, holidays: bool = False) -> date:
    """The last day of a period of `days` days beginning on `start` (art. 201: from the next day)."""
    return _shifted(start + timedelta(days=days), holidays)


def after_months(start: date, months: int, *, holidays: bool = False) -> date:
    """The last day of a period of `months` months beginning on `start` (arts. 201-202)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return _shifted(date(year, month, min(start.day, last)), holidays)


def after_years(start: date, years: int, *, holidays: bool = False) -> date:
    """The last day of a period of `years` years beginning on `start` (arts. 201-202):
    2024-02-29 + 3 years ends on 2027-02-28, the month having no 29th."""
    return after_months(start, 12 * years, holidays=holidays)


def _shifted(last: date, holidays: bool) -> date:
    """Art. 203, when asked for: past every statutory rest day to the next working day."""
    if not holidays:
        return last
    import chinese_calendar  # imported only when the shift is asked for

    day = last
    try:
        while chinese_calendar.is_holiday(day):
            day += timedelta(days=1)
    except NotImplementedError:
        raise InputError(
            [
                Problem(
                    "",
                    "holidays",
                    f"the holiday calendar does not cover {day.year}; art. 203 cannot be applied",
                    f"节假日日历未覆盖{day.year}年，无法适用民法典第二百零三条",
                )
            ]
        ) from None
    return day
