"""Places: countries, major cities and US states by lexicon, other places by context cues."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from breachdesk.core.element import DataElement
from breachdesk.discovery import lexicon as lx
from breachdesk.discovery.context import case_variants, trie_pattern
from breachdesk.discovery.match import TextMatch

_UP = "A-ZÀ-ÖØ-ÞĀ-ɏΆ-ΏΑ-ΩЀ-Я"
_TOK = rf"[{_UP}][^\W\d_]*(?:['\u2019\-][^\W\d_]+)*"
_CUED = re.compile(
    r"\b(?:from|in|to|at|near|visit(?:ing)?|moved to|live in|living in|lives in|born in|"
    r"grew up in|city of|town of|travel(?:l)?ing to|based in|located in|flew to|trip to)"
    rf"[ ]+(?P<place>{_TOK}(?:[ ]{_TOK}){{0,2}})(?![\w'\u2019\-])"
)


@lru_cache(maxsize=1)
def _lexicon_pattern() -> re.Pattern[str]:
    names = lx.COUNTRIES | lx.CITIES | {s for s in lx.US_STATES if len(s) > 2}
    body = trie_pattern(case_variants(names))  # case variants: faster than IGNORECASE
    return re.compile(rf"(?<![\w'\u2019\-])(?:{body})(?![\w'\u2019\-])")


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
        for m in _lexicon_pattern().finditer(text):
            if m.group()[0].isupper():
                yield TextMatch(
                    DataElement.LOCATION, m.start(), m.end(), 0.6, "location@1", m.group()
                )
        for m in _CUED.finditer(text):
            place = m.group("place")
            if place.isupper() and len(place) <= 4:
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
