"""Device identifiers: MAC addresses, and IMEIs (15 digits, Luhn) next to a cue."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from breachdesk.core.element import DataElement
from breachdesk.discovery.context import cue_windows, literal_starts, matches_at
from breachdesk.discovery.match import TextMatch
from breachdesk.discovery.validators import luhn_ok

_MAC = re.compile(
    r"[0-9A-Fa-f]{2}(?<![\w:-][0-9A-Fa-f]{2})(?:([:-])[0-9A-Fa-f]{2})(?:\1[0-9A-Fa-f]{2}){4}(?![\w:-])"
)
_IMEI = re.compile(r"\d(?<![\d-]\d)\d{14}(?!\d)")


def mac_starts(text: str) -> list[int]:
    """Where a MAC address can start: two characters before a colon or dash."""
    return sorted({i - 2 for i in literal_starts(text, (":", "-")) if i >= 2})


@dataclass(frozen=True, slots=True)
class DeviceIdDetector:
    """Hardware identifiers of a person's device."""

    name: str = "device_id"
    version: int = 1
    elements: tuple[DataElement, ...] = (DataElement.DEVICE_ID,)
    positive_samples: tuple[str, ...] = (
        "wifi client 00:1A:2B:3C:4D:5E joined",
        "IMEI 490154203237518",
    )
    negative_samples: tuple[str, ...] = ("at 12:45:18 today", "order 490154203237518")
    value_pattern: str | None = r"^(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$"

    def find(self, text: str) -> Iterator[TextMatch]:
        """MAC addresses anywhere; IMEIs only after the word IMEI."""
        if ":" in text or "-" in text:
            for m in matches_at(_MAC, text, mac_starts(text)):
                yield TextMatch(
                    DataElement.DEVICE_ID, m.start(), m.end(), 0.85, "device_id@1", m.group()
                )
        for start, end in cue_windows(text, ("imei",), 0, 32):
            for m in _IMEI.finditer(text, start, end):
                if luhn_ok(m.group()):
                    yield TextMatch(
                        DataElement.DEVICE_ID, m.start(), m.end(), 0.85, "device_id@1", m.group()
                    )

    def classify(self, value: str) -> DataElement | None:
        """DEVICE_ID for a MAC address."""
        return DataElement.DEVICE_ID if _MAC.fullmatch(value) else None
