"""Batched detection (``detect_many``) gives exactly what detecting each text alone gives."""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breachdesk.core.element import DataElement
from breachdesk.discovery.match import TextMatch
from breachdesk.discovery.registry import builtin_detectors
from breachdesk.discovery.text import (
    RECORD_GAP,
    batchable,
    detect_many,
    detect_text,
    resolve_overlaps,
)

DATA = Path(__file__).resolve().parents[3] / ".." / "shared/data/pii/synth_dataset_v2.json"
DETECTORS = builtin_detectors()

# Fragments that put cues, labels and values at record edges, where a batch joins two texts.
FRAGMENTS = [
    s for d in DETECTORS for s in (*d.positive_samples, *d.negative_samples)
] + [
    "password", "benutzername: hans", "ssn", "call", "DOB", "born", "zip", "IMEI", "exp",
    "security", "code 123", "token", "api key", "dni", "123456789", "078-05-1121", "12345678Z",
    "490154203237518", "4111 1111 1111 1111", "Street", "12 Baker Street,", "London", "\n",
    "Dr.", "Maria", "Smith", "and", ":", " ", ",", "Paris", "French", "Where:", "valid thru",
    "İstanbul", "\u017fecret",
]  # fmt: skip


def test_same_as_one_by_one_on_samples() -> None:
    texts = FRAGMENTS + [a + " " + b for a, b in itertools.pairwise(FRAGMENTS)]
    assert detect_many(texts, DETECTORS) == [detect_text(t, DETECTORS) for t in texts]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(FRAGMENTS), max_size=4), min_size=1, max_size=8))
def test_same_as_one_by_one(parts: list[list[str]]) -> None:
    texts = [" ".join(p) for p in parts]
    assert detect_many(texts, DETECTORS) == [detect_text(t, DETECTORS) for t in texts]


def test_same_as_one_by_one_on_the_synthetic_set() -> None:
    if not DATA.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"shared data missing in CI: {DATA}")
        pytest.skip("shared data folder absent")
    texts = [r["full_text"] for r in json.loads(DATA.read_text(encoding="utf-8"))]
    assert detect_many(texts, DETECTORS) == [detect_text(t, DETECTORS) for t in texts]


def test_empty_inputs() -> None:
    assert detect_many([], DETECTORS) == []
    assert detect_many(["", "   ", "\n" * RECORD_GAP], DETECTORS) == [[], [], []]


class _Plugin:
    """A third-party detector whose context reach is unknown: batching is not used."""

    name = "plugin"
    version = 1
    elements = (DataElement.USERNAME,)
    positive_samples = ("x",)
    negative_samples = ("",)
    value_pattern = None

    def find(self, text: str) -> Iterator[TextMatch]:
        if text:
            yield TextMatch(DataElement.USERNAME, 0, len(text), 0.9, "plugin@1", text)

    def classify(self, value: str) -> DataElement | None:
        return None


def test_plugins_disable_batching() -> None:
    detectors = (*DETECTORS, _Plugin())
    assert not batchable(detectors)
    assert batchable(DETECTORS)
    texts = ["a", "bc"]
    assert detect_many(texts, detectors) == [detect_text(t, detectors) for t in texts]


def _greedy(matches: list[TextMatch]) -> list[TextMatch]:
    """The plain greedy pass over all matches (reference for the clustered one)."""
    ranked = sorted(matches, key=lambda m: (-m.confidence, -(m.end - m.start), m.start))
    kept: list[TextMatch] = []
    for m in ranked:
        if all(not (k.start <= m.start < k.end or m.start < k.start < m.end) for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: (m.start, m.end))


@settings(max_examples=1000)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 30),
            st.integers(0, 6),
            st.sampled_from([0.5, 0.6, 0.9]),
            st.sampled_from(list(DataElement)[:3]),
        ),
        max_size=25,
    )
)
def test_resolve_overlaps_equals_plain_greedy(
    spans: list[tuple[int, int, float, DataElement]],
) -> None:
    matches = [TextMatch(e, s, s + n, c, "t@1", "") for s, n, c, e in spans]
    assert resolve_overlaps(matches) == _greedy(matches)
