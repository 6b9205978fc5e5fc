"""Phone numbers: loose digit-group candidates confirmed by Google's libphonenumber metadata."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from breachdesk.core.element import DataElement
from breachdesk.discovery.context import cue_pattern, near
from breachdesk.discovery.match import TextMatch, clamp

# The look-behind sits after the first character so that the scan can skip to candidates quickly;
# the branches spell out ``(?:\+|00)?\(?\d{1,4}`` in the same order of preference.
_LB = r"(?<![\w+./:-].)"
_CANDIDATE = re.compile(
    rf"(?:\+{_LB}\(?\d{{1,4}}|0{_LB}0\(?\d{{1,4}}|\({_LB}\d{{1,4}}|\d{_LB}\d{{0,3}})"
    r"\)?(?:[ .\-/]{0,2}\(?\d{1,5}\)?){1,6}"
    r"(?:\s?(?:x|ext\.?|extension)\s?\d{1,5})?(?![\w/:]|\.\d|-\d)",
    re.IGNORECASE,
)
_DATE_LIKE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$|\d+\.\d+\.\d+\.\d+")
_CUES = cue_pattern(
    "phone", "tel", "telephone", "mobile", "cell", "call", "fax", "desk", "contact", "number",
    "whatsapp", "sms", "text me", "reach me", "téléphone", "telefono", "teléfono", "handy",
    "telefon", "ph", "mob",
)  # fmt: skip
_REGIONS = ("US", "GB", "DE", "FR", "AU", "IN", "NL", "IT", "ES")
# Numbers written with a national trunk prefix 0 are never North American: skip US there.
_TRUNK_ZERO_REGIONS = ("GB", "DE", "FR", "AU", "IN", "NL", "IT")


def parse_phone(
    value: str, regions: tuple[str, ...] | None = None
) -> phonenumbers.PhoneNumber | None:
    """The first region-valid parse of ``value`` (international form tried first), else None."""
    v = value.lstrip().lstrip("(")
    if v.startswith("+"):
        order: tuple[str | None, ...] = (None,)
    elif v.startswith("00"):
        order = ("GB",)  # international call prefix: one parse reads the country code
    elif regions is not None:
        order = regions
    elif v.startswith("0"):
        order = _TRUNK_ZERO_REGIONS
    else:
        order = _REGIONS
    for region in order:
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return number
    return None


@lru_cache(maxsize=1 << 16)
def phone_valid(value: str) -> bool:
    """True when libphonenumber accepts ``value`` in some region (cached: numbers repeat)."""
    return parse_phone(value) is not None


_NOT_A_NUMBER, _SEPARATED, _DIGITS_ONLY = 0, 1, 2


@lru_cache(maxsize=1 << 16)
def _shape(value: str) -> int:
    """Whether a candidate has 7 to 15 digits and is no date, and if it has separators."""
    digits = sum(c.isdigit() for c in value)
    if not 7 <= digits <= 15 or _DATE_LIKE.match(value):
        return _NOT_A_NUMBER
    return _DIGITS_ONLY if value.isdigit() else _SEPARATED


@dataclass(frozen=True, slots=True)
class PhoneDetector:
    """Telephone numbers in any common national or international format."""

    name: str = "phone"
    version: int = 1
    elements: tuple[DataElement, ...] = (DataElement.PHONE,)
    positive_samples: tuple[str, ...] = (
        "Call me on +44 20 7946 0958 tomorrow",
        "Mobile: (415) 555-2671 ext. 12",
    )
    negative_samples: tuple[str, ...] = ("Released in 2014", "version 1.2.3", "on 2018-02-24")
    value_pattern: str | None = r"^[+(]?[\d][\d ().\-/x]{5,24}$"

    def find(self, text: str) -> Iterator[TextMatch]:
        """Candidates with 7 to 15 digits that libphonenumber accepts."""
        for m in _CANDIDATE.finditer(text):
            value = m.group()
            shape = _shape(value)
            if shape == _NOT_A_NUMBER:
                continue
            separated = shape == _SEPARATED
            cued = near(text, m.start(), m.end(), _CUES, window=32)
            if not (cued or separated):
                continue
            if not phone_valid(value):
                if not cued:
                    continue
                confidence = 0.55
            else:
                confidence = 0.75 + (0.15 if cued else 0.0)
            yield TextMatch(
                DataElement.PHONE, m.start(), m.end(), clamp(confidence), "phone@1", value
            )

    def classify(self, value: str) -> DataElement | None:
        """PHONE for a whole value libphonenumber considers valid."""
        digits = sum(c.isdigit() for c in value)
        if not 7 <= digits <= 15 or _DATE_LIKE.match(value):
            return None
        return DataElement.PHONE if parse_phone(value) is not None else None
