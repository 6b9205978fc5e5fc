"""Free-text detection: run every detector, then keep the best non-overlapping matches."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence

from breachdesk.discovery.detectors import Detector
from breachdesk.discovery.match import TextMatch

DEFAULT_MIN_CONFIDENCE = 0.5


def resolve_overlaps(matches: Sequence[TextMatch]) -> list[TextMatch]:
    """Greedy selection by confidence then length; the result is sorted by position.

    Only overlapping matches compete, so the greedy pass runs per cluster of overlapping matches
    (most matches overlap nothing); ties keep the order of ``matches``.
    """
    order = sorted(range(len(matches)), key=lambda i: (matches[i].start, -matches[i].end))
    kept: list[int] = []
    cluster: list[int] = []
    reach = -1
    for i in order:
        m = matches[i]
        if cluster and m.start >= reach:
            _keep_best(matches, cluster, kept)
            cluster = []
        cluster.append(i)
        reach = max(reach, m.end) if len(cluster) > 1 else m.end
    if cluster:
        _keep_best(matches, cluster, kept)
    # equal spans (only empty ones can both be kept) stay in the order they were chosen
    kept.sort(key=lambda i: (matches[i].start, matches[i].end, -matches[i].confidence, i))
    return [matches[i] for i in kept]


def _rank(m: TextMatch, i: int) -> tuple[float, int, int, int]:
    return (-m.confidence, m.start - m.end, m.start, i)


def _keep_best(matches: Sequence[TextMatch], cluster: list[int], kept: list[int]) -> None:
    """Append to ``kept`` the greedy choice among one cluster of overlapping matches."""
    if len(cluster) == 1:
        kept.append(cluster[0])
        return
    cluster.sort(key=lambda i: _rank(matches[i], i))
    starts: list[int] = []  # kept spans never overlap, so sorting by start sorts ends too
    ends: list[int] = []
    for i in cluster:
        match = matches[i]
        j = bisect_right(starts, match.start)
        if j and ends[j - 1] > match.start:
            continue
        if j < len(starts) and starts[j] < match.end:
            continue
        starts.insert(j, match.start)
        ends.insert(j, match.end)
        kept.append(i)


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


#: Newlines put between two texts of a batch. Longer than every context window of the built-in
#: detectors (cue words are looked for at most 48 characters away, windows reach 48 back), and no
#: pattern spans more than three newlines, so nothing in one text can affect another.
RECORD_GAP = 64
_GAP = "\n" * RECORD_GAP
BATCH_CHARS = 1 << 18
_BUILTIN_PREFIX = "breachdesk.discovery.detectors."


def batchable(detectors: Sequence[Detector]) -> bool:
    """True when every detector is a built-in (plugins make no promise about context reach)."""
    return all(type(d).__module__.startswith(_BUILTIN_PREFIX) for d in detectors)


def detect_many(
    texts: Sequence[str],
    detectors: Sequence[Detector] | None = None,
    *,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> list[list[TextMatch]]:
    """``[detect_text(t) for t in texts]``, computed over batches of texts joined by a wide gap."""
    if detectors is None:
        from breachdesk.discovery.registry import default_detectors

        detectors = default_detectors()
    results: list[list[TextMatch]] = [[] for _ in texts]
    if not batchable(detectors):
        return [detect_text(t, detectors, min_confidence=min_confidence) for t in texts]
    for batch in _batches(texts, results, detectors, min_confidence):
        _detect_batch(texts, batch, results, detectors, min_confidence)
    return results


def _batches(
    texts: Sequence[str],
    results: list[list[TextMatch]],
    detectors: Sequence[Detector],
    min_confidence: float,
) -> Iterator[list[int]]:
    """Indexes of texts to detect together; odd texts are detected alone into ``results``."""
    batch: list[int] = []
    size = 0
    for i, text in enumerate(texts):
        if len(text.lower()) != len(text):  # cue offsets are found in the lower-cased text
            results[i] = detect_text(text, detectors, min_confidence=min_confidence)
            continue
        batch.append(i)
        size += len(text) + RECORD_GAP
        if size >= BATCH_CHARS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _detect_batch(
    texts: Sequence[str],
    batch: list[int],
    results: list[list[TextMatch]],
    detectors: Sequence[Detector],
    min_confidence: float,
) -> None:
    offsets: list[int] = []
    at = 0
    for i in batch:
        offsets.append(at)
        at += len(texts[i]) + RECORD_GAP
    joined = _GAP.join(texts[i] for i in batch)
    crossed: set[int] = set()
    for m in detect_text(joined, detectors, min_confidence=min_confidence):
        k = bisect_right(offsets, m.start) - 1
        base = offsets[k]
        if m.end > base + len(texts[batch[k]]):
            crossed.add(k)  # cannot happen with built-in detectors; stay exact if it ever does
            continue
        start, end = m.start - base, m.end - base
        results[batch[k]].append(
            TextMatch(m.element, start, end, m.confidence, m.detector, m.value, m.country)
        )
    for k in crossed:
        i = batch[k]
        results[i] = detect_text(texts[i], detectors, min_confidence=min_confidence)
