"""API keys (documented provider prefixes), JSON Web Tokens and high-entropy secrets by context."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from breachdesk.core.element import DataElement
from breachdesk.discovery.context import (
    before,
    cue_pattern,
    cue_present,
    literal_starts,
    matches_at,
)
from breachdesk.discovery.match import TextMatch
from breachdesk.discovery.validators import api_key_kind, jwt_ok, secret_like

_PREFIXED = re.compile(
    r"(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|gh[pousr]_|github_pat_|xox[abposr]-|"
    r"(?:sk|pk|rk)_(?:live|test)_|AIza|glpat-|sk-|SG\.|SK)[\w\-.]{10,250}"
)
# Every _PREFIXED match starts with one of these: they are found with str.find, not a regex scan.
_PREFIX_LITERALS = (
    "AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_",
    "github_pat_", "xox", "sk_", "pk_", "rk_", "AIza", "glpat-", "sk-", "SG.", "SK",
)  # fmt: skip
_JWT = re.compile(r"(?<![\w-])eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{16,}")
_TOKEN = re.compile(r"(?<![\w/+-])[A-Za-z0-9_\-+/=]{24,200}(?![\w/+-])")
_CUES = cue_pattern(
    "api key", "api_key", "apikey", "secret", "token", "access key", "bearer", "client_secret",
    "private key", "auth",
)  # fmt: skip
_CUE_NEEDLES = ("api", "secret", "token", "access key", "bearer", "private key", "auth")


@dataclass(frozen=True, slots=True)
class ApiKeyDetector:
    """API keys and authentication tokens."""

    name: str = "api_key"
    version: int = 1
    elements: tuple[DataElement, ...] = (DataElement.API_KEY, DataElement.AUTH_TOKEN)
    positive_samples: tuple[str, ...] = (
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
        "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    )
    negative_samples: tuple[str, ...] = ("ask for a key", "AKIA is a prefix", "skipping ahead")
    value_pattern: str | None = r"^[A-Za-z0-9_\-.+/=]{20,}$"

    def find(self, text: str) -> Iterator[TextMatch]:
        """Prefixed keys, JWTs, and high-entropy tokens right after a secret cue."""
        seen: list[tuple[int, int]] = []
        for m in matches_at(_PREFIXED, text, literal_starts(text, _PREFIX_LITERALS)):
            s = m.start()  # word boundary checked here: a leading look-behind slows the scan
            if (s == 0 or not (text[s - 1].isalnum() or text[s - 1] in "_-")) and api_key_kind(
                m.group()
            ):
                seen.append(m.span())
                yield TextMatch(
                    DataElement.API_KEY, m.start(), m.end(), 0.95, "api_key@1", m.group()
                )
        if "eyJ" in text:
            for m in _JWT.finditer(text):
                seen.append(m.span())
                yield TextMatch(
                    DataElement.AUTH_TOKEN, m.start(), m.end(), 0.9, "api_key@1", m.group()
                )
        if not cue_present(text, _CUE_NEEDLES, _CUES):
            return
        for m in _TOKEN.finditer(text):
            if (
                not any(a < m.end() and m.start() < b for a, b in seen)
                and secret_like(m.group())
                and before(text, m.start(), _CUES)
            ):
                yield TextMatch(
                    DataElement.AUTH_TOKEN, m.start(), m.end(), 0.6, "api_key@1", m.group()
                )

    def classify(self, value: str) -> DataElement | None:
        """API_KEY for a prefixed key, AUTH_TOKEN for a JWT."""
        if api_key_kind(value):
            return DataElement.API_KEY
        if jwt_ok(value):
            return DataElement.AUTH_TOKEN
        return None
