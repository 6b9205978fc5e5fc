"""Free-text detection: run every detector, then keep the best non-overlapping matches."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from breachdesk.discovery.detectors import Detector
from breachdesk.discovery.match import TextMatch

DEFAULT_MIN_CONFIDENCE = 0.5


def resolve_overlaps(matches: Sequence[TextMatch]) -> list[TextMatch]:
    """Greedy selection by confidence then length; the result is sorted by position."""
    ranked = sorted(matches, key=lambda m: (-m.confidence, -(m.end - m.start), m.start))
    starts: list[int] = []  # kept spans never overlap, so sorting by start sorts ends too
    ends: list[int] = []
    kept: list[TextMatch] = []
    for match in ranked:
        i = bisect_right(starts, match.start)
        if i and ends[i - 1] > match.start:
            continue
        if i < len(starts) and starts[i] < match.end:
            continue
        starts.insert(i, match.start)
        ends.insert(i, match.end)
        kept.append(match)
    kept.sort(key=lambda m: (m.start, m.end))
    return kept


def detect_text(
    text: str,
    detectors: Sequence[Detector] | None = None,
    *,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> list[TextMatch]:
    """Every data element found in ``text``, non-overlapping, in order of position."""
    if detectors is None:
        from breachdesk.discovery.registry import default_detectors

        detectors = default_detectors()
    found = [
        match
        for detector in detectors
        for match in detector.find(text)
        if match.confidence >= min_confidence
    ]
    return resolve_overlaps(found)
