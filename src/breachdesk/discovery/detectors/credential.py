"""Credentials written out in text: ``password: ...``, ``user=...``, security answers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from breachdesk.core.element import DataElement
from breachdesk.discovery.context import cue_windows
from breachdesk.discovery.match import TextMatch

_VALUE = r"(?P<value>[^\s\"',;]{3,128})"
_SEP = r"[ \t]*(?:[:=]|\bis\b)[ \t]*[\"']?"
_PATTERNS: tuple[tuple[DataElement, re.Pattern[str], float], ...] = (
    (
        DataElement.PASSWORD,
        re.compile(
            rf"(?<![A-Za-z])(?:password|passwd|pwd|pass|passwort|contraseña|mot de passe|pin)\b"
            rf"{_SEP}{_VALUE}",
            re.IGNORECASE,
        ),
        0.8,
    ),
    (
        DataElement.USERNAME,
        re.compile(
            r"(?<![A-Za-z])(?:username|user name|login|userid|user_id|user id|benutzername)\b"
            rf"{_SEP}{_VALUE}",
            re.IGNORECASE,
        ),
        0.7,
    ),
    (
        DataElement.SECURITY_ANSWER,
        re.compile(
            rf"\b(?:security answer|secret answer|answer to (?:my|the) security question){_SEP}"
            r"(?P<value>[^\n\"]{2,64})",
            re.IGNORECASE,
        ),
        0.75,
    ),
)
# every label in _PATTERNS contains one of these, so its cue window always covers it
_CUE_WORDS = (
    "pass", "pwd", "pin", "user", "benutzer", "login", "answer", "contraseña", "mot de passe",
)  # fmt: skip
_NOT_SECRETS = frozenset({"reset", "expired", "changed", "required", "incorrect", "wrong", "***"})


@dataclass(frozen=True, slots=True)
class CredentialDetector:
    """Passwords, usernames and security answers given after a label."""

    name: str = "credential"
    version: int = 1
    elements: tuple[DataElement, ...] = (
        DataElement.PASSWORD,
        DataElement.USERNAME,
        DataElement.SECURITY_ANSWER,
    )
    positive_samples: tuple[str, ...] = (
        "login: jdoe42 password: Tr0ub4dor&3",
        "db_pass=hunter2 in the config",
    )
    negative_samples: tuple[str, ...] = ("I forgot my password yesterday", "password: reset")
    value_pattern: str | None = None

    def find(self, text: str) -> Iterator[TextMatch]:
        """Values right after a credential label and a separator (``:``, ``=``, ``is``)."""
        spans = cue_windows(text, _CUE_WORDS, 24, 160)
        for element, pattern, confidence in _PATTERNS:
            for m in (m for s, e in spans for m in pattern.finditer(text, s, e)):
                value = m.group("value").rstrip(".")
                if value.lower() in _NOT_SECRETS:
                    continue
                start = m.start("value")
                yield TextMatch(
                    element, start, start + len(value), confidence, "credential@1", value
                )

    def classify(self, value: str) -> DataElement | None:
        """Never from a value alone: a password looks like any other string."""
        return None
