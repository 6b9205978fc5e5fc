"""Context cues: words near a candidate that raise or lower confidence."""

from __future__ import annotations

import re


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
