"""Contract over every registered detector: samples, picklability, value-free repr, robustness."""

from __future__ import annotations

import pickle

import pytest

from breachdesk.discovery.detectors import Detector, ref
from breachdesk.discovery.registry import (
    DuplicateDetectorError,
    check_unique,
    load_detectors,
)

DETECTORS = load_detectors()


def test_registry_not_empty_and_unique() -> None:
    assert len(DETECTORS) >= 15
    assert len({d.name for d in DETECTORS}) == len(DETECTORS)


def test_duplicate_names_fail_loudly() -> None:
    with pytest.raises(DuplicateDetectorError):
        check_unique([DETECTORS[0], DETECTORS[0]])


@pytest.fixture(params=DETECTORS, ids=lambda d: d.name)
def detector(request: pytest.FixtureRequest) -> Detector:
    return request.param  # type: ignore[no-any-return]


def test_is_a_detector_with_version(detector: Detector) -> None:
    assert isinstance(detector, Detector)
    assert detector.version >= 1
    assert detector.elements
    assert ref(detector) == f"{detector.name}@{detector.version}"


def test_ships_samples(detector: Detector) -> None:
    assert detector.positive_samples
    assert detector.negative_samples


def test_positive_samples_found(detector: Detector) -> None:
    for sample in detector.positive_samples:
        matches = list(detector.find(sample))
        assert matches, f"{detector.name}: nothing found in a positive sample"
        for m in matches:
            assert m.element in detector.elements
            assert m.detector == ref(detector)
            assert 0.0 <= m.confidence <= 1.0
            assert 0 <= m.start < m.end <= len(sample)
            assert sample[m.start : m.end] == m.value


def test_negative_samples_clean(detector: Detector) -> None:
    for sample in detector.negative_samples:
        assert list(detector.find(sample)) == [], f"{detector.name}: match in a negative sample"


def test_picklable(detector: Detector) -> None:
    clone = pickle.loads(pickle.dumps(detector))  # noqa: S301 - our own object
    assert clone == detector
    sample = detector.positive_samples[0]
    assert [m.span for m in clone.find(sample)] == [m.span for m in detector.find(sample)]


def test_no_raw_value_in_repr(detector: Detector) -> None:
    for sample in detector.positive_samples:
        for m in detector.find(sample):
            assert m.value not in repr(m)
            assert m.value not in str(m)


@pytest.mark.parametrize(
    "junk", ["", " ", "\x00\x01\x02", "💳" * 50, "9" * 5000, "@" * 300, "$2b$" * 40, "\n\n\t"]
)
def test_corrupt_input_does_not_raise(detector: Detector, junk: str) -> None:
    list(detector.find(junk))
    detector.classify(junk)


def test_plugins_join_the_registry_and_duplicates_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import dataclass

    from breachdesk.discovery import registry
    from breachdesk.discovery.detectors.email import EmailDetector

    @dataclass(frozen=True, slots=True)
    class ExtraEmail(EmailDetector):
        name: str = "extra_email"

    monkeypatch.setattr(registry, "plugin_factories", lambda: [("extra", ExtraEmail)])
    assert registry.load_detectors()[-1].name == "extra_email"
    monkeypatch.setattr(registry, "plugin_factories", lambda: [("dup", EmailDetector)])
    with pytest.raises(DuplicateDetectorError):
        registry.load_detectors()
    monkeypatch.setattr(registry, "plugin_factories", lambda: [("bad", object)])
    with pytest.raises(TypeError):
        registry.load_detectors()
