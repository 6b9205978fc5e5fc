"""E-mail addresses: RFC 5322 dot-atom local part at a domain with a letter TLD."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from breachdesk.core.element import DataElement
from breachdesk.discovery.match import TextMatch

_CANDIDATE = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])"
)
_WHOLE = re.compile(_CANDIDATE.pattern.removeprefix(r"(?<![\w.+-])").removesuffix(r"(?![\w-])"))


@dataclass(frozen=True, slots=True)
class EmailDetector:
    """E-mail addresses in text and cells."""

    name: str = "email"
    version: int = 1
    elements: tuple[DataElement, ...] = (DataElement.EMAIL,)
    positive_samples: tuple[str, ...] = (
        "Contact jane.doe@example.com for details",
        "mail: o'brien+tag@mail.example.co.uk",
    )
    negative_samples: tuple[str, ...] = ("no address here", "user at example dot com", "a@b")
    value_pattern: str | None = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,24}$"

    def find(self, text: str) -> Iterator[TextMatch]:
        """Every e-mail address in ``text``."""
        at = text.find("@")
        done = 0
        while at != -1:  # only look around each "@": most text has none
            m = _CANDIDATE.search(text, max(done, at - 64), at + 256)
            if m is None or m.start() > at:
                at = text.find("@", at + 1)
                continue
            done = m.end()
            at = text.find("@", done)
            local = m.group().split("@", 1)[0]
            if len(local) > 64 or local.startswith(".") or ".." in local:
                continue
            yield TextMatch(DataElement.EMAIL, m.start(), m.end(), 0.95, "email@1", m.group())

    def classify(self, value: str) -> DataElement | None:
        """EMAIL for a whole-value address."""
        if len(value) <= 254 and _WHOLE.fullmatch(value):
            return DataElement.EMAIL
        return None
