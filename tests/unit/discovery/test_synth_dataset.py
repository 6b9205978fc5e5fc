"""Runs detection over the shared presidio-research synthetic set: structure, never accuracy."""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path

import pytest

from breachdesk.discovery.text import detect_text

DATA = Path(__file__).resolve().parents[3] / ".." / "shared/data/pii/synth_dataset_v2.json"


@pytest.fixture(scope="module")
def records() -> list[dict[str, object]]:
    if not DATA.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"shared data missing in CI: {DATA}")
        pytest.skip(f"shared data folder absent ({DATA}); it sits beside the repository")
    return json.loads(DATA.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_every_record_scans_and_spans_are_ordered(records: list[dict[str, object]]) -> None:
    found = 0
    for record in records:
        text = str(record["full_text"])
        matches = detect_text(text)
        found += len(matches)
        for a, b in itertools.pairwise(matches):
            assert a.end <= b.start
        for m in matches:
            assert text[m.start : m.end] == m.value
    assert found > len(records) // 2


def test_checksummed_elements_found_where_labelled(records: list[dict[str, object]]) -> None:
    wanted = {"CREDIT_CARD": "payment_card", "IBAN_CODE": "iban", "EMAIL_ADDRESS": "email"}
    missed = 0
    total = 0
    for record in records:
        text = str(record["full_text"])
        got = [(m.element.value, m.start, m.end) for m in detect_text(text)]
        for span in record["spans"]:  # type: ignore[attr-defined]
            element = wanted.get(span["entity_type"])
            if element is None:
                continue
            total += 1
            s, e = span["start_position"], span["end_position"]
            missed += not any(el == element and a < e and s < b for el, a, b in got)
    assert total > 100
    assert missed / total < 0.1  # a functional check, not a performance assertion
