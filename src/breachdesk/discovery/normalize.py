"""Normalising values before keyed hashing, and masking them for reports.

The same person's value written two ways (``John.Doe@Example.com `` and ``john.doe@example.com``)
must hash the same; a report shows just enough of a value to recognise it, never the whole.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import phonenumbers

from breachdesk.core.element import DataElement
from breachdesk.discovery.dates import parse_date
from breachdesk.discovery.detectors.phone import parse_phone
from breachdesk.discovery.validators import digits_only, iban_compact

_DIGIT_ELEMENTS = frozenset(
    {
        DataElement.SSN,
        DataElement.PAYMENT_CARD,
        DataElement.ROUTING_NUMBER,
        DataElement.BANK_ACCOUNT,
        DataElement.CARD_SECURITY_CODE,
    }
)
_CASE_SENSITIVE = frozenset(
    {
        DataElement.PASSWORD,
        DataElement.PASSWORD_HASH,
        DataElement.API_KEY,
        DataElement.AUTH_TOKEN,
        DataElement.SECURITY_ANSWER,
    }
)


def _collapse(value: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", value).split())


@lru_cache(maxsize=1 << 16)
def normalize_phone(value: str, default_region: str = "US") -> str:
    """E.164 form (``+14155552671``) when parseable, otherwise ``+`` and the digits."""
    digits = digits_only(value)
    canonical = f"+{digits}" if value.strip().startswith("+") else digits
    number = parse_phone(canonical, (default_region,)) or parse_phone(canonical)
    if number is not None:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return canonical


def normalize(element: DataElement, value: str) -> str:
    """Canonical form of a value for keyed hashing; idempotent."""
    v = _collapse(value)
    if element in _CASE_SENSITIVE:
        return value.strip()
    if element is DataElement.EMAIL:
        return v.lower()
    if element is DataElement.PHONE:
        return normalize_phone(v)
    if element is DataElement.IBAN:
        return iban_compact(v)
    if element in _DIGIT_ELEMENTS:
        return digits_only(v)
    if element in (DataElement.NATIONAL_ID, DataElement.TAX_ID, DataElement.DRIVERS_LICENSE):
        return "".join(c for c in v.upper() if c.isalnum())
    if element is DataElement.POSTAL_CODE:
        return v.upper().replace(" ", "")
    if element is DataElement.DATE_OF_BIRTH:
        return parse_date(v) or v.casefold()
    if element in (DataElement.PERSON_NAME, DataElement.MOTHERS_MAIDEN_NAME):
        return _strip_accents(v.casefold())
    return v.casefold()


def _strip_accents(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _mask_middle(value: str, keep_end: int) -> str:
    return "*" * max(3, len(value) - keep_end) + (value[-keep_end:] if keep_end else "")


def mask(element: DataElement, value: str) -> str:
    """A recognisable but unusable rendering: ``j***@example.com``, ``***-**-1234``."""
    v = value.strip()
    if element is DataElement.EMAIL and "@" in v:
        local, domain = v.rsplit("@", 1)
        return f"{local[:1]}***@{domain}"
    if element is DataElement.SSN or element is DataElement.TAX_ID:
        digits = digits_only(v)
        return f"***-**-{digits[-4:]}" if len(digits) == 9 else "***"
    if element is DataElement.PAYMENT_CARD:
        return f"****-****-****-{digits_only(v)[-4:]}"
    if element is DataElement.PHONE:
        digits = digits_only(v)
        return f"***-***-{digits[-4:]}" if len(digits) >= 7 else "***"
    if element is DataElement.IBAN:
        compact = iban_compact(v)
        return f"{compact[:2]}** **** {compact[-4:]}"
    if element in _CASE_SENSITIVE:
        return "[redacted]"
    if element is DataElement.PERSON_NAME:
        return " ".join(f"{w[:1]}***" for w in v.split())
    if element in (DataElement.BANK_ACCOUNT, DataElement.ROUTING_NUMBER, DataElement.NATIONAL_ID):
        return _mask_middle(v, 2)
    return f"{v[:1]}***" if v else ""
