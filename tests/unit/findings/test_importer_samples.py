"""Every shared scanner sample parses with its importer; counts come from the files read plainly."""

from __future__ import annotations

import csv
import io
import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from breachdesk.core.finding import Finding, Skipped
from breachdesk.vulns.importers.registry import detect, find

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data" / "scanners"


def _json(path: Path) -> Any:
    text = path.read_text(encoding="utf-8-sig")
    return json.loads(text) if text.strip() else None


def _bandit(path: Path) -> int:
    return len(_json(path)["results"])


def _semgrep(path: Path) -> int:
    data = _json(path)
    return len(data.get("results", [])) + len(data.get("vulns", []))


def _pip_audit(path: Path) -> int:
    data = _json(path)
    deps = data["dependencies"] if isinstance(data, dict) else data
    return sum(len(d.get("vulns") or []) for d in deps)


def _osv(path: Path) -> int:
    data = _json(path) or {"results": []}
    return sum(len(p["vulnerabilities"]) for r in data["results"] for p in r["packages"])


def _trivy_results(data: Any) -> list[dict[str, Any]]:
    if data is None:
        return []
    if isinstance(data, list):
        return data
    found = list(data.get("Results") or [])
    for group in ("Vulnerabilities", "Misconfigurations", "Resources"):
        if "ClusterName" in data:
            for resource in data.get(group) or []:
                found += resource.get("Results") or []
    return found


def _trivy(path: Path) -> int:
    total = 0
    for result in _trivy_results(_json(path)):
        total += sum(1 for v in result.get("Vulnerabilities") or [] if v.get("VulnerabilityID"))
        total += sum(1 for m in result.get("Misconfigurations") or [] if m.get("Status") != "PASS")
        total += len(result.get("Secrets") or []) + len(result.get("Licenses") or [])
    return total


def _trivy_skipped(path: Path) -> int:
    results = _trivy_results(_json(path))
    return sum(
        1 for r in results for v in r.get("Vulnerabilities") or [] if not v.get("VulnerabilityID")
    )


def _nuclei(path: Path) -> int:
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("["):
        values = json.loads(text)
    else:
        values = [json.loads(line) for line in text.splitlines() if line.strip()]
    return sum(1 for v in values if v.get("matcher-status") is not False)


def _zap(path: Path) -> int:
    root = ET.parse(path).getroot()  # noqa: S314 - trusted test data
    return sum(
        max(1, len(item.findall(".//instance")))
        for item in root.iter("alertitem")
        if item.findtext("confidence") != "0"  # ZAP's own false-positive mark
    )


def _nmap(path: Path) -> int:
    root = ET.parse(path).getroot()  # noqa: S314 - trusted test data
    total = 0
    for port in root.iter("port"):
        state = port.find("state")
        if state is None or state.get("state") != "open":
            continue
        total += 1
        for table in port.iter("table"):
            kinds = [e.text for e in table.findall("elem") if e.get("key") == "type"]
            total += kinds == ["cve"]
    return total


def _detect_secrets(path: Path) -> int:
    results = _json(path)["results"]
    return sum(
        1 for entries in results.values() for e in entries if e.get("is_secret") is not False
    )


def _gitleaks(path: Path) -> int:
    return len(_json(path) or [])


def _sqlmap(path: Path) -> int:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".csv":
        return sum(1 for row in list(csv.reader(io.StringIO(text)))[1:] if row)
    return sum(1 for line in text.splitlines() if line.startswith("Parameter: "))


def _sarif(path: Path) -> int:
    total = 0
    for run in _json(path).get("runs", []):
        for result in run.get("results") or []:
            suppressed = any(
                s.get("status", "accepted") == "accepted" for s in result.get("suppressions") or []
            )
            total += (
                not suppressed
                and result.get("baselineState") != "absent"
                and result.get("kind", "fail") not in ("pass", "notApplicable")
            )
    return total


