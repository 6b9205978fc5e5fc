"""Street addresses in prose and address blocks: house number + street words, then place lines."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from breachdesk.core.element import DataElement
from breachdesk.discovery import lexicon as lx
from breachdesk.discovery.context import literal_starts, matches_at
from breachdesk.discovery.match import TextMatch

_WORD = r"[^\W\d_][\w'\u2019\-]*\.?"
_STREET = re.compile(
    rf"\d(?<![\w.,/:$-]\d)\d{{0,5}}[A-Za-z]?(?:[-/]\d{{1,4}})?(?:[ ]\d{{1,4}})?[ ]+"
    rf"(?:{_WORD}[ ]+){{0,5}}{_WORD}"
    r"(?:[ ]+\d{1,5}[A-Za-z]?\b(?:[ ](?i:st|rd|ave|street|road|blvd|dr|ln|lane)\b\.?)?)?"
    r"(?:,?[ ]*(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|Room|No|#)\.?[ ]*\d+\w*)?"
)
_MILITARY = re.compile(
    r"(?:(?:USNS|USNV|USS|USCGC)[ ][A-Z][\w]+|(?:PSC|Unit)[ ]\d{4},?[ ]Box[ ]\d{4})"
    r"\s*,?\s*(?:APO|FPO|DPO)[ ](?:AA|AE|AP)[ ]\d{5}"
)
_MILITARY_STARTS = (
    "USNS",
    "USNV",
    "USS",
    "USCGC",
    "PSC",
    "Unit",
)  # every _MILITARY match starts so
_UNIT = re.compile(
    r"(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|Room)\.?[ ]*\d+\w*", re.IGNORECASE
)
_SEGMENT = re.compile(r"(?:\.?[ \t]*(?:[,\n][ \t>?]*){1,3}(?:,[ \t]*)?|[ ]+)([^\n,;:!?()]{1,48})")
_TRIM_KEEP = lx.STREET_SUFFIXES | lx.UNIT_WORDS
_POSTCODE = re.compile(r"^(?:[A-Z]{1,2}\d[A-Z\d]?[ ]?\d[A-Z]{2}|\d{3,5}(?:[- ]\d{2,4})?)$")


def _street_score(words: list[str], has_number_after: bool, has_unit: bool) -> float:
    lowered = [w.rstrip(".").lower() for w in words]
    if any(w in lx.STREET_SUFFIXES for w in lowered) or any(
        w.endswith(lx.STREET_ENDINGS) and len(w) > 5 for w in lowered
    ):
        return 0.85
    if has_unit:
        return 0.8
    return 0.5 if has_number_after else 0.0


def _place_word(word: str, lower_ok: bool) -> bool:
    w = word.strip("()").rstrip(".")
    low = w.lower()
    if len(w) == 2 and w.isupper() and w.isalpha():
        return True  # a region code (CO, NY, ON), even when it spells a common word
    if low in lx.NOT_NAMES and low not in _TRIM_KEEP:
        return False  # "Then", "Please", "I": prose, not a place
    if not w or w[0].isupper() or w.isdigit() or w in ("nan", "???", "-"):
        return True
    if low in lx.UNIT_WORDS or low in lx.NAME_PARTICLES:
        return True
    if lower_ok and w.isalpha() and len(w) <= 20 and low not in lx.NOT_NAMES:
        return True  # an address typed all in lower case
    return len(w) <= 8 and w.isalnum() and any(c.isdigit() for c in w)


@lru_cache(maxsize=1 << 16)
def _place_prefix(segment: str, lower_ok: bool) -> str:
    """The longest leading run of place-like words (city, region, country, postcode)."""
    words = segment.split()
    taken = 0
    while taken < min(len(words), 6) and _place_word(words[taken], lower_ok):
        taken += 1
    if taken == 0:
        return ""
    digits = sum(c.isdigit() for w in words[:taken] for c in w)
    groups = sum(any(c.isdigit() for c in w) for w in words[:taken])
    if digits > 9 or groups > 2:
        return ""  # a phone or account number, not a postcode
    last = words[taken - 1]
    return segment[: segment.index(last, len(" ".join(words[: taken - 1]))) + len(last)]


def _extend(text: str, end: int, lower_ok: bool) -> tuple[int, int]:
    """New end after following place/postcode segments, and how many were added."""
    added = 0
    while added < 6:
        m = _SEGMENT.match(text, end)
        if m is None:
            break
        segment = m.group(1)
        stripped = segment.lstrip()
        prefix = _place_prefix(stripped, lower_ok)
        if not prefix:
            break
        prefix = prefix.rstrip(".")
        end = m.start(1) + (len(segment) - len(stripped)) + len(prefix)
        added += 1
        if len(prefix) < len(stripped.rstrip()):
            break
    return end, added


@lru_cache(maxsize=1 << 16)
def _street_line(raw: str) -> tuple[int, float, bool] | None:
    """``(length kept, score, typed in lower case)`` of a street-line candidate, or None."""
    words = raw.split()[1:]
    # trim trailing lower-case prose ("... Street with my wife")
    while words and words[-1][0].islower() and words[-1].rstrip(".").lower() not in _TRIM_KEEP:
        words.pop()
    for i, word in enumerate(words[:-1]):  # "12 Baker Street. Then I..." ends at the dot
        if word.endswith(".") and words[i + 1].rstrip(".").lower() in lx.NOT_NAMES:
            words = words[: i + 1]
            break
    if not words:
        return None
    cut = raw.rfind(words[-1]) + len(words[-1])
    name_words = [w for w in words if not w[0].isdigit()]
    has_unit = _UNIT.search(raw[:cut]) is not None
    has_number_after = len(words) >= 2 and words[-1][0].isdigit()
    score = _street_score(name_words, has_number_after, has_unit)
    if not name_words:
        return None
    first = name_words[0]
    lower = not first[0].isupper()
    if lower and score < 0.8 and first.rstrip(".").lower() not in lx.STREET_SUFFIXES:
        return None
    return cut, score, lower


@dataclass(frozen=True, slots=True)
class PostalAddressDetector:
    """Postal addresses: street line plus the city, region, country and postcode that follow."""

    name: str = "postal_address"
    version: int = 1
    elements: tuple[DataElement, ...] = (DataElement.POSTAL_ADDRESS,)
    positive_samples: tuple[str, ...] = (
        "Send it to 221B Baker Street, London NW1 6XE",
        "Ship to 742 Evergreen Terrace, Springfield, IL 62704 please",
        "Adresse: 12 rue de la Paix, 75002 Paris, France",
    )
    negative_samples: tuple[str, ...] = (
        "We sold 300 units in the first week",
        "In 2014 the company moved",
    )
    value_pattern: str | None = r"^\d{1,6}\w?\s+\S.{3,120}$"

    def find(self, text: str) -> Iterator[TextMatch]:
        """Street lines with a suffix, a unit, or a number followed by place lines."""
        for m in matches_at(_MILITARY, text, literal_starts(text, _MILITARY_STARTS)):
            yield TextMatch(
                DataElement.POSTAL_ADDRESS, m.start(), m.end(), 0.85, "postal_address@1", m.group()
            )
        if not any(c.isdigit() for c in text):
            return
        for m in _STREET.finditer(text):
            match = self._street(text, m)
            if match is not None:
                yield match

    def _street(self, text: str, m: re.Match[str]) -> TextMatch | None:
        line = _street_line(m.group())
        if line is None:
            return None
        cut, score, lower = line
        end, added = _extend(text, m.start() + cut, lower)
        if added:
            score = max(score, 0.65) + 0.05
        if added >= 2:
            score = max(score, 0.8) + 0.12  # a multi-line address block
        if score < 0.5:
            return None
        return TextMatch(
            DataElement.POSTAL_ADDRESS, m.start(), end, round(min(score, 0.95), 3),
            "postal_address@1", text[m.start() : end],
        )  # fmt: skip

    def classify(self, value: str) -> DataElement | None:
        """POSTAL_ADDRESS for a value that is a street line."""
        m = _STREET.match(value.strip())
        if m is None:
            return None
        match = self._street(value.strip(), m)
        return DataElement.POSTAL_ADDRESS if match is not None and match.confidence >= 0.8 else None
