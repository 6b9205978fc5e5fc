"""National identity numbers of many countries, validated with python-stdnum."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from breachdesk.core.element import DataElement
from breachdesk.discovery.context import cue_pattern, cue_windows, near
from breachdesk.discovery.match import TextMatch
from breachdesk.discovery.validators import TEXT_NATIONAL_ID_COUNTRIES, national_id_country

# shapes that stdnum then validates: DNI/NIE, hetu, personnummer, codice fiscale, CURP, ...
_CANDIDATE = re.compile(
    r"(?<![\w-])(?:[XYZ]?\d{7,8}[A-Z]|\d{6}[-+A]\d{3}[0-9A-Y]|\d{6,8}[-+]?\d{4}|"
    r"[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z]|[A-Z]{4}\d{6}[HM][A-Z]{5}[0-9A-Z]\d|"
    r"\d{17}[\dX]|\d{11})(?![\w-])"
)
_CUE_WORDS = (
    "national id", "id number", "identity", "dni", "nie", "nif", "personnummer", "hetu",
    "codice fiscale", "curp", "pesel", "cpr", "fødselsnummer", "fodselsnummer", "henkilötunnus",
    "rijksregisternummer", "personal number", "id card", "citizen",
)  # fmt: skip
_CUES = cue_pattern(
    "national id", "id number", "identity", "dni", "nie", "nif", "personnummer", "hetu",
    "codice fiscale", "curp", "pesel", "cpr", "fødselsnummer", "fodselsnummer", "henkilötunnus",
    "rijksregisternummer", "personal number", "id card", "citizen",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class NationalIdDetector:
    """National identity numbers; each match carries its issuing country."""

    name: str = "national_id"
    version: int = 1
    elements: tuple[DataElement, ...] = (DataElement.NATIONAL_ID,)
    positive_samples: tuple[str, ...] = ("DNI 12345678Z", "henkilötunnus 131052-308T")
    negative_samples: tuple[str, ...] = ("DNI 12345678A", "order 20240101", "ref 12345678Z")
    # National ids carry digits early (letters first only in a few formats: IT, MX): a cell
    # without them is never tried against the checksums, which are costly.
    value_pattern: str | None = r"^[A-Za-z]{0,6}[ ./-]?[0-9][0-9A-Za-z +./-]{6,22}$"

    def find(self, text: str) -> Iterator[TextMatch]:
        """Candidates whose checksum passes for one of the text-safe countries."""
        spans = cue_windows(text, _CUE_WORDS, 48, 48)  # free-text ids need a cue word
        for m in (m for s, e in spans for m in _CANDIDATE.finditer(text, s, e)):
            cued = near(text, m.start(), m.end(), _CUES)
            if m.group().isdigit() and not cued:
                continue
            country = national_id_country(m.group(), TEXT_NATIONAL_ID_COUNTRIES)
            if country is None:
                continue
            yield TextMatch(
                DataElement.NATIONAL_ID, m.start(), m.end(), 0.9 if cued else 0.7,
                "national_id@1", m.group(), country,
            )  # fmt: skip

    def classify(self, value: str) -> DataElement | None:
        """NATIONAL_ID for a value valid in any supported country."""
        return DataElement.NATIONAL_ID if national_id_country(value) else None
