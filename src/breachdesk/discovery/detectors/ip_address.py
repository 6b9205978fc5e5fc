"""IPv4 and IPv6 addresses, validated by the standard library."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass

from breachdesk.core.element import DataElement
from breachdesk.discovery.context import literal_starts, matches_at
from breachdesk.discovery.match import TextMatch

_V4 = re.compile(r"\d(?<![\w.]\d)\d{0,2}\.(?:\d{1,3}\.){2}\d{1,3}(?!\w|\.\d)")
_V6 = re.compile(r"(?:[0-9A-Fa-f]{1,4}|(?=::)):[0-9A-Fa-f:]{2,38}(?![\w:])")


def v6_starts(text: str) -> list[int]:
    """Where an IPv6 candidate can start: at most four characters before a colon."""
    colons = literal_starts(text, (":",))
    return sorted({i for c in colons for i in range(max(0, c - 4), c + 1)})


def ip_ok(value: str) -> bool:
    """True for a syntactically valid IPv4 or IPv6 address."""
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class IpAddressDetector:
    """IP addresses (every address is personal data when it can be tied to a subscriber)."""

    name: str = "ip_address"
    version: int = 1
    elements: tuple[DataElement, ...] = (DataElement.IP_ADDRESS,)
    positive_samples: tuple[str, ...] = (
        "login from 203.0.113.7 at noon",
        "peer 2001:db8::8a2e:370:7334 connected",
    )
    negative_samples: tuple[str, ...] = ("version 1.2.3.4.5", "999.1.1.1", "at 12:45:18")
    value_pattern: str | None = r"^[0-9A-Fa-f:.]{3,45}$"

    def find(self, text: str) -> Iterator[TextMatch]:
        """Every valid address."""
        if "." in text:
            for m in _V4.finditer(text):
                if ip_ok(m.group()):
                    yield TextMatch(
                        DataElement.IP_ADDRESS, m.start(), m.end(), 0.9, "ip_address@1", m.group()
                    )
        if "::" in text or text.count(":") >= 5:
            for m in matches_at(_V6, text, v6_starts(text)):
                value = m.group()
                s = m.start()
                bounded = s == 0 or not (text[s - 1].isalnum() or text[s - 1] in "_:")
                if bounded and value.count(":") >= 2 and len(value) >= 6 and ip_ok(value):
                    yield TextMatch(
                        DataElement.IP_ADDRESS, m.start(), m.end(), 0.85, "ip_address@1", value
                    )

    def classify(self, value: str) -> DataElement | None:
        """IP_ADDRESS for a whole-value address."""
        if (value.count(".") == 3 or value.count(":") >= 2) and ip_ok(value):
            return DataElement.IP_ADDRESS
        return None
