"""Due times of one notice: which recorded fact starts the clock, and the period it runs for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from breachdesk.core.obligation import BreachFacts, LawEnforcementDelay
from breachdesk.rules.calendar import (
    add_business_days,
    add_days,
    add_hours,
    known_holiday_calendar,
)
from breachdesk.rules.model import Clock, Deadline, Period, Rule

# Where a law sets no fixed period, breachdesk recommends the shortest fixed period common in
# US state laws (30 days) as a target; the explanation says it is a recommendation only.
DEFAULT_TARGET = Period(days=30)


@dataclass(frozen=True, slots=True)
class ClockStart:
    """The instant a deadline counts from, and notes on how it was chosen."""

    clock: Clock
    at: datetime | None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Due:
    """A computed due time (or recommended target) with its explanation."""

    due_at: datetime | None
    target_at: datetime | None
    start: ClockStart
    phrase: str  # e.g. "within 30 days of determination"
    notes: tuple[str, ...] = ()


def describe_period(period: Period) -> str:
    """``72 hours``, ``30 days``, ``4 business days``."""
    if period.hours is not None:
        return f"{period.hours} hour{'s' if period.hours != 1 else ''}"
    days = period.days or 0
    kind = "business day" if period.business_days else "day"
    return f"{days} {kind}{'s' if days != 1 else ''}"


def clock_start(deadline: Deadline, facts: BreachFacts, rule_id: str) -> ClockStart:
    """The recorded fact the deadline counts from, falling back to earlier facts when missing."""
    clock = deadline.from_
    if clock is Clock.DISCOVERY:
        return ClockStart(clock, facts.discovered_at)
    if clock is Clock.DETERMINATION:
        if facts.determined_at is not None:
            return ClockStart(clock, facts.determined_at)
        return ClockStart(
            clock,
            facts.discovered_at,
            ("determination time not recorded: counting from discovery, the earliest it can be",),
        )
    if clock is Clock.ASSESSMENT:
        if facts.assessed_at is not None:
            return ClockStart(clock, facts.assessed_at)
        fallback, label = (
            (facts.determined_at, "determination")
            if facts.determined_at is not None
            else (facts.discovered_at, "discovery")
        )
        return ClockStart(
            clock,
            fallback,
            (f"assessment time not recorded: counting from {label}, the earliest it can be",),
        )
    notified = facts.individuals_notified_at.get(rule_id)
    if notified is None:
        return ClockStart(
            clock, None, ("individual notice not yet recorded: the clock has not started",)
        )
    return ClockStart(clock, notified)


def add_period(start: datetime, period: Period, rule: Rule) -> tuple[datetime, tuple[str, ...]]:
    """``start`` plus ``period`` in the rule's timezone and holiday calendar."""
    if period.hours is not None:
        return add_hours(start, period.hours), ()
    days = period.days or 0
    if not period.business_days:
        return add_days(start, days, timezone=rule.timezone), ()
    code = rule.holidays
    notes: tuple[str, ...] = ()
    if code is None:
        notes = ("no public-holiday calendar named by the rule: business days skip weekends only",)
    elif not known_holiday_calendar(code):
        notes = (f"no public-holiday calendar for {code}: business days skip weekends only",)
        code = None
    due = add_business_days(start, days, timezone=rule.timezone, holiday_code=code)
    return due, notes


def compute_due(deadline: Deadline, facts: BreachFacts, rule: Rule) -> Due:
    """Due time, or recommended target, of one notice under ``rule``."""
    start = clock_start(deadline, facts, rule.id)
    clock_words = deadline.from_.value.replace("_", " ")
    if deadline.within is not None:
        phrase = f"within {describe_period(deadline.within)} of {clock_words}"
        if deadline.without_unreasonable_delay:
            phrase = f"without unreasonable delay and {phrase}"
        if start.at is None:
            return Due(None, None, start, phrase)
        due, notes = add_period(start.at, deadline.within, rule)
        return Due(due, None, start, phrase, notes)
    target = deadline.target or DEFAULT_TARGET
    default = deadline.target is None
    phrase = "without unreasonable delay (no fixed period)"
    if start.at is None:
        return Due(None, None, start, phrase)
    target_at, notes = add_period(start.at, target, rule)
    why = (
        "breachdesk's default, the shortest fixed period common in US state laws"
        if default
        else "the rule's recommended target"
    )
    notes = (*notes, f"recommended target: {describe_period(target)} from {clock_words} ({why})")
    return Due(None, target_at, start, phrase, notes)


def suspend(
    due: Due, delay: LawEnforcementDelay
) -> tuple[datetime | None, datetime | None, tuple[str, ...]]:
    """Due time and target after a law-enforcement delay the statute allows."""
    ref = f" (reference {delay.reference})" if delay.reference else ""
    if delay.until is None:
        note = (
            f"law enforcement asked on {delay.requested_at:%Y-%m-%d} to delay notice{ref}: "
            "the clock is suspended until the request ends"
        )
        return None, None, (note,)
    shift = _overlap(due, delay)
    moved = tuple(None if t is None else t + shift for t in (due.due_at, due.target_at))
    note = (
        f"law enforcement delay from {delay.requested_at:%Y-%m-%d} to {delay.until:%Y-%m-%d}{ref}: "
        f"the clock is extended by {_days(shift)}"
    )
    return moved[0], moved[1], (note,)


def _overlap(due: Due, delay: LawEnforcementDelay) -> timedelta:
    end = due.due_at or due.target_at
    start = due.start.at
    if end is None or start is None or delay.until is None:
        return timedelta(0)
    if delay.requested_at >= end:
        return timedelta(0)  # asked after the deadline: it cannot move it
    return max(delay.until - max(start, delay.requested_at), timedelta(0))


def _days(span: timedelta) -> str:
    hours = span.total_seconds() / 3600
    return f"{hours / 24:.1f} days" if hours >= 48 else f"{hours:.0f} hours"
