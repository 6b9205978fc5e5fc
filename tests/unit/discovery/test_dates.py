"""Dates of birth written different ways normalise to one ISO form."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from breachdesk.core.element import DataElement
from breachdesk.discovery.dates import parse_date
from breachdesk.discovery.normalize import normalize


@pytest.mark.parametrize(
    "text",
    [
        "1985-06-19",
        "1985/06/19",
        "19850619",
        "06/19/1985",
        "19/06/1985",
        "19.06.1985",
        "June 19, 1985",
        "19 June 1985",
        "Jun 19th 1985",
        "19 juin 1985",
        "1985-06-19T00:00:00",
    ],
)
def test_common_spellings_agree(text: str) -> None:
    assert parse_date(text) == "1985-06-19"
    assert normalize(DataElement.DATE_OF_BIRTH, f"  {text} ") == "1985-06-19"


@pytest.mark.parametrize("text", ["", "not a date", "1985-13-40", "31/02/1990", "99/99/1999"])
def test_non_dates_are_none(text: str) -> None:
    assert parse_date(text) is None


def test_ambiguous_numeric_dates_read_month_first_unless_dotted() -> None:
    assert parse_date("03/04/1990") == "1990-03-04"
    assert parse_date("03.04.1990") == "1990-04-03"


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31)))
def test_iso_round_trip_and_idempotent(value: date) -> None:
    iso = value.isoformat()
    assert parse_date(iso) == iso
    assert parse_date(value.strftime("%d.%m.%Y")) == iso
    once = normalize(DataElement.DATE_OF_BIRTH, value.strftime("%B %d, %Y"))
    assert once == iso
    assert normalize(DataElement.DATE_OF_BIRTH, once) == once


def test_names_are_casefolded_and_accent_free() -> None:
    assert normalize(DataElement.PERSON_NAME, "  José  ÁLVAREZ ") == "jose alvarez"
