"""Whole-word lexicon matching in one Aho-Corasick pass (pyahocorasick), instead of a regex.

``whole_words`` yields exactly the spans that ``re.finditer`` yields for
``(?<![\\w<extra>])(?:w1|w2|...)(?![\\w<extra>])`` when the alternation prefers the longest word at
a position (as a trie-shaped alternation does); it costs one pass over the text whatever the size
of the lexicon, and very little on text with no lexicon word in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

import ahocorasick  # type: ignore[import-not-found,unused-ignore]


@lru_cache(maxsize=16)
def automaton(words: frozenset[str]) -> Any:
    """An automaton over ``words`` (case-sensitive), built once per lexicon."""
    auto = ahocorasick.Automaton()
    for word in words:
        if word:
            auto.add_word(word, len(word))
    auto.make_automaton()
    return auto


def _inside(ch: str, extra: str) -> bool:
    """True for a character that continues a word (``\\w`` or one of ``extra``)."""
    return ch.isalnum() or ch == "_" or ch in extra


def whole_words(auto: Any, text: str, extra: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of non-overlapping whole-word occurrences, leftmost first, longest first."""
    ends_at: dict[int, list[int]] = {}
    for last, length in auto.iter(text):
        ends_at.setdefault(last + 1 - length, []).append(last + 1)
    done = 0
    size = len(text)
    for start in sorted(ends_at):
        if start < done or (start and _inside(text[start - 1], extra)):
            continue
        for end in sorted(ends_at[start], reverse=True):
            if end == size or not _inside(text[end], extra):
                yield start, end
                done = end
                break


def lexicon_words(*lexicons: Iterable[str]) -> frozenset[str]:
    """The union of several lexicons as one hashable set (the cache key of ``automaton``)."""
    return frozenset(w for lexicon in lexicons for w in lexicon)