COUNTERS: dict[str, tuple[str, Callable[[Path], int]]] = {
    "bandit": ("bandit", _bandit),
    "semgrep": ("semgrep", _semgrep),
    "pip_audit": ("pip-audit", _pip_audit),
    "osv_scanner": ("osv-scanner", _osv),
    "trivy": ("trivy", _trivy),
    "nuclei": ("nuclei", _nuclei),
    "zap": ("zap", _zap),
    "nmap": ("nmap", _nmap),
    "detect_secrets": ("detect-secrets", _detect_secrets),
    "gitleaks": ("gitleaks", _gitleaks),
    "sqlmap": ("sqlmap", _sqlmap),
    "sarif": ("sarif", _sarif),
}


def _samples() -> list[tuple[str, Path]]:
    if not SHARED.is_dir():
        return []
    return [
        (folder, path)
        for folder in COUNTERS
        for path in sorted((SHARED / folder).iterdir())
        if path.is_file()
    ]


SAMPLES = _samples()


@pytest.fixture(autouse=True)
def _shared_data_present() -> None:
    if not SHARED.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"shared data missing in CI: {SHARED}")
        pytest.skip("shared scanner samples absent (../shared/data/scanners)")


def test_every_tool_folder_has_samples() -> None:
    folders = {p.name for p in SHARED.iterdir() if p.is_dir()}
    assert folders == set(COUNTERS)
    assert len(SAMPLES) > 100


@pytest.mark.parametrize(("folder", "path"), SAMPLES, ids=[f"{f}/{p.name}" for f, p in SAMPLES])
def test_sample_parses_with_the_counted_findings(folder: str, path: Path) -> None:
    tool, count = COUNTERS[folder]
    importer = find(tool)
    assert importer is not None
    data = path.read_bytes()
    items = list(importer.parse(io.BytesIO(data), path.name))
    findings = [i for i in items if isinstance(i, Finding)]
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert len(findings) == count(path)
    expected_skips = _trivy_skipped(path) if folder == "trivy" else 0
    assert len(skipped) == expected_skips, [s.describe() for s in skipped]
    assert all(f.tool == tool or folder == "sarif" for f in findings)
    if findings:  # auto-detection recognises every report that has something in it
        detected = detect(data[:65536], path.name)
        assert detected is not None
        assert detected.name == tool


def test_secrets_never_reach_the_evidence() -> None:
    for path in sorted((SHARED / "gitleaks").glob("*.json")):
        leaks = _json(path) or []
        importer = find("gitleaks")
        assert importer is not None
        findings = list(importer.parse(io.BytesIO(path.read_bytes()), path.name))
        for leak, finding in zip(leaks, findings, strict=True):
            assert isinstance(finding, Finding)
            secret = leak.get("Secret") or leak.get("offender")
            if secret and secret != "REDACTED" and len(secret) > 3:
                assert secret not in finding.evidence
                assert secret not in finding.description
                assert secret not in finding.title
            for personal in (leak.get("Email"), leak.get("email"), leak.get("Author")):
                if personal:
                    assert personal not in repr(finding) + finding.evidence + finding.description


def test_zap_instances_keep_url_and_parameter() -> None:
    importer = find("zap")
    assert importer is not None
    path = SHARED / "zap" / "5_zap_sample_one.xml"
    findings = list(importer.parse(io.BytesIO(path.read_bytes()), path.name))
    places = {f.location.describe() for f in findings if isinstance(f, Finding)}
    assert "https://mainsite.com/dashboard [opvc]" in places


@pytest.mark.parametrize(("folder", "path"), SAMPLES, ids=[f"{f}/{p.name}" for f, p in SAMPLES])
def test_corrupt_sample_is_skipped_not_raised(folder: str, path: Path) -> None:
    tool, _ = COUNTERS[folder]
    importer = find(tool)
    assert importer is not None
    data = path.read_bytes()
    if len(data.strip()) < 8:
        return  # an empty report has nothing to corrupt
    half = data[: len(data) // 2]
    items = list(importer.parse(io.BytesIO(half), path.name))
    assert all(isinstance(i, Finding | Skipped) for i in items)
    line_oriented = (
        folder == "sqlmap"
        or path.suffix == ".jsonl"
        or (folder == "nuclei" and not data.lstrip().startswith(b"["))
    )
    if not line_oriented:  # a cut document is one skip naming where it broke
        skipped = [i for i in items if isinstance(i, Skipped)]
        assert len(skipped) == 1
        assert skipped[0].source == path.name
