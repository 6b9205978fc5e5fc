"""Parsing written dates (of birth) into ISO form, so ``06/19/1985`` and ``1985-06-19`` match."""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    name: n
    for n, names in enumerate(
        (
            ("jan", "january", "janvier", "enero", "januar", "gennaio"),
            ("feb", "february", "fevrier", "février", "febrero", "februar", "febbraio"),
            ("mar", "march", "mars", "marzo", "märz", "maerz"),
            ("apr", "april", "avril", "abril", "aprile"),
            ("may", "mai", "mayo", "maggio"),
            ("jun", "june", "juin", "junio", "juni", "giugno"),
            ("jul", "july", "juillet", "julio", "juli", "luglio"),
            ("aug", "august", "aout", "août", "agosto"),
            ("sep", "sept", "september", "septembre", "septiembre", "settembre"),
            ("oct", "october", "octobre", "octubre", "oktober", "ottobre"),
            ("nov", "november", "novembre", "noviembre"),
            ("dec", "december", "decembre", "décembre", "diciembre", "dezember", "dicembre"),
        ),
        start=1,
    )
    for name in names
}

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[t ].*)?$")
_NUMERIC = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_WORDS = re.compile(
    r"^(?:(\d{1,2})\.?\s+([^\W\d_]+)\.?,?\s+(\d{4})"
    r"|([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}))$"
)


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date(text: str) -> str | None:
    """ISO ``YYYY-MM-DD`` of a written date, or None when it is not one.

    Numeric day/month orders are read as the writer most likely meant: a dot separator or a
    first number above 12 means day first (European); otherwise month first (US).
    """
    value = text.strip().lower()
    if m := _ISO.match(value) or _COMPACT.match(value):
        return _valid(int(m[1]), int(m[2]), int(m[3]))
    if m := _NUMERIC.match(value):
        first, sep, second, year = int(m[1]), m[2], int(m[3]), int(m[4])
        day_first = sep == "." or first > 12
        return _valid(year, second, first) if day_first else _valid(year, first, second)
    if m := _WORDS.match(value):
        if m[1]:
            month = _MONTHS.get(m[2])
            return _valid(int(m[3]), month, int(m[1])) if month else None
        month = _MONTHS.get(m[4])
        return _valid(int(m[6]), month, int(m[5])) if month else None
    return None
