"""IBANs: country, per-country length and mod-97 check; spaced groups of four allowed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from breachdesk.core.element import DataElement
from breachdesk.discovery.context import matches_at
from breachdesk.discovery.match import TextMatch
from breachdesk.discovery.validators import iban_compact, iban_ok

_CANDIDATE = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ -]?[A-Za-z0-9]){11,30}(?![A-Za-z0-9])"
)


# The check digits of a candidate, found by a scan that skips ahead to digits (letters are common).
_CHECK_DIGITS = re.compile(r"\d(?<=(?<![A-Za-z0-9])[A-Za-z]{2}\d)\d")


def iban_starts(text: str) -> list[int]:
    """Where an IBAN candidate can start: two letters before two check digits."""
    return [m.start() - 2 for m in _CHECK_DIGITS.finditer(text)]


@dataclass(frozen=True, slots=True)
class IbanDetector:
    """International bank account numbers."""

    name: str = "iban"
    version: int = 1
    elements: tuple[DataElement, ...] = (DataElement.IBAN,)
    positive_samples: tuple[str, ...] = (
        "Pay to GB82 WEST 1234 5698 7654 32 today",
        "IBAN DE89370400440532013000",
        "my iban is gb82west12345698765432",
    )
    negative_samples: tuple[str, ...] = ("GB82 WEST 1234 5698 7654 33", "AB12 3456 7890 1234")
    value_pattern: str | None = r"^[A-Za-z]{2}\d{2}[A-Za-z0-9 -]{11,40}$"

    def find(self, text: str) -> Iterator[TextMatch]:
        """Every valid IBAN; a trailing group that breaks the check is dropped and retried."""
        for m in matches_at(_CANDIDATE, text, iban_starts(text)):
            value = m.group()
            end = m.end()
            while value and not iban_ok(value):
                cut = max(value.rfind(" "), value.rfind("-"))
                if cut < 15:
                    value = ""
                    break
                value = value[:cut]
            if value:
                end = m.start() + len(value)
                yield TextMatch(DataElement.IBAN, m.start(), end, 0.97, "iban@1", value)

    def classify(self, value: str) -> DataElement | None:
        """IBAN for a whole-value IBAN."""
        compact = iban_compact(value)
        return DataElement.IBAN if len(compact) <= 34 and iban_ok(compact) else None
