"""Context cues: words near a candidate that raise or lower confidence."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from breachdesk.discovery.needles import positions

# Characters that re.IGNORECASE matches to an ASCII letter although str.lower() does not map them
# to it (long s, dotless i, dotted capital I, Kelvin sign): texts holding one skip the fast gate.
_ODD_CASE = ("\u017f", "\u0131", "\u0130", "\u212a")


_LAST_LOWERED: tuple[str, str] = ("", "")


def lowered(text: str) -> str:
    """``text.lower()``, computed once for the text every detector is currently looking at."""
    global _LAST_LOWERED  # noqa: PLW0603 - a one-entry cache; the tuple is replaced atomically
    last = _LAST_LOWERED
    if last[0] is text:
        return last[1]
    lower = text.lower()
    _LAST_LOWERED = (text, lower)
    return lower


def cue_pattern(*words: str) -> re.Pattern[str]:
    """A case-insensitive pattern matching any of the cue words or phrases as whole words."""
    body = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z])(?:{body})(?![A-Za-z])", re.IGNORECASE)


def near(text: str, start: int, end: int, cues: re.Pattern[str], window: int = 48) -> bool:
    """True when a cue occurs within ``window`` characters before or after ``text[start:end]``."""
    before = text[max(0, start - window) : start]
    after = text[end : end + window // 2]
    return cues.search(before) is not None or cues.search(after) is not None


def before(text: str, start: int, cues: re.Pattern[str], window: int = 48) -> bool:
    """True when a cue occurs within ``window`` characters before ``start``."""
    return cues.search(text[max(0, start - window) : start]) is not None


def trie_pattern(words: Iterable[str]) -> str:
    """A regex alternation of ``words`` arranged as a trie, so matching costs stay flat."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict[str, Any]) -> str:
    end = "" in node
    branches = [re.escape(ch) + _trie_regex(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if end else body


def cue_windows(
    text: str, needles: tuple[str, ...], before: int, after: int
) -> list[tuple[int, int]]:
    """Merged ``(start, end)`` windows around every case-insensitive occurrence of a needle.

    Detectors that need a cue scan only these windows instead of the whole text.
    """
    size = len(text)
    spans = [
        (max(0, i - before), min(size, i + len(needle) + after))
        for i, needle in positions(text, lowered(text), needles)
    ]
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def case_variants(words: Iterable[str]) -> set[str]:
    """Each word in lower, Title and UPPER case (for case-sensitive, fast lexicon patterns)."""
    out: set[str] = set()
    for w in words:
        out.update((w, w.title(), w.upper(), w[:1].upper() + w[1:]))
    return out


def cue_present(text: str, needles: tuple[str, ...], cues: re.Pattern[str]) -> bool:
    """``cues.search(text) is not None``, tried only where a lower-case needle occurs.

    Every match of ``cues`` must start where one of ``needles`` does (or contain such a match).
    """
    lower = lowered(text)
    if len(lower) != len(text) or (not text.isascii() and any(c in text for c in _ODD_CASE)):
        return cues.search(text) is not None
    return any(cues.match(text, i) is not None for i, _ in positions(text, lower, needles))


def literal_starts(text: str, literals: tuple[str, ...]) -> list[int]:
    """Sorted positions at which any of the case-sensitive ``literals`` starts."""
    if all(len(literal) == 1 for literal in literals):
        return [m.start() for m in _char_class(literals).finditer(text)]
    found: set[int] = set()
    for literal in literals:
        i = text.find(literal)
        while i != -1:
            found.add(i)
            i = text.find(literal, i + 1)
    return sorted(found)


@lru_cache(maxsize=64)
def _char_class(chars: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]")


def matches_at(
    pattern: re.Pattern[str], text: str, starts: Iterable[int]
) -> Iterator[re.Match[str]]:
    """What ``pattern.finditer(text)`` yields when its (non-empty) matches can only begin at
    ``starts`` (sorted): the same matches, found without scanning the whole text."""
    done = 0
    for i in starts:
        if i < done:
            continue
        m = pattern.match(text, i)
        if m is not None and m.end() > i:
            done = m.end()
            yield m
