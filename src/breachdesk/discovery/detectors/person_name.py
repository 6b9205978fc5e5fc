"""Person names in prose: runs of capitalised words scored by cues and name lexicons."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from breachdesk.core.element import DataElement
from breachdesk.discovery import lexicon as lx
from breachdesk.discovery.match import TextMatch

_UP = "A-ZÀ-ÖØ-ÞĀ-ɏΆ-ΏΑ-ΩЀ-Я"
_TOK_REST = r"(?:[^\W\d_]*(?:['\u2019\-][^\W\d_]+)*\.?)?"
_TOK = rf"[{_UP}]{_TOK_REST}"
_PARTICLE = r"(?:van|von|der|den|de|del|della|di|da|dos|du|la|le|bin|al|ben)"
# the look-behind sits after the first (capital) letter so that the scan can skip to capitals
_RUN = re.compile(
    rf"[{_UP}](?<![\w'\u2019\-].){_TOK_REST}(?:[ ](?:{_PARTICLE}[ ])*{_TOK}){{0,3}}"
    r"(?![\w'\u2019\-])"
)
_HONORIFICS = ("mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "mme", "mlle",
               "herr", "frau", "sr", "sra")  # fmt: skip
_STRONG_CUES = (
    "name is", "name's", "name", "i am", "i'm", "dear", "signed", "correct it to",
    "directed by", "written by", "regards", "sincerely", "called", "named",
)  # fmt: skip
_CUES = (
    *_STRONG_CUES, "hi", "hello", "by", "contact", "ask for", "thanks", "speak to", "speak with",
    "this is", "meet", "with", "and", "from", "for", "to", "user", "customer", "patient",
    "employee", "author", "directed", "written", "starring", "agent", ">",
)  # fmt: skip
_MEDIUM_CUES = frozenset(
    {
        "hi", "hello", "hey", "dear", "by", "contact", "ask for", "thanks", "speak to",
        "speak with", "meet", "said", "asked", "told", "shouted at", "replied", "assistant to",
        "sung by", "written by", "talk to", "married", "wife", "husband", "son", "daughter",
    }
)  # fmt: skip
_STRIP = " \t\n:,.;-\"'(>?"
_POSSESSIVE = ("'s", "\u2019s")


_STRONG_SET = frozenset(_STRONG_CUES)
_CUE_SET = frozenset(_CUES)
_ANY_CUE = _CUE_SET | _MEDIUM_CUES
_HONORIFIC_SET = frozenset(_HONORIFICS)
_WORD_SPLIT = re.compile(r"[^\w'>]+")


def _last_words(tail: str) -> tuple[str, str, str]:
    """The last one, two and three words of ``tail`` (already lower-cased and stripped)."""
    words = _WORD_SPLIT.split(tail[-32:])[-3:]
    return words[-1], " ".join(words[-2:]), " ".join(words)


def _ends_with(last: tuple[str, str, str], cues: frozenset[str]) -> bool:
    """True when the text before a run ends with a whole cue of one to three words."""
    return last[0] in cues or last[1] in cues or last[2] in cues


_ORG = lx.ORG_WORDS
# A one-word run made of one of these is never scored (checked first: most runs are such words).
_SINGLE_REJECT = lx.NOT_NAMES | lx.COUNTRIES | lx.NATIONALITIES
_ROMAN = re.compile(r"[IVXLC]{2,6}")
_LIST = re.compile(rf"(?<![\w\-]){_TOK}(?:,[ ]{_TOK})*,?[ ](?:and|&)[ ]{_TOK}(?![\w\-])")
_LIST_ITEM = re.compile(_TOK)


def _clean(token: str) -> str:
    token = token.rstrip(".")
    if token.endswith(_POSSESSIVE):
        token = token[:-2]
    return token.lower()


def _sentence_start(left: str) -> bool:
    return left.rstrip(" ").endswith((".", "!", "?", '"')) or not left.strip()


def _quoted(text: str, start: int, end: int) -> bool:
    closing = text[end : end + 1] in ('"', "\u201d") or text[end : end + 2] == ',"'
    return start > 0 and text[start - 1] in '"\u201c' and closing


def _place_like(words: list[str]) -> bool:
    place = " ".join(words)
    if place in lx.COUNTRIES or place in lx.CITIES or place in lx.US_STATES:
        return True
    return any(w in lx.NATIONALITIES or w in lx.COUNTRIES for w in words)


def _single_confidence(
    text: str, left: str, last: tuple[str, str, str], possessive: bool, end: int
) -> float | None:
    """One unknown word: a speaker label ("Ana: ..."), a possessive, or after a cue word."""
    if text.startswith(":", end) and (not left or left.endswith("\n")):
        return 0.6
    if _sentence_start(left):
        return None
    return 0.6 if possessive or _ends_with(last, _MEDIUM_CUES) else None


def _is_initial(token: str) -> bool:
    return len(token.rstrip(".")) == 1


_REJECT, _ACCEPT, _CHECK_CONTEXT = 0, 1, 2


@dataclass(frozen=True, slots=True)
class _Shape:
    """What a capitalised run says on its own, before any context is looked at."""

    single: int  # one-word runs: _REJECT, _ACCEPT or _CHECK_CONTEXT; _ACCEPT for longer runs
    delta: int  # offset of the kept words from the start of the run
    length: int  # length of the kept words (less a final dot or possessive)
    titled: bool  # an honorific was trimmed from the front
    real: int  # kept words that are not initials
    given: bool
    surname: bool
    common: bool
    all_caps: bool
    one_kept: bool
    possessive: bool


def _single_state(run: str) -> int:
    word = _clean(run)
    if word in _SINGLE_REJECT:
        return _REJECT
    if word in lx.GIVEN_NAMES or run.endswith(_POSSESSIVE):
        return _ACCEPT
    return _CHECK_CONTEXT


def _pure_reject(run: str, tokens: list[str], words: list[str]) -> bool:
    """Organisations, roman numerals, and acronyms inside a title-case phrase ("Inject SELECT")."""
    if any(w in _ORG for w in words) or any(_ROMAN.fullmatch(t) for t in tokens):
        return True
    return (
        len(tokens) > 1 and not run.isupper() and any(len(t) >= 4 and t.isupper() for t in tokens)
    )


@lru_cache(maxsize=1 << 16)
def _shape(run: str) -> _Shape | None:
    """The context-free part of scoring a run (cached: the same words recur), None if rejected."""
    single = _single_state(run) if " " not in run else _ACCEPT
    tokens = run.split(" ")
    words = [_clean(t) for t in tokens]
    if single == _REJECT or _pure_reject(run, tokens, words):
        return None
    # drop leading and trailing words that are not names (sentence starts, weekdays...)
    lead = 0
    while lead < len(words) and (words[lead] in lx.NOT_NAMES or words[lead] in lx.HONORIFICS):
        lead += 1
    tail = len(words)
    while tail > lead and (words[tail - 1] in lx.NOT_NAMES or words[tail - 1] in lx.NAME_PARTICLES):
        tail -= 1
    if tail <= lead:
        return None
    kept, kept_words = tokens[lead:tail], words[lead:tail]
    if any(w in lx.NOT_NAMES and w not in lx.NAME_PARTICLES for w in kept_words):
        return None
    if _place_like(kept_words):
        return None
    length = len(" ".join(kept))
    if kept[-1].endswith(".") and not _is_initial(kept[-1]):
        length -= 1
    if kept[-1].endswith(_POSSESSIVE):
        length -= 2
    real = [w for t, w in zip(kept, kept_words, strict=True) if not _is_initial(t)]
    return _Shape(
        single=single,
        delta=sum(len(t) + 1 for t in tokens[:lead]),
        length=length,
        titled=any(w in lx.HONORIFICS for w in words[:lead]),
        real=len(real),
        given=any(w in lx.GIVEN_NAMES for w in real),
        surname=any(w in lx.SURNAMES for w in real[1:] if w not in lx.NAME_PARTICLES),
        common=any(w in lx.COMMON_WORDS for w in real),
        all_caps=all(t.isupper() and len(t) > 1 for t in kept),
        one_kept=len(kept) == 1,
        possessive=kept[0].endswith(_POSSESSIVE),
    )


def _single_cued(text: str, start: int, run: str) -> bool:
    """Whether an unknown one-word run has a speaker colon after it or a cue word before it."""
    if text.startswith(":", start + len(run)):
        return True
    last = _last_words(text[max(0, start - 32) : start].rstrip(_STRIP).lower())
    return _ends_with(last, _ANY_CUE)


def _confidence(shape: _Shape, left: str, last: tuple[str, str, str]) -> float | None:
    if not shape.real:
        return None
    honorific = shape.titled or (left.endswith(" ") and last[0] in _HONORIFIC_SET)
    strong = _ends_with(last, _STRONG_SET)
    multi = shape.real >= 2
    if honorific or strong:
        return 0.9
    if shape.given and (multi or shape.surname):
        return 0.85
    if multi and shape.surname:
        return 0.8
    cue = strong or left.rstrip(" ").endswith(">") or _ends_with(last, _CUE_SET)
    if shape.given:
        return 0.7 if cue else 0.6
    if shape.common:
        return None  # a heading or title ("Mission Statement"), not a name
    if not multi or shape.all_caps:
        return None
    if cue:
        return 0.7
    if not _sentence_start(left):
        return 0.55
    return 0.5 if shape.real <= 3 else None  # a capitalised pair at a sentence or line start


@dataclass(frozen=True, slots=True)
class PersonNameDetector:
    """Person names; an NER model can replace or complement this via the detector entry point."""

    name: str = "person_name"
    version: int = 1
    elements: tuple[DataElement, ...] = (DataElement.PERSON_NAME,)
    positive_samples: tuple[str, ...] = (
        "My name is Maria Gonzalez and I need help",
        "Please ask Dr. Okonkwo about it",
        "Thanks, John Smith",
    )
    negative_samples: tuple[str, ...] = (
        "The order shipped on Monday",
        "We love Paris in the spring",
        "Acme Technologies Inc reported results",
    )
    value_pattern: str | None = r"^[^\d@]{2,60}$"

    def find(self, text: str) -> Iterator[TextMatch]:
        """Capitalised runs with a name cue, a lexicon hit, or the shape of a full name."""
        yield from self._lists(text)
        for m in _RUN.finditer(text):
            run = m.group()
            shape = _shape(run)
            if shape is None:
                continue  # most runs: checked here, without a call, as it is the common case
            scored = self._score(text, m.start(), run, shape)
            if scored is not None:
                start, end, confidence = scored
                yield TextMatch(
                    DataElement.PERSON_NAME, start, end, confidence, "person_name@1",
                    text[start:end],
                )  # fmt: skip

    def _lists(self, text: str) -> Iterator[TextMatch]:
        """Single words in a list ("Kim, Olsen and Reyes") where some are known names."""
        for m in self._list_candidates(text):
            items = list(_LIST_ITEM.finditer(m.group()))
            words = [i.group().lower() for i in items]
            if any(w in lx.NOT_NAMES or w in lx.COUNTRIES or w in lx.CITIES for w in words):
                continue
            if any(w in _ORG for w in words):
                continue
            if not any(w in lx.GIVEN_NAMES or w in lx.SURNAMES for w in words):
                continue
            for item in items:
                start, end = m.start() + item.start(), m.start() + item.end()
                yield TextMatch(
                    DataElement.PERSON_NAME, start, end, 0.65, "person_name@1", text[start:end]
                )

    def _list_candidates(self, text: str) -> Iterator[re.Match[str]]:
        """List matches around each " and " / " & " joining two capitalised words."""
        done = 0
        for joiner in (" and ", " & "):
            i = text.find(joiner)
            while i != -1:
                after = i + len(joiner)
                if (
                    i > done
                    and after < len(text)
                    and text[after].isupper()
                    and text[i - 1].isalpha()
                ):
                    m = _LIST.search(text, max(done, i - 160), after + 60)
                    while m is not None and m.end() <= i:
                        m = _LIST.search(text, m.end(), after + 60)
                    if m is not None and m.start() <= i:
                        done = m.end()
                        yield m
                i = text.find(joiner, after)

    def _score(
        self, text: str, start: int, run: str, shape: _Shape
    ) -> tuple[int, int, float] | None:
        if shape.single == _CHECK_CONTEXT and not _single_cued(text, start, run):
            return None
        if _quoted(text, start, start + len(run)):
            return None  # a song, book or film title
        offset = start + shape.delta
        end = offset + shape.length
        left = text[max(0, offset - 40) : offset]
        last = _last_words(left.rstrip(_STRIP).lower())
        confidence = _confidence(shape, left, last)
        if confidence is None and shape.one_kept:
            confidence = _single_confidence(text, left, last, shape.possessive, end)
        if confidence is None:
            return None
        return offset, end, confidence

    def classify(self, value: str) -> DataElement | None:
        """PERSON_NAME for a value that looks like a known given name or given name + surname."""
        words = [w.strip(",.").lower() for w in value.split()]
        if not 1 <= len(words) <= 4 or not value[:1].isupper():
            return None
        if any(w in lx.GIVEN_NAMES or w in lx.SURNAMES for w in words):
            return DataElement.PERSON_NAME
        return None
