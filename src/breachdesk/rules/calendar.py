"""Deadline arithmetic: exact hours, calendar days and business days with real public holidays.

Hours are added to the UTC instant exactly. Day-counted periods follow the usual legal reckoning:
the day of the triggering event is not counted and the period ends at the end of its last day
(23:59:59 local time in the jurisdiction's timezone). Business days skip Saturdays, Sundays and
the public holidays of the jurisdiction (``holidays`` package, country or country-subdivision).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

END_OF_DAY = time(23, 59, 59)


class UnknownHolidayCalendarError(ValueError):
    """The ``holidays`` package has no calendar for a country or subdivision code."""


@lru_cache(maxsize=256)
def holiday_calendar(code: str) -> holidays.HolidayBase:
    """Public holidays of ``code`` (``"US"``, ``"US-CA"``, ``"GB"``, ``"FR"``), all years."""
    country, _, subdivision = code.partition("-")
    try:
        return holidays.country_holidays(country, subdiv=subdivision or None)
    except NotImplementedError as error:
        raise UnknownHolidayCalendarError(f"no public-holiday calendar for {code!r}") from error


def known_holiday_calendar(code: str) -> bool:
    """Whether ``code`` names a calendar the ``holidays`` package provides."""
    try:
        holiday_calendar(code)
    except UnknownHolidayCalendarError:
        return False
    return True


def is_business_day(day: date, holiday_code: str | None) -> bool:
    """Whether ``day`` is neither a weekend day nor a public holiday of ``holiday_code``."""
    if day.weekday() >= 5:
        return False
    return holiday_code is None or day not in holiday_calendar(holiday_code)


def add_hours(start: datetime, hours: int) -> datetime:
    """``start`` plus exactly ``hours`` hours, as aware UTC."""
    return _utc(start) + timedelta(hours=hours)


def add_days(start: datetime, days: int, *, timezone: str) -> datetime:
    """End (23:59:59 local) of the ``days``-th calendar day after the local day of ``start``."""
    zone = ZoneInfo(timezone)
    last = _utc(start).astimezone(zone).date() + timedelta(days=days)
    return _end_of(last, zone)


def add_business_days(
    start: datetime, days: int, *, timezone: str, holiday_code: str | None
) -> datetime:
    """End (23:59:59 local) of the ``days``-th business day after the local day of ``start``.

    With ``days == 0`` the period ends on the start day if it is a business day, else on the next.
    """
    zone = ZoneInfo(timezone)
    day = _utc(start).astimezone(zone).date()
    if days == 0:
        while not is_business_day(day, holiday_code):
            day += timedelta(days=1)
        return _end_of(day, zone)
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if is_business_day(day, holiday_code):
            remaining -= 1
    return _end_of(day, zone)


def local_iso(instant: datetime, timezone: str) -> str:
    """ISO-8601 text of ``instant`` in ``timezone`` (with its offset)."""
    return _utc(instant).astimezone(ZoneInfo(timezone)).isoformat(timespec="seconds")


def _end_of(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, END_OF_DAY, tzinfo=zone).astimezone(UTC)


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("naive datetime: deadlines are computed from aware instants")
    return value.astimezone(UTC)
