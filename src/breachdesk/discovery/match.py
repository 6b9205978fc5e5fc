"""A detected value in text: element, span, confidence and producer; never the value in repr."""

from __future__ import annotations

from dataclasses import dataclass, field

from breachdesk.core.element import DataElement


@dataclass(frozen=True, slots=True)
class TextMatch:
    """One detected value; ``start``/``end`` are character offsets into the scanned text."""

    element: DataElement
    start: int
    end: int
    confidence: float
    detector: str  # "credit_card@1"
    value: str = field(repr=False)
    country: str | None = None  # ISO 3166-1 alpha-2 for country-scoped elements

    @property
    def span(self) -> tuple[int, int]:
        """``(start, end)`` offsets."""
        return (self.start, self.end)


def clamp(confidence: float) -> float:
    """A confidence kept within [0.0, 1.0] and rounded for stable output."""
    return round(min(1.0, max(0.0, confidence)), 3)
