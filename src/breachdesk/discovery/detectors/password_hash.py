"""Password hashes: modular-crypt formats (bcrypt, argon2, sha-crypt...) and bare hex digests."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from breachdesk.core.element import DataElement
from breachdesk.discovery.context import cue_pattern, literal_starts, matches_at, near
from breachdesk.discovery.match import TextMatch
from breachdesk.discovery.validators import HASH_FORMATS, hash_kind

_END = r"(?![\w$/.+=])"
_CANDIDATE = re.compile(
    r"(?:" + "|".join(p.pattern for _, p in HASH_FORMATS) + r"|[0-9a-fA-F]{32,128})" + _END
)
# The same candidates in two parts: modular-crypt formats (they start with one of _CRYPT_STARTS,
# found by literal search) and bare hex digests (scanned for alone, which is twice as fast).
_CRYPT = re.compile(r"(?:" + "|".join(p.pattern for _, p in HASH_FORMATS) + r")" + _END)
_CRYPT_STARTS = ("$", "{", "pbkdf2", "scrypt")
_HEX = re.compile(r"[0-9a-fA-F]{32,128}" + _END)


def candidates(text: str) -> Iterator[re.Match[str]]:
    """What ``_CANDIDATE.finditer(text)`` yields: crypt matches, and hex runs outside them.

    A crypt match never starts inside a hex run (``$``, ``{``, ``p`` and ``s`` are not hex digits),
    so the only interplay is a hex run inside a crypt match, which the single scan skips.
    """
    crypt = list(matches_at(_CRYPT, text, literal_starts(text, _CRYPT_STARTS)))
    if not crypt:
        yield from _HEX.finditer(text)
        return
    spans = [m.span() for m in crypt]
    hexes = [m for m in _HEX.finditer(text) if not _inside_any(m.start(), spans)]
    yield from sorted([*crypt, *hexes], key=lambda m: m.start())


def _inside_any(start: int, spans: list[tuple[int, int]]) -> bool:
    i = bisect_right(spans, (start, 1 << 62)) - 1  # the last span starting at or before start
    return i >= 0 and spans[i][0] <= start < spans[i][1]


_CUES = cue_pattern("hash", "password", "passwd", "pwd", "digest", "md5", "sha1", "sha256", "ntlm")


@dataclass(frozen=True, slots=True)
class PasswordHashDetector:
    """Stored password hashes."""

    name: str = "password_hash"
    version: int = 1
    elements: tuple[DataElement, ...] = (DataElement.PASSWORD_HASH,)
    positive_samples: tuple[str, ...] = (
        "admin:$2b$12$" + "R9h/cIPz0gi.URNNX3kh2O" + "PST9/PgBkqquzi.Ss7KIUgO2t0jWMUW" + ":1001",
        "password md5 5f4dcc3b5aa765d61d8327deb882cf99",
    )
    negative_samples: tuple[str, ...] = ("costs $12 each", "id 00000000000000000000000000000000")
    value_pattern: str | None = r"^(?:\$|pbkdf2|scrypt|\{|[0-9a-fA-F]{32})"

    def find(self, text: str) -> Iterator[TextMatch]:
        """Modular-crypt hashes always; bare hex digests only with a password cue nearby."""
        for m in candidates(text):
            s = m.start()
            if s and (text[s - 1].isalnum() or text[s - 1] in "_$"):
                continue
            kind = hash_kind(m.group())
            if kind is None:
                continue
            bare_hex = not m.group().startswith(("$", "pbkdf2", "scrypt", "{"))
            if bare_hex and not near(text, m.start(), m.end(), _CUES):
                continue
            yield TextMatch(
                DataElement.PASSWORD_HASH, m.start(), m.end(), 0.7 if bare_hex else 0.95,
                "password_hash@1", m.group(),
            )  # fmt: skip

    def classify(self, value: str) -> DataElement | None:
        """PASSWORD_HASH for a value in a recognised hash format."""
        return DataElement.PASSWORD_HASH if hash_kind(value) else None
