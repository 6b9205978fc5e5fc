"""Realistic mess: phone formats, stray case and whitespace, typos and missing values."""

from __future__ import annotations

import datetime as dt
from random import Random

_NO_TRUNK_PREFIX = frozenset(("34", "39", "45"))  # numbers there are dialled without a leading 0
_CODES = frozenset(
    ["1", "44", "61", "49", "33", "34", "39", "31", "32", "46", "48", "45", "353", "358"]
)


def _split(e164: str) -> tuple[str, str]:
    digits = e164.lstrip("+")
    for size in (3, 2, 1):
        if digits[:size] in _CODES:
            return digits[:size], digits[size:]
    return digits[:2], digits[2:]


def _groups(national: str, sizes: tuple[int, ...]) -> list[str]:
    out, pos = [], 0
    for size in sizes:
        out.append(national[pos : pos + size])
        pos += size
    if pos < len(national):
        out[-1] += national[pos:]
    return [g for g in out if g]


def format_phone(rng: Random, e164: str) -> str:
    """The number written the way a person or a form might have: many national styles."""
    code, national = _split(e164)
    if code == "1":
        a, b, c = national[:3], national[3:6], national[6:]
        return rng.choice(
            (f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"+1 {a} {b} {c}", f"{a}.{b}.{c}", national, e164)
        )
    pairs = " ".join(_groups(national, (1, 2, 2, 2, 2)))
    threes = " ".join(_groups(national, (3, 3, 4)))
    trunk = "" if code in _NO_TRUNK_PREFIX else "0"
    return rng.choice(
        (
            e164,
            f"+{code} {threes}",
            f"{trunk}{threes}",
            f"0{pairs}" if code == "33" else f"00{code} {national}",
            f"+{code} ({national[:2]}) {national[2:]}",
        )
    )


def typo(rng: Random, text: str) -> str:
    """The text with two neighbouring letters swapped, as a hurried typist would."""
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 2)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def recase(rng: Random, text: str) -> str:
    """The text in another case now and then."""
    roll = rng.random()
    if roll < 0.05:
        return text.upper()
    if roll < 0.10:
        return text.lower()
    return text


def pad(rng: Random, text: str) -> str:
    """The text with stray surrounding whitespace now and then."""
    return rng.choice((" ", "  ", "\t")) + text + " " if rng.random() < 0.04 else text


def maybe_missing(rng: Random, text: str, rate: float = 0.03) -> str:
    """An empty value with probability ``rate``."""
    return "" if rng.random() < rate else text


def format_date(rng: Random, value: dt.date) -> str:
    """A date in one of the usual spellings; mostly ISO."""
    roll = rng.random()
    if roll < 0.7:
        return value.isoformat()
    if roll < 0.85:
        return value.strftime("%m/%d/%Y")
    return value.strftime("%d.%m.%Y")
