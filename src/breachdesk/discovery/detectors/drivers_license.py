"""Driver's licence numbers: licence cue followed by an alphanumeric number."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from breachdesk.core.element import DataElement
from breachdesk.discovery.context import cue_windows
from breachdesk.discovery.match import TextMatch

_CUED = re.compile(
    r"\b(?:driver'?s?|driving|drivers)[ ]licen[cs]e(?:[ ](?:number|no\.?|#|id))?"
    r"(?:[ ](?:is|was|:))?\W{0,3}(?P<value>(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{4,18}[A-Z0-9])\b"
    r"|\bDL[ ]?(?:#|no\.?|number)?:?[ ]?(?P<dl>(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{4,18}[A-Z0-9])\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DriversLicenseDetector:
    """Driver's licence numbers (formats vary by state and country, so a cue is required)."""

    name: str = "drivers_license"
    version: int = 1
    elements: tuple[DataElement, ...] = (DataElement.DRIVERS_LICENSE,)
    positive_samples: tuple[str, ...] = (
        "My driver's license number is F1234567",
        "DL# 123-456-789",
    )
    negative_samples: tuple[str, ...] = ("I lost my driver's license yesterday",)
    value_pattern: str | None = r"^[A-Za-z0-9-]{5,20}$"

    def find(self, text: str) -> Iterator[TextMatch]:
        """Numbers right after a driver's licence cue."""
        spans = cue_windows(text, ("licen", "dl"), 24, 48)
        for m in (m for s, e in spans for m in _CUED.finditer(text, s, e)):
            group = "value" if m.group("value") else "dl"
            start, end = m.span(group)
            yield TextMatch(
                DataElement.DRIVERS_LICENSE, start, end, 0.8, "drivers_license@1", m.group(group)
            )

    def classify(self, value: str) -> DataElement | None:
        """Never from the value alone: licence numbers have no universal shape."""
        return None
