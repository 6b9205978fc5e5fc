"""Payment card numbers: Luhn plus issuer ranges, context words raise confidence."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from breachdesk.core.element import DataElement
from breachdesk.discovery.context import cue_pattern, near
from breachdesk.discovery.match import TextMatch, clamp
from breachdesk.discovery.validators import card_ok

_CANDIDATE = re.compile(r"\d(?<![\d-]\d)(?:[ -]?\d){11,18}(?!\d)")
_CUES = cue_pattern(
    "card", "credit", "debit", "visa", "mastercard", "amex", "american express", "discover",
    "jcb", "maestro", "diners", "cc", "pan", "payment", "charge", "billed", "tarjeta", "carte",
    "karte", "kreditkarte",
)  # fmt: skip


_card_ok = lru_cache(maxsize=1 << 16)(card_ok)  # the same numbers recur in a leak


@dataclass(frozen=True, slots=True)
class CreditCardDetector:
    """Payment card numbers (PAN)."""

    name: str = "credit_card"
    version: int = 1
    elements: tuple[DataElement, ...] = (DataElement.PAYMENT_CARD,)
    positive_samples: tuple[str, ...] = (
        "Charge card 4111 1111 1111 1111 please",
        "amex 3782-822463-10005 expired",
    )
    negative_samples: tuple[str, ...] = (
        "order 4111 1111 1111 1112",
        "call 555-123-4567",
        "invoice 1234567890123",
    )
    value_pattern: str | None = r"^\d[\d -]{10,22}\d$"

    def find(self, text: str) -> Iterator[TextMatch]:
        """Every Luhn-valid card number in a known issuer range."""
        for m in _CANDIDATE.finditer(text):
            if not _card_ok(m.group()):
                continue
            confidence = 0.85 + (0.1 if near(text, m.start(), m.end(), _CUES) else 0.0)
            yield TextMatch(
                DataElement.PAYMENT_CARD, m.start(), m.end(), clamp(confidence),
                "credit_card@1", m.group(),
            )  # fmt: skip

    def classify(self, value: str) -> DataElement | None:
        """PAYMENT_CARD for a whole-value card number."""
        if _CANDIDATE.fullmatch(value) and card_ok(value):
            return DataElement.PAYMENT_CARD
        return None
