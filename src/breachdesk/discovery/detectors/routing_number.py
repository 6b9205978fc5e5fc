"""US ABA routing transit numbers: nine digits with the 3-7-1 checksum, next to a bank cue."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from breachdesk.core.element import DataElement
from breachdesk.discovery.context import cue_pattern, cue_windows, near
from breachdesk.discovery.match import TextMatch
from breachdesk.discovery.validators import aba_ok

_CANDIDATE = re.compile(r"\d(?<![\d-]\d)\d{8}(?![\d-])")
_CUES = cue_pattern("routing", "aba", "rtn", "transit", "bank", "wire", "ach")


@dataclass(frozen=True, slots=True)
class RoutingNumberDetector:
    """ABA routing numbers."""

    name: str = "routing_number"
    version: int = 1
    elements: tuple[DataElement, ...] = (DataElement.ROUTING_NUMBER,)
    positive_samples: tuple[str, ...] = ("ABA routing number 021000021",)
    negative_samples: tuple[str, ...] = ("routing number 021000022", "order 021000021")
    value_pattern: str | None = r"^\d{9}$"

    def find(self, text: str) -> Iterator[TextMatch]:
        """Checksum-valid nine-digit numbers near a banking cue."""
        spans = cue_windows(
            text, ("routing", "aba", "rtn", "transit", "bank", "wire", "ach"), 48, 24
        )
        for m in (m for s, e in spans for m in _CANDIDATE.finditer(text, s, e)):
            if aba_ok(m.group()) and near(text, m.start(), m.end(), _CUES):
                yield TextMatch(
                    DataElement.ROUTING_NUMBER, m.start(), m.end(), 0.9, "routing_number@1",
                    m.group(),
                )  # fmt: skip

    def classify(self, value: str) -> DataElement | None:
        """ROUTING_NUMBER for a checksum-valid value (the header must confirm it)."""
        return DataElement.ROUTING_NUMBER if aba_ok(value) else None
