"""Whole-word lexicon matching in one Aho-Corasick pass (pyahocorasick), instead of a regex.

``whole_words`` yields exactly the spans that ``re.finditer`` yields for
``(?<![\\w<extra>])(?:w1|w2|...)(?![\\w<extra>])`` when the alternation prefers the longest word at
a position (as a trie-shaped alternation does). One automaton holds every lexicon asked about, and
one pass over a text serves them all: the hits of the last text are kept until another text comes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ahocorasick  # type: ignore[import-not-found,unused-ignore]

_Hits = dict[int, list[str]]

_LEXICONS: frozenset[frozenset[str]] = frozenset()
_AUTOMATON: Any = None
# (text, automaton, hits by start): replaced as a whole, so readers always see a consistent triple
_LAST: tuple[str, Any, _Hits] = ("", None, {})


def _learn(words: frozenset[str]) -> Any:
    """The automaton, rebuilt to hold ``words`` if it did not yet (once per lexicon)."""
    global _LEXICONS, _AUTOMATON  # grows during warm-up, then stays
    if words in _LEXICONS and _AUTOMATON is not None:
        return _AUTOMATON
    lexicons = _LEXICONS | {words}
    auto = ahocorasick.Automaton()
    for word in frozenset().union(*lexicons):
        if word:
            auto.add_word(word, word)
    auto.make_automaton()
    _LEXICONS, _AUTOMATON = lexicons, auto
    return auto


def _hits(text: str, auto: Any) -> _Hits:
    """Every (possibly overlapping) occurrence of a lexicon word in ``text``, by start."""
    global _LAST  # noqa: PLW0603 - a one-entry cache of the last text's hits
    last = _LAST
    if last[0] is text and last[1] is auto:
        return last[2]
    hits: _Hits = {}
    for end, word in auto.iter(text):
        hits.setdefault(end + 1 - len(word), []).append(word)
    _LAST = (text, auto, hits)
    return hits


def _inside(ch: str, extra: str) -> bool:
    """True for a character that continues a word (``\\w`` or one of ``extra``)."""
    return ch.isalnum() or ch == "_" or ch in extra


def whole_words(words: frozenset[str], text: str, extra: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of non-overlapping whole-word occurrences of ``words`` (case-sensitive),
    leftmost first, longest first."""
    hits = _hits(text, _learn(words))
    done = 0
    size = len(text)
    for start in sorted(hits):
        if start < done or (start and _inside(text[start - 1], extra)):
            continue
        for word in sorted((w for w in hits[start] if w in words), key=len, reverse=True):
            end = start + len(word)
            if end == size or not _inside(text[end], extra):
                yield start, end
                done = end
                break
