"""The built-in cron parser, cross-checked against croniter."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breachdesk.core.errors import InvalidInputError
from breachdesk.vulns.cron import parse_cron

croniter = pytest.importorskip("croniter").croniter


def test_weekly_monday_at_three() -> None:
    cron = parse_cron("0 3 * * 1")
    at = cron.next_after(datetime(2026, 11, 29, 12, 0, tzinfo=UTC))  # a Sunday
    assert at == datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
    assert cron.next_after(at) == datetime(2026, 12, 7, 3, 0, tzinfo=UTC)


def test_names_steps_lists_and_sunday_as_seven() -> None:
    cron = parse_cron("*/20 9-17/4 * jan,JUL sun-mon")
    assert cron.minutes == {0, 20, 40}
    assert cron.hours == {9, 13, 17}
    assert cron.months == {1, 7}
    assert cron.weekdays == {0, 1}
    assert parse_cron("0 0 * * 7").weekdays == {0}


def test_either_day_field_when_both_are_restricted() -> None:
    cron = parse_cron("0 0 13 * 5")  # the 13th or any Friday
    start = datetime(2026, 11, 1, tzinfo=UTC)
    assert cron.next_after(start) == datetime(2026, 11, 6, tzinfo=UTC)  # a Friday


@pytest.mark.parametrize(
    "text", ["", "* * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *",
             "*/0 * * * *", "5-1 * * * *", "x * * * *", "* * * * 8"],
)  # fmt: skip
def test_bad_expressions_name_the_problem(text: str) -> None:
    with pytest.raises(InvalidInputError, match="cron"):
        parse_cron(text)


def test_a_starred_step_in_a_day_field_counts_as_unrestricted() -> None:
    cron = parse_cron("0 0 */1 * 0")  # cron(8): every Sunday, not every day
    start = datetime(2020, 1, 1, tzinfo=UTC)  # a Wednesday
    assert cron.next_after(start) == datetime(2020, 1, 5, tzinfo=UTC)


def test_never_due_is_an_error_not_a_hang() -> None:
    with pytest.raises(InvalidInputError, match="never due"):
        parse_cron("0 0 31 2 *").next_after(datetime(2026, 1, 1, tzinfo=UTC))


def _expr() -> st.SearchStrategy[str]:
    def part(low: int, high: int) -> st.SearchStrategy[str]:
        single = st.integers(low, high).map(str)
        # a one-value range ("0-0") is left out: croniter reads it differently from cron(8)
        ranged = (
            st.tuples(st.integers(low, high), st.integers(low, high))
            .filter(lambda t: t[0] != t[1])
            .map(lambda t: f"{min(t)}-{max(t)}")
        )
        stepped = st.integers(1, 7).map(lambda s: f"*/{s}")
        return st.one_of(st.just("*"), single, ranged, stepped)

    def day(low: int, high: int) -> st.SearchStrategy[str]:
        # "*/n" in a day field: cron(8) counts it as "*" for the either-day rule, croniter not
        return part(low, high).filter(lambda p: not p.startswith("*/"))

    return st.tuples(part(0, 59), part(0, 23), day(1, 28), part(1, 12), day(0, 6)).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(
    _expr(),
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)),
)
def test_next_after_agrees_with_croniter(text: str, start: datetime) -> None:
    start = start.replace(tzinfo=UTC)
    expected = croniter(text, start).get_next(datetime)
    assert parse_cron(text).next_after(start) == expected
