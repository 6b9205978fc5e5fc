"""Time parsing: aware UTC in, aware UTC out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from breachdesk.core.clock import iso, parse_utc
from breachdesk.core.errors import InvalidInputError


def test_z_and_offsets_become_utc() -> None:
    assert parse_utc("2026-11-20T09:30:00Z", field="f") == datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    assert parse_utc("2026-11-20T10:30:00+01:00", field="f").hour == 9


@pytest.mark.parametrize("text", ["2026-11-20T09:30:00", "yesterday", "", "2026-13-01T00:00Z"])
def test_bad_times_name_the_field(text: str) -> None:
    with pytest.raises(InvalidInputError, match="--discovered"):
        parse_utc(text, field="--discovered")


@given(
    st.datetimes(
        timezones=st.sampled_from(
            [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8))]
        )
    )
)
def test_iso_round_trips(value: datetime) -> None:
    assert parse_utc(iso(value), field="f") == value
