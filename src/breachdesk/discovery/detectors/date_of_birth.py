"""Dates of birth: a date next to a birth cue ("born", "DOB", "date of birth", "geb.")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from breachdesk.core.element import DataElement
from breachdesk.discovery.context import before, cue_pattern, cue_windows
from breachdesk.discovery.match import TextMatch

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = re.compile(
    r"(?<![\w/.-])(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?[ ]{_MONTHS}[ ,]+\d{{4}}|"
    rf"{_MONTHS}[ ]\d{{1,2}}(?:st|nd|rd|th)?,?[ ]\d{{4}})"
    r"(?![\w/-])",
    re.IGNORECASE,
)
_CUES = cue_pattern(
    "born", "birth", "birthday", "dob", "d.o.b", "b.", "date of birth", "birthdate", "geb",
    "geboren", "geburtsdatum", "né", "née", "nacimiento", "fecha de nacimiento", "nascita",
)  # fmt: skip
_CUE_WORDS = ("born", "birth", "dob", "d.o.b", "b.", "geb", "né", "nacimiento", "nascita")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def plausible_birth_date(value: str) -> bool:
    """True for an ISO or day/month/year date between 1900 and 2025."""
    v = value.strip()
    if m := _ISO.fullmatch(v):
        y, a, b = (int(g) for g in m.groups())
        candidates = [(y, a, b)]
    elif m := _NUMERIC.fullmatch(v):
        a, b, y = (int(g) for g in m.groups())
        candidates = [(y, a, b), (y, b, a)]
    else:
        return False
    for year, month, day in candidates:
        try:
            date(year, month, day)
        except ValueError:
            continue
        if 1900 <= year <= 2025:
            return True
    return False


@dataclass(frozen=True, slots=True)
class DateOfBirthDetector:
    """Dates of birth; a date without a birth cue is not reported (it is usually an event date)."""

    name: str = "date_of_birth"
    version: int = 1
    elements: tuple[DataElement, ...] = (DataElement.DATE_OF_BIRTH,)
    positive_samples: tuple[str, ...] = ("DOB: 1984-03-12", "I was born on March 3, 1990")
    negative_samples: tuple[str, ...] = ("Meeting on 2024-03-12", "born to run")
    value_pattern: str | None = r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}$"

    def find(self, text: str) -> Iterator[TextMatch]:
        """Dates shortly after a birth cue."""
        spans = cue_windows(text, _CUE_WORDS, 0, 48)
        for m in (m for s, e in spans for m in _DATE.finditer(text, s, e)):
            if before(text, m.start(), _CUES, window=40):
                yield TextMatch(
                    DataElement.DATE_OF_BIRTH, m.start(), m.end(), 0.8, "date_of_birth@1",
                    m.group(),
                )  # fmt: skip

    def classify(self, value: str) -> DataElement | None:
        """DATE_OF_BIRTH for a plausible birth date (the column header must confirm it)."""
        return DataElement.DATE_OF_BIRTH if plausible_birth_date(value) else None
