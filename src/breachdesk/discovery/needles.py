"""Where cue needles occur in a text: one Aho-Corasick pass shared by every detector.

Detectors ask for the positions of their cue needles (lower-case strings such as ``"ssn"`` or
``"exp"``) in the lower-cased text. Instead of one ``str.find`` sweep per needle and detector (about
a hundred sweeps per text), the first request for a text runs one pass over it with an automaton
holding every needle asked for so far and keeps the positions until another text is asked about.
"""

from __future__ import annotations

from typing import Any

import ahocorasick  # type: ignore[import-not-found,unused-ignore]

_Index = dict[str, list[int]]

_KNOWN: frozenset[tuple[str, ...]] = frozenset()
_NEEDLES: frozenset[str] = frozenset()
_AUTOMATON: Any = None
# (text, automaton, positions): replaced as a whole, so readers always see a consistent triple
_LAST: tuple[str, Any, _Index] = ("", None, {})


def _learn(needles: tuple[str, ...]) -> Any:
    """The automaton, rebuilt to hold ``needles`` if it did not yet (once per needle set)."""
    global _KNOWN, _NEEDLES, _AUTOMATON
    if needles in _KNOWN and _AUTOMATON is not None:
        return _AUTOMATON
    words = _NEEDLES | {n for n in needles if n}
    auto = ahocorasick.Automaton()
    for word in words:
        auto.add_word(word, word)
    auto.make_automaton()
    _NEEDLES, _AUTOMATON, _KNOWN = frozenset(words), auto, _KNOWN | {needles}
    return auto


def positions(text: str, lower: str, needles: tuple[str, ...]) -> list[tuple[int, str]]:
    """``(start, needle)`` for every (possibly overlapping) occurrence of ``needles`` in ``lower``.

    ``lower`` is ``text.lower()``; ``text`` only identifies the text the cached pass belongs to.
    """
    global _LAST  # noqa: PLW0603 - a one-entry cache of the last text's positions
    auto = _learn(needles)
    last = _LAST
    if last[0] is text and last[1] is auto:
        index = last[2]
    else:
        index = {}
        for end, word in auto.iter(lower):
            index.setdefault(word, []).append(end + 1 - len(word))
        _LAST = (text, auto, index)
    return [(i, needle) for needle in needles for i in index.get(needle, ())]
