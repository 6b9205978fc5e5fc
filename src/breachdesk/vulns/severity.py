"""Severity from CVSS vectors (v2, v3.x, v4.0, scored with the ``cvss`` package) and scores."""

from __future__ import annotations

from breachdesk.core.finding import Severity


def from_score(score: float) -> Severity:
    """The CVSS v3/v4 qualitative rating of a base score (0 none -> info)."""
    if score >= 9.0:
        return Severity.CRITICAL
    if score >= 7.0:
        return Severity.HIGH
    if score >= 4.0:
        return Severity.MEDIUM
    if score > 0.0:
        return Severity.LOW
    return Severity.INFO


def score_vector(vector: str) -> tuple[float, Severity] | None:
    """Base score and severity of a CVSS vector; ``None`` when it is not a valid vector."""
    from cvss import CVSS2, CVSS3, CVSS4
    from cvss.exceptions import CVSSError

    text = vector.strip()
    try:
        if text.startswith("CVSS:4"):
            v4 = CVSS4(text)
            return float(v4.base_score), from_score(float(v4.base_score))
        if text.startswith("CVSS:3"):
            v3 = CVSS3(text)
            score = float(v3.scores()[0])
            return score, from_score(score)
        v2 = CVSS2(text.removeprefix("(").removesuffix(")").removeprefix("CVSS:2.0/"))
        score = float(v2.scores()[0])
        # CVSS v2 has no "critical"; NVD rates 7.0-10.0 high, 4.0-6.9 medium, below low.
        if score >= 7.0:
            return score, Severity.HIGH
        return score, Severity.MEDIUM if score >= 4.0 else Severity.LOW if score > 0 else (
            Severity.INFO
        )
    except (CVSSError, ValueError, KeyError, IndexError, TypeError, AttributeError):
        return None
