"""Every registered importer: parses its samples, pickles, survives garbage, hides secrets."""

from __future__ import annotations

import io
import pickle
import random

import pytest

from breachdesk.core.finding import Finding, Skipped
from breachdesk.vulns.importers.base import Importer
from breachdesk.vulns.importers.registry import (
    DuplicateImporterError,
    check_unique,
    detect,
    load_importers,
)

IMPORTERS = load_importers()
IDS = [i.name for i in IMPORTERS]
MARKER = "zz-marker-4111111111111111"


def _parse(importer: Importer, name: str, data: bytes) -> list[Finding | Skipped]:
    return list(importer.parse(io.BytesIO(data), name))


def test_names_are_unique_and_duplicates_fail() -> None:
    assert len(set(IDS)) == len(IDS)
    with pytest.raises(DuplicateImporterError):
        check_unique([IMPORTERS[0], IMPORTERS[0]])


@pytest.mark.parametrize("importer", IMPORTERS, ids=IDS)
def test_parses_its_samples_into_findings(importer: Importer) -> None:
    samples = importer.samples()
    assert samples, "an importer must ship at least one sample"
    for name, data in samples.items():
        items = _parse(importer, name, data)
        assert not [i for i in items if isinstance(i, Skipped)], name
        findings = [i for i in items if isinstance(i, Finding)]
        assert findings, name
        for f in findings:
            assert f.title
            assert f.rule_id is not None
            assert len(f.fingerprint) == 64
        detected = detect(data, name, IMPORTERS)
        assert detected is not None, name
        assert detected.name == importer.name, name


@pytest.mark.parametrize("importer", IMPORTERS, ids=IDS)
def test_parsing_is_deterministic(importer: Importer) -> None:
    for name, data in importer.samples().items():
        first = [i.fingerprint for i in _parse(importer, name, data) if isinstance(i, Finding)]
        again = [i.fingerprint for i in _parse(importer, name, data) if isinstance(i, Finding)]
        assert first == again


@pytest.mark.parametrize("importer", IMPORTERS, ids=IDS)
def test_is_picklable(importer: Importer) -> None:
    clone = pickle.loads(pickle.dumps(importer))  # noqa: S301 - our own bytes
    assert clone.name == importer.name
    assert clone.version == importer.version


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("importer", IMPORTERS, ids=IDS)
def test_garbage_never_raises(importer: Importer, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - test data
    garbage = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4096)))
    for data in (garbage, b"{}", b"[]", b"null", b'{"results": 7}', b"[1, 2]", b"<a/>"):
        for item in _parse(importer, "garbage.bin", data):
            assert isinstance(item, Finding | Skipped)


@pytest.mark.parametrize("importer", IMPORTERS, ids=IDS)
def test_truncated_samples_never_raise(importer: Importer) -> None:
    for name, data in importer.samples().items():
        for cut in (1, len(data) // 3, len(data) // 2, len(data) - 7):
            items = _parse(importer, name, data[: max(cut, 0)])
            assert all(isinstance(i, Finding | Skipped) for i in items)


@pytest.mark.parametrize("importer", IMPORTERS, ids=IDS)
def test_corrupt_sample_is_skipped_with_a_location(importer: Importer) -> None:
    for name, data in importer.samples().items():
        broken = data[: len(data) // 2]
        items = _parse(importer, name, broken)
        skipped = [i for i in items if isinstance(i, Skipped)]
        if importer.name == "sqlmap":  # line-oriented: half a log is still a shorter log
            continue
        assert skipped, name
        assert all(s.source == name for s in skipped)


@pytest.mark.parametrize("importer", IMPORTERS, ids=IDS)
def test_skip_reasons_never_quote_the_input(importer: Importer) -> None:
    marker = MARKER.encode()
    for name, data in importer.samples().items():
        middle = len(data) // 2
        variants = (
            data[:middle] + b"\xff\x00'\"(" + marker + b"\n" + data[middle:],
            marker + b",\n" + data,
            data + b"\n" + marker + b"'\"\xff",
        )
        for variant in variants:
            for item in _parse(importer, name, variant):
                if isinstance(item, Skipped):
                    assert MARKER not in item.reason + item.location + repr(item)


@pytest.mark.parametrize("importer", IMPORTERS, ids=IDS)
def test_evidence_stays_out_of_repr(importer: Importer) -> None:
    for name, data in importer.samples().items():
        for item in _parse(importer, name, data):
            if isinstance(item, Finding):
                assert "evidence=" not in repr(item)


PLUGIN = """
import io
from breachdesk.core.finding import Finding, Location, Severity


class LineImporter:
    name = "{name}"
    version = 1
    extensions = (".txt",)

    def sniff(self, head, name):
        return head.startswith(b"VULN ")

    def parse(self, stream, name):
        for number, line in enumerate(stream.read().decode().splitlines(), start=1):
            yield Finding(line[5:], self.name, "line", Severity.LOW, Location.file(name, number))

    def samples(self):
        return {{"sample.txt": b"VULN weak cipher\\n"}}
"""


@pytest.fixture
def installed_plugin(tmp_path, monkeypatch):
    """A real distribution on sys.path declaring a ``breachdesk.importers`` entry point."""

    def install(name: str) -> None:
        module = f"bd_{name.replace('-', '_')}_importer"  # one module per test: no stale import
        (tmp_path / f"{module}.py").write_text(PLUGIN.format(name=name))
        info = tmp_path / f"{module}-1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 1.0\n")
        (info / "entry_points.txt").write_text(
            f"[breachdesk.importers]\nline = {module}:LineImporter\n"
        )
        monkeypatch.syspath_prepend(str(tmp_path))

    return install


def test_entry_point_importers_join_the_registry(installed_plugin) -> None:
    installed_plugin("line-report")
    found = {i.name: i for i in load_importers()}
    assert "line-report" in found
    items = _parse(found["line-report"], "r.txt", b"VULN weak cipher\nVULN old TLS\n")
    assert [i.title for i in items if isinstance(i, Finding)] == ["weak cipher", "old TLS"]
    assert detect(b"VULN x", "r.txt").name == "line-report"  # type: ignore[union-attr]


def test_a_plugin_reusing_a_builtin_name_fails_loudly(installed_plugin) -> None:
    installed_plugin("bandit")
    with pytest.raises(DuplicateImporterError, match="bandit"):
        load_importers()
