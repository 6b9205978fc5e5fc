"""Detectors: one module per element family, all following the ``Detector`` protocol.

A detector finds candidates with a loose pattern, confirms them with a strict validator and adjusts
confidence with context words. An optional NER model plugs in as one more detector registered under
the ``breachdesk.detectors`` entry-point group; the text engine keeps its spans where they win.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol, runtime_checkable

from breachdesk.core.element import DataElement
from breachdesk.discovery.match import TextMatch


@runtime_checkable
class Detector(Protocol):
    """Finds one family of data elements in free text and recognises whole cell values."""

    @property
    def name(self) -> str:
        """Stable detector name, e.g. ``"credit_card"``."""

    @property
    def version(self) -> int:
        """Bumped whenever results can change."""

    @property
    def elements(self) -> tuple[DataElement, ...]:
        """Elements this detector can report."""

    @property
    def positive_samples(self) -> tuple[str, ...]:
        """Texts in which the detector must find something (used by the contract test)."""

    @property
    def negative_samples(self) -> tuple[str, ...]:
        """Texts in which the detector must find nothing."""

    @property
    def value_pattern(self) -> str | None:
        """Anchored regex (Rust syntax, for polars) a whole cell must match to be a candidate."""

    def find(self, text: str) -> Iterator[TextMatch]:
        """Every match in ``text``."""

    def classify(self, value: str) -> DataElement | None:
        """The element a whole, stripped cell value validates as, or None."""


def ref(detector: Detector) -> str:
    """``name@version`` of a detector, as recorded on every match."""
    return f"{detector.name}@{detector.version}"
