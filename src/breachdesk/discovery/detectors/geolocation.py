"""Precise coordinates: latitude, longitude pairs in decimal degrees."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from breachdesk.core.element import DataElement
from breachdesk.discovery.match import TextMatch

# starts at the first digit (fast to scan for); a leading minus sign is added back in find()
_PAIR = re.compile(r"\d(?<![\w.]\d)\d?\.\d{4,8}[ \t]*,[ \t]*-?\d{1,3}\.\d{4,8}(?![\d.])")
_WHOLE = re.compile(r"-?\d{1,2}\.\d{4,8}[ \t]*,[ \t]*-?\d{1,3}\.\d{4,8}")


def coordinates_ok(value: str) -> bool:
    """True for "lat, lon" with |lat| <= 90 and |lon| <= 180."""
    try:
        lat, lon = (float(p) for p in value.split(","))
    except ValueError:
        return False
    return -90 <= lat <= 90 and -180 <= lon <= 180


@dataclass(frozen=True, slots=True)
class GeolocationDetector:
    """Latitude/longitude pairs with at least four decimals (about 10 m)."""

    name: str = "geolocation"
    version: int = 1
    elements: tuple[DataElement, ...] = (DataElement.GEOLOCATION,)
    positive_samples: tuple[str, ...] = ("last seen at 48.85837, 2.294481", "-33.8688, 151.2093")
    negative_samples: tuple[str, ...] = ("total 12.5, 13.75", "version 1.2.3")
    value_pattern: str | None = r"^-?\d{1,2}\.\d{4,8}\s*,\s*-?\d{1,3}\.\d{4,8}$"

    def find(self, text: str) -> Iterator[TextMatch]:
        """Coordinate pairs in range."""
        for m in _PAIR.finditer(text):
            start = m.start()
            if start and text[start - 1] == "-":
                if start > 1 and (text[start - 2].isalnum() or text[start - 2] in "._"):
                    continue
                start -= 1
            value = text[start : m.end()]
            if coordinates_ok(value):
                yield TextMatch(
                    DataElement.GEOLOCATION, start, m.end(), 0.8, "geolocation@1", value
                )

    def classify(self, value: str) -> DataElement | None:
        """GEOLOCATION for a "lat, lon" value."""
        ok = _WHOLE.fullmatch(value) is not None and coordinates_ok(value)
        return DataElement.GEOLOCATION if ok else None
