"""Card expiry dates and security codes, only right after their labels (they look like anything)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from breachdesk.core.element import DataElement
from breachdesk.discovery.context import cue_windows
from breachdesk.discovery.match import TextMatch

_EXPIRY = re.compile(
    r"\b(?:exp(?:iry|iration|ires)?(?:\s+date)?|valid\s+(?:thru|through|until))\.?[ \t]*[:=]?[ \t]*"
    r"(?P<value>(?:0[1-9]|1[0-2])\s?[/-]\s?(?:\d{2}|20\d{2}))(?![\d/])",
    re.IGNORECASE,
)
_CVV = re.compile(
    r"\b(?:cvv2?|cvc2?|csc|cid|security\s+code|card\s+code)\b[ \t]*(?:is|[:=#])?[ \t]*"
    r"(?P<value>\d{3,4})(?!\d)",
    re.IGNORECASE,
)


_EXP, _CSC = DataElement.CARD_EXPIRY, DataElement.CARD_SECURITY_CODE
_CUES = (
    ("exp", _EXPIRY, _EXP), ("valid", _EXPIRY, _EXP), ("cv", _CVV, _CSC), ("csc", _CVV, _CSC),
    ("cid", _CVV, _CSC), ("code", _CVV, _CSC),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class CardDetailDetector:
    """Card expiry dates and CVV/CVC codes."""

    name: str = "card_detail"
    version: int = 1
    elements: tuple[DataElement, ...] = (DataElement.CARD_EXPIRY, DataElement.CARD_SECURITY_CODE)
    positive_samples: tuple[str, ...] = ("exp 09/27, CVV 123", "Expiry date: 11/2028")
    negative_samples: tuple[str, ...] = ("the code 123 is wrong", "on 09/27 we met")
    value_pattern: str | None = None

    def find(self, text: str) -> Iterator[TextMatch]:
        """Values right after an expiry or security-code label."""
        seen: set[int] = set()
        for word, pattern, element in _CUES:
            for start, end in cue_windows(text, (word,), 16, 40):
                for m in pattern.finditer(text, start, end):
                    if m.start("value") in seen:
                        continue
                    seen.add(m.start("value"))
                    yield TextMatch(
                        element, m.start("value"), m.end("value"), 0.8, "card_detail@1",
                        m.group("value"),
                    )  # fmt: skip

    def classify(self, value: str) -> DataElement | None:
        """Never from a value alone (a header must say what the column is)."""
        return None
