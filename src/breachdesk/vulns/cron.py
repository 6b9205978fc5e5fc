"""Standard five-field cron expressions (minute hour day-of-month month day-of-week), in UTC.

``*``, lists, ranges, steps (``*/15``, ``1-30/5``), month and weekday names, ``7`` for Sunday,
and the Vixie rule: when both day fields are restricted, a day matching either one is due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from breachdesk.core.errors import InvalidInputError

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_FIELDS = (
    ("minute", 0, 59, ()),
    ("hour", 0, 23, ()),
    ("day of month", 1, 31, ()),
    ("month", 1, 12, _MONTHS),
    ("day of week", 0, 7, _DAYS),
)
_HORIZON = timedelta(days=366 * 5)  # "30 2 31 2 *" (never) must not loop forever


@dataclass(frozen=True, slots=True)
class Cron:
    """A parsed expression: the allowed values of each field."""

    text: str
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday
    day_restricted: bool
    weekday_restricted: bool

    def matches(self, at: datetime) -> bool:
        """True when the minute ``at`` (UTC) is due."""
        at = at.astimezone(UTC)
        if at.minute not in self.minutes or at.hour not in self.hours:
            return False
        return at.month in self.months and self._day_ok(at)

    def _day_ok(self, at: datetime) -> bool:
        day = at.day in self.days
        weekday = (at.isoweekday() % 7) in self.weekdays
        if self.day_restricted and self.weekday_restricted:
            return day or weekday
        return day and weekday

    def next_after(self, after: datetime) -> datetime:
        """The first due minute strictly after ``after`` (UTC)."""
        at = after.astimezone(UTC).replace(second=0, microsecond=0) + timedelta(minutes=1)
        limit = at + _HORIZON
        while at < limit:
            if at.month not in self.months:
                at = _next_month(at)
            elif not self._day_ok(at):
                at = (at + timedelta(days=1)).replace(hour=0, minute=0)
            elif at.hour not in self.hours:
                at = (at + timedelta(hours=1)).replace(minute=0)
            elif at.minute not in self.minutes:
                at += timedelta(minutes=1)
            else:
                return at
        raise InvalidInputError(f"cron {self.text!r}: never due")


def _next_month(at: datetime) -> datetime:
    year, month = (at.year + 1, 1) if at.month == 12 else (at.year, at.month + 1)
    return at.replace(year=year, month=month, day=1, hour=0, minute=0)


def _value(token: str, names: tuple[str, ...], low: int, what: str, text: str) -> int:
    lowered = token.lower()
    if lowered in names:
        return names.index(lowered) + low
    if not token.isdigit():
        raise InvalidInputError(f"cron {text!r}: {what}: {token!r} is not a number or name")
    return int(token)


def _field(
    part: str, what: str, low: int, high: int, names: tuple[str, ...], text: str
) -> set[int]:
    values: set[int] = set()
    for item in part.split(","):
        body, _, step_text = item.partition("/")
        step = int(step_text) if step_text.isdigit() else 0 if step_text else 1
        if step < 1:
            raise InvalidInputError(f"cron {text!r}: {what}: bad step in {item!r}")
        if body == "*":
            start, end = low, high
        elif "-" in body:
            a, _, b = body.partition("-")
            start, end = _value(a, names, low, what, text), _value(b, names, low, what, text)
        else:
            start = _value(body, names, low, what, text)
            end = high if step_text else start
        if not low <= start <= end <= high:
            raise InvalidInputError(f"cron {text!r}: {what}: {item!r} outside {low}-{high}")
        values.update(range(start, end + 1, step))
    return values


def parse_cron(text: str) -> Cron:
    """Parse five fields; errors name the field and the offending part."""
    parts = text.split()
    if len(parts) != 5:
        raise InvalidInputError(f"cron {text!r}: expected 5 fields (minute hour day month weekday)")
    sets = [
        _field(part, what, low, high, names, text)
        for part, (what, low, high, names) in zip(parts, _FIELDS, strict=True)
    ]
    weekdays = {d % 7 for d in sets[4]}
    return Cron(
        text=" ".join(parts),
        minutes=frozenset(sets[0]),
        hours=frozenset(sets[1]),
        days=frozenset(sets[2]),
        months=frozenset(sets[3]),
        weekdays=frozenset(weekdays),
        day_restricted=not parts[2].startswith("*"),
        weekday_restricted=not parts[4].startswith("*"),
    )
