"""Postal codes next to a cue word (ZIP, postcode, PLZ, CP...)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from breachdesk.core.element import DataElement
from breachdesk.discovery.context import cue_windows
from breachdesk.discovery.match import TextMatch

_CUED = re.compile(
    r"\b(?:zip(?:[ -]?code)?|post(?:al)?[ -]?code|postcode|plz|postleitzahl|code postal|"
    r"cp|c\.p\.|cap|pin ?code|eircode)\b\W{0,3}"
    r"(?P<code>[A-Z]{1,2}\d[A-Z\d]?[ ]?\d[A-Z]{2}|[A-Z]\d[A-Z][ ]?\d[A-Z]\d|\d{3,5}(?:-\d{3,4})?)"
    r"(?![\w-])",
    re.IGNORECASE,
)
_CUE_WORDS = ("zip", "post", "plz", "postleitzahl", "cp", "c.p.", "cap", "pin", "eircode")
_UK = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?[ ]?\d[A-Z]{2}")
_CA = re.compile(r"[A-Z]\d[A-Z][ ]?\d[A-Z]\d")
_US = re.compile(r"\d{5}(?:-\d{4})?")


@dataclass(frozen=True, slots=True)
class PostalCodeDetector:
    """Postal codes; bare numbers are too ambiguous, so text matches need a cue word."""

    name: str = "postal_code"
    version: int = 1
    elements: tuple[DataElement, ...] = (DataElement.POSTAL_CODE,)
    positive_samples: tuple[str, ...] = ("ZIP: 48750", "Postcode SW1A 1AA")
    negative_samples: tuple[str, ...] = ("I bought 48750 shares", "code 12")
    value_pattern: str | None = r"^[A-Za-z0-9][A-Za-z0-9 -]{2,9}$"

    def find(self, text: str) -> Iterator[TextMatch]:
        """Codes that follow a postal-code cue."""
        spans = cue_windows(text, _CUE_WORDS, 0, 24)
        for m in (m for s, e in spans for m in _CUED.finditer(text, s, e)):
            start, end = m.span("code")
            yield TextMatch(
                DataElement.POSTAL_CODE, start, end, 0.8, "postal_code@1", m.group("code")
            )

    def classify(self, value: str) -> DataElement | None:
        """POSTAL_CODE for UK, Canadian or US ZIP shapes (numeric codes need a header too)."""
        v = value.strip().upper()
        if _UK.fullmatch(v) or _CA.fullmatch(v) or _US.fullmatch(v):
            return DataElement.POSTAL_CODE
        return None
