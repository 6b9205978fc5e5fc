"""Deadline calendar: exact hours, end-of-day day counts, business days skip holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breachdesk.rules.calendar import (
    UnknownHolidayCalendarError,
    add_business_days,
    add_days,
    add_hours,
    holiday_calendar,
    is_business_day,
    known_holiday_calendar,
    local_iso,
)

CODES = ["US", "US-CA", "US-TX", "GB", "FR", "BR", "SG", "DE-BY"]
ZONES = {
    "US": "America/New_York",
    "US-CA": "America/Los_Angeles",
    "US-TX": "America/Chicago",
    "GB": "Europe/London",
    "FR": "Europe/Paris",
    "BR": "America/Sao_Paulo",
    "SG": "Asia/Singapore",
    "DE-BY": "Europe/Berlin",
}
instants = st.datetimes(
    min_value=datetime(2015, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=150, deadline=None)
@given(a=instants, b=instants, days=st.integers(0, 30), code=st.sampled_from(CODES))
def test_business_day_addition_is_monotonic(a: datetime, b: datetime, days: int, code: str) -> None:
    early, late = sorted((a, b))
    zone = ZONES[code]
    first = add_business_days(early, days, timezone=zone, holiday_code=code)
    second = add_business_days(late, days, timezone=zone, holiday_code=code)
    assert first <= second
    more = add_business_days(early, days + 1, timezone=zone, holiday_code=code)
    assert first <= more
    if days:  # 0 business days from a holiday and 1 business day both end on the next one
        assert first < more


@settings(max_examples=200, deadline=None)
@given(start=instants, days=st.integers(0, 40), code=st.sampled_from(CODES))
def test_business_day_deadline_never_ends_on_weekend_or_holiday(
    start: datetime, days: int, code: str
) -> None:
    due = add_business_days(start, days, timezone=ZONES[code], holiday_code=code)
    local = due.astimezone(ZoneInfo(ZONES[code]))
    assert local.weekday() < 5
    assert local.date() not in holiday_calendar(code)
    assert (local.hour, local.minute, local.second) == (23, 59, 59)
    assert due >= start


@settings(deadline=None)
@given(start=instants, hours=st.integers(0, 24 * 400))
def test_hours_are_exact(start: datetime, hours: int) -> None:
    assert add_hours(start, hours) - start == timedelta(hours=hours)


@settings(deadline=None)
@given(start=instants, days=st.integers(0, 400))
def test_calendar_days_end_on_the_last_local_day(start: datetime, days: int) -> None:
    zone = ZoneInfo("America/Chicago")
    due = add_days(start, days, timezone="America/Chicago").astimezone(zone)
    assert due.date() == start.astimezone(zone).date() + timedelta(days=days)
    assert due.time().isoformat() == "23:59:59"


def test_sec_four_business_days_skip_thanksgiving() -> None:
    # Tuesday 2026-11-24, 10:00 New York; Thanksgiving is Thursday 2026-11-26
    start = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
    due = add_business_days(start, 4, timezone="America/New_York", holiday_code="US")
    assert local_iso(due, "America/New_York") == "2026-12-01T23:59:59-05:00"


def test_state_holiday_counts_only_in_that_state() -> None:
    # Cesar Chavez Day (31 March) is a California state holiday, not a federal one
    day = date(2027, 3, 31)
    assert not is_business_day(day, "US-CA")
    assert is_business_day(day, "US")
    assert not is_business_day(date(2026, 11, 28), None)  # a Saturday


def test_unknown_holiday_calendar() -> None:
    assert not known_holiday_calendar("XX")
    with pytest.raises(UnknownHolidayCalendarError):
        holiday_calendar("XX")


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        add_hours(datetime(2026, 1, 1), 1)
