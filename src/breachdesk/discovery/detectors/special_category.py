"""Special-category hints (GDPR Art. 9): nationality or ethnic origin, religion, politics."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from breachdesk.core.element import DataElement
from breachdesk.discovery import lexicon as lx
from breachdesk.discovery.context import case_variants
from breachdesk.discovery.lexmatch import whole_words
from breachdesk.discovery.match import TextMatch


@lru_cache(maxsize=1)
def _lexicon() -> frozenset[str]:
    return frozenset(case_variants(lx.NATIONALITIES | lx.RELIGIONS | lx.POLITICAL))


def _element(word: str) -> DataElement:
    w = word.lower()
    if w in lx.RELIGIONS:
        return DataElement.RELIGIOUS_BELIEF
    if w in lx.POLITICAL:
        return DataElement.POLITICAL_OPINION
    return DataElement.RACIAL_ETHNIC_ORIGIN


@dataclass(frozen=True, slots=True)
class SpecialCategoryDetector:
    """Words naming a nationality or ethnicity, a religion or a political affiliation."""

    name: str = "special_category"
    version: int = 1
    elements: tuple[DataElement, ...] = (
        DataElement.RACIAL_ETHNIC_ORIGIN,
        DataElement.RELIGIOUS_BELIEF,
        DataElement.POLITICAL_OPINION,
    )
    positive_samples: tuple[str, ...] = ("He is a practising Buddhist", "I am Croatian")
    negative_samples: tuple[str, ...] = ("The invoice is attached",)
    value_pattern: str | None = r"^[^\d@]{3,30}$"

    def find(self, text: str) -> Iterator[TextMatch]:
        """Lexicon words; political words only when capitalised (Green, Labour, Liberal)."""
        for start, end in whole_words(_lexicon(), text, "-"):
            word = text[start:end]
            element = _element(word)
            if element is DataElement.POLITICAL_OPINION and not word[0].isupper():
                continue
            yield TextMatch(element, start, end, 0.55, "special_category@1", word)

    def classify(self, value: str) -> DataElement | None:
        """The category of a one-word value from the lexicons."""
        w = value.strip().lower()
        if w in lx.NATIONALITIES or w in lx.RELIGIONS or w in lx.POLITICAL:
            return _element(w)
        return None
