"""US Social Security numbers (area/group/serial rules) and ITINs (reported as tax ids)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from breachdesk.core.element import DataElement
from breachdesk.discovery.context import cue_pattern, cue_windows, near
from breachdesk.discovery.match import TextMatch, clamp
from breachdesk.discovery.validators import ssn_kind

# the look-behind sits after the first digit so that the scan can skip to digits quickly
_DASHED = re.compile(r"\d(?<![\d-]\d)\d{2}([- ])\d{2}\1\d{4}(?![\d-])")
_PLAIN = re.compile(r"\d(?<![\d-]\d)\d{8}(?![\d-])")
_CUES = cue_pattern(
    "ssn", "social security", "social sec", "ss#", "ss #", "itin", "taxpayer", "tin"
)
_CUE_WORDS = ("ssn", "social sec", "ss#", "ss #", "itin", "taxpayer", "tin")
_NEGATIVE = cue_pattern("phone", "tel", "call", "license", "licence", "order", "invoice", "routing")


@dataclass(frozen=True, slots=True)
class SsnDetector:
    """US SSN and ITIN."""

    name: str = "ssn"
    version: int = 1
    elements: tuple[DataElement, ...] = (DataElement.SSN, DataElement.TAX_ID)
    positive_samples: tuple[str, ...] = ("My SSN is 123-45-6780", "ssn: 078 05 1121")
    negative_samples: tuple[str, ...] = ("id 666-12-3456", "ref 000-12-3456", "123-00-4567")
    value_pattern: str | None = r"^\d{3}[- ]?\d{2}[- ]?\d{4}$"

    def find(self, text: str) -> Iterator[TextMatch]:
        """Dashed numbers always; plain nine digits only with an SSN cue nearby."""
        windows = [(0, len(text))]
        plain = cue_windows(text, _CUE_WORDS, 48, 48)
        for pattern, base, spans in ((_DASHED, 0.75, windows), (_PLAIN, 0.4, plain)):
            for m in (m for s, e in spans for m in pattern.finditer(text, s, e)):
                kind = ssn_kind(m.group())
                if kind is None:
                    continue
                cued = near(text, m.start(), m.end(), _CUES)
                if not cued and (pattern is _PLAIN or near(text, m.start(), m.end(), _NEGATIVE)):
                    continue
                element = DataElement.SSN if kind == "ssn" else DataElement.TAX_ID
                confidence = base + (0.2 if cued else 0.0)
                yield TextMatch(element, m.start(), m.end(), clamp(confidence), "ssn@1", m.group())

    def classify(self, value: str) -> DataElement | None:
        """SSN or TAX_ID (ITIN) for a whole value."""
        if not (_DASHED.fullmatch(value) or _PLAIN.fullmatch(value)):
            return None
        kind = ssn_kind(value)
        if kind is None:
            return None
        return DataElement.SSN if kind == "ssn" else DataElement.TAX_ID
