"""Places: countries, major cities and US states by lexicon, other places by context cues."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from breachdesk.core.element import DataElement
from breachdesk.discovery import lexicon as lx
from breachdesk.discovery.context import case_variants
from breachdesk.discovery.lexmatch import whole_words
from breachdesk.discovery.match import TextMatch

_UP = "A-ZÀ-ÖØ-ÞĀ-ɏΆ-ΏΑ-ΩЀ-Я"
_TOK = rf"[{_UP}][^\W\d_]*(?:['\u2019\-][^\W\d_]+)*"
_CUED = re.compile(
    r"\b(?:from|in|to|at|near|visit(?:ing)?|moved to|live in|living in|lives in|born in|"
    r"grew up in|city of|town of|travel(?:l)?ing to|based in|located in|flew to|trip to|"
    r"city|town|village|[Ww]here:|originally from)"
    rf"[ ]+(?P<place>{_TOK}(?:[ ]{_TOK}){{0,2}})(?![\w'\u2019\-])"
)


@lru_cache(maxsize=1)
def _lexicon() -> frozenset[str]:
    names = lx.COUNTRIES | lx.CITIES | {s for s in lx.US_STATES if len(s) > 2}
    return frozenset(case_variants(names))  # case variants: lower, Title, UPPER, first letter up


_WORD_EXTRA = "'\u2019-"  # with \w, the characters a place name must not touch
_LOWER_CUE = re.compile(r"\b(?:from|in|to|at|near|visit|of)[ ]$")
_LINE_PLACE = re.compile(rf"{_TOK}(?:[ ]{_TOK}){{0,2}}")


def _line_above(text: str, start: int) -> Iterator[TextMatch]:
    """In an address block, the line just above a country line is a town ("EBEN\nAustria")."""
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip(" \t>?") or line_start < 2:
        return  # the country does not open its line
    above_end = line_start - 1
    above_start = text.rfind("\n", 0, above_end) + 1
    line = text[above_start:above_end]
    stripped = line.strip(" \t>?,")
    m = _LINE_PLACE.fullmatch(stripped)
    if m is None or any(w.lower() in lx.NOT_NAMES for w in stripped.split()):
        return
    begin = above_start + line.index(stripped)
    yield TextMatch(
        DataElement.LOCATION, begin, begin + len(stripped), 0.55, "location@1", stripped
    )


@dataclass(frozen=True, slots=True)
class LocationDetector:
    """Towns, regions and countries (coarse location)."""

    name: str = "location"
    version: int = 1
    elements: tuple[DataElement, ...] = (DataElement.LOCATION,)
    positive_samples: tuple[str, ...] = ("I moved to Sweden last year", "She grew up in Kenosha")
    negative_samples: tuple[str, ...] = ("the number is in the spreadsheet", "sweden is fine")
    value_pattern: str | None = r"^[^\d@]{2,60}$"

    def find(self, text: str) -> Iterator[TextMatch]:
        """Capitalised lexicon places, and capitalised words after a place cue."""
        for start, end in whole_words(_lexicon(), text, _WORD_EXTRA):
            place = text[start:end]
            if place[0].isupper() or _LOWER_CUE.search(text, max(0, start - 12), start):
                yield TextMatch(DataElement.LOCATION, start, end, 0.6, "location@1", place)
                yield from _line_above(text, start)
        for m in _CUED.finditer(text):
            place = m.group("place")
            if place.isupper() and len(place) <= 3:
                continue  # an acronym (ATM, HQ), not a place name
            words = [w.lower() for w in place.split()]
            if any(w in lx.NOT_NAMES or w in lx.HONORIFICS or w in lx.GIVEN_NAMES for w in words):
                continue
            start, end = m.span("place")
            yield TextMatch(DataElement.LOCATION, start, end, 0.5, "location@1", place)

    def classify(self, value: str) -> DataElement | None:
        """LOCATION for a known country, major city or US state."""
        v = value.strip().lower()
        if v in lx.COUNTRIES or v in lx.CITIES or v in lx.US_STATES:
            return DataElement.LOCATION
        return None
