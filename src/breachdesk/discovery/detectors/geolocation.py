"""Precise coordinates: latitude, longitude pairs in decimal degrees."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from breachdesk.core.element import DataElement
from breachdesk.discovery.match import TextMatch

_PAIR = re.compile(
    r"-?\d(?<![\w.]\d)\d?\.\d{4,8}[ \t]*,[ \t]*-?\d{1,3}\.\d{4,8}(?![\d.])"
    r"|(?<![\w.])-\d{1,2}\.\d{4,8}[ \t]*,[ \t]*-?\d{1,3}\.\d{4,8}(?![\d.])"
)


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
            if coordinates_ok(m.group()):
                yield TextMatch(
                    DataElement.GEOLOCATION, m.start(), m.end(), 0.8, "geolocation@1", m.group()
                )

    def classify(self, value: str) -> DataElement | None:
        """GEOLOCATION for a "lat, lon" value."""
        return DataElement.GEOLOCATION if _PAIR.fullmatch(value) and coordinates_ok(value) else None
