"""The normalised finding: fingerprint recipe, normalisers, severities, CVSS, SLA, masking."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from breachdesk.core.errors import ConfigError
from breachdesk.core.finding import (
    EVIDENCE_LIMIT,
    Finding,
    Location,
    Severity,
    canonical_cwe,
    cve_ids,
    cwe_ids,
    normalise_package,
    normalise_path,
    normalise_url,
)
from breachdesk.vulns.dedupe import dedupe
from breachdesk.vulns.importers.common import evidence, mask_secrets
from breachdesk.vulns.severity import score_vector
from breachdesk.vulns.sla import SlaPolicy, parse_sla_days

SQLI = Finding(
    "SQL injection", "bandit", "B608", Severity.MEDIUM, Location.file("app/db.py", 12), cwe=(89,)
)


def test_same_flaw_from_two_tools_shares_a_fingerprint() -> None:
    semgrep = Finding(
        "formatted SQL", "semgrep", "python.sql", Severity.HIGH,
        Location.file("./app/db.py", 12), cwe=(564,),
    )  # fmt: skip
    sarif = replace(
        SQLI,
        tool="codeql",
        rule_id="py/sql-injection",
        location=Location.file("file:///app/db.py", 12),
    )
    assert SQLI.fingerprint == semgrep.fingerprint == sarif.fingerprint


def test_different_line_rule_or_weakness_differ() -> None:
    assert replace(SQLI, location=Location.file("app/db.py", 13)).fingerprint != SQLI.fingerprint
    assert replace(SQLI, cwe=(79,)).fingerprint != SQLI.fingerprint
    no_cwe = replace(SQLI, cwe=())
    assert replace(no_cwe, rule_id="B609").fingerprint != no_cwe.fingerprint


def test_generic_cwe_classes_do_not_merge_different_checks() -> None:
    csp = Finding("CSP not set", "zap", "10038", Severity.MEDIUM, Location.web("http://h/"), (693,))
    nosniff = replace(csp, title="X-Content-Type-Options missing", rule_id="10021")
    assert csp.fingerprint != nosniff.fingerprint
    assert csp.weakness_key == "rule:zap:10038"
    assert replace(csp, cwe=(693, 1021)).weakness_key == "cwe:1021"


def test_package_advisories_meet_on_the_cve() -> None:
    pip = Finding(
        "x", "pip-audit", "PYSEC-2024-1", Severity.HIGH, Location.dependency("Jinja2", "3.1.2"),
        cve=("CVE-2024-22195",),
    )  # fmt: skip
    trivy = Finding(
        "y", "trivy", "CVE-2024-22195", Severity.MEDIUM,
        Location.dependency("jinja2", "3.1.2", "requirements.txt"), cve=("CVE-2024-22195",),
    )  # fmt: skip
    assert pip.fingerprint == trivy.fingerprint
    assert replace(trivy, location=Location.dependency("jinja2", "3.1.3")).fingerprint != (
        pip.fingerprint
    )


def test_url_locations_ignore_query_default_port_and_case() -> None:
    a = Location.web("HTTP://Example.COM:80/search/?q=1#x", "q")
    b = Location.web("http://example.com/search", "q")
    assert a.key("zap") == b.key("zap")
    assert Location.web("http://example.com/search", "p").key("zap") != b.key("zap")
    assert normalise_url("https://h:8443/") == "https://h:8443"


@given(st.text(alphabet="ab./\\_-", max_size=30))
def test_path_normalisation_is_idempotent(path: str) -> None:
    once = normalise_path(path)
    assert normalise_path(once) == once


@given(st.text(alphabet="Ab._-", min_size=1, max_size=20))
def test_package_normalisation_is_idempotent(name: str) -> None:
    once = normalise_package(name)
    assert normalise_package(once) == once
    assert once == once.lower()


def test_ids_from_text() -> None:
    assert cwe_ids("CWE-89: SQL", "cwe_79", "external/cwe/cwe-089", 22) == (22, 79, 89)
    assert cve_ids("see cve-2021-44228 and CVE-2014-0160, CVE-2021-44228") == (
        "CVE-2014-0160",
        "CVE-2021-44228",
    )
    assert canonical_cwe(564) == 89
    assert canonical_cwe(1234) == 1234


def test_severity_words_and_cvss() -> None:
    assert Severity.parse("Moderate") is Severity.MEDIUM
    assert Severity.parse("ERROR") is Severity.HIGH
    assert Severity.parse("bogus") is None
    assert score_vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H") == (9.8, Severity.CRITICAL)
    v4 = score_vector("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N")
    assert v4 is not None
    assert v4[1] is Severity.MEDIUM
    assert score_vector("AV:N/AC:L/Au:N/C:P/I:P/A:P") == (7.5, Severity.HIGH)
    assert score_vector("CVSS:3.1/AV:Q") is None


def test_evidence_is_bounded_and_out_of_repr() -> None:
    long = replace(SQLI, evidence="x" * 5000)
    assert len(long.evidence) == EVIDENCE_LIMIT
    assert "xxxx" not in repr(long)


def test_secrets_are_masked() -> None:
    text = "token = 'abcd1234efgh' Authorization: Bearer eyJhbGciOi.abc.def AKIAIOSFODNN7EXAMPLE"
    masked = mask_secrets(text)
    for secret in ("abcd1234efgh", "eyJhbGciOi.abc.def", "AKIAIOSFODNN7EXAMPLE"):
        assert secret not in masked
    assert "token" in masked
    assert "s3cr3t-value" not in evidence("x = s3cr3t-value here", ("s3cr3t-value",))
    # no keyword, no known prefix: detect-secrets' entropy detectors find it
    assert "9f8e7d6c5b4a39281726354a5b6c7d8e" not in evidence(
        "x = 9f8e7d6c5b4a39281726354a5b6c7d8e"
    )
    assert evidence('cur.execute("SELECT * FROM t WHERE id = %s" % uid)').endswith("% uid)")
    key = "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----"
    assert "MIIE" not in mask_secrets(key)


def test_dedupe_keeps_the_worst_severity_and_counts() -> None:
    merged = dedupe([SQLI, replace(SQLI, severity=Severity.CRITICAL, tool="semgrep"), SQLI])
    assert len(merged) == 1
    assert merged[0].count == 3
    assert merged[0].finding.severity is Severity.CRITICAL


def test_sla_defaults_and_settings() -> None:
    t0 = datetime(2026, 11, 1, tzinfo=UTC)
    policy = SlaPolicy()
    assert policy.due_at(Severity.CRITICAL, t0) == t0 + timedelta(days=7)
    assert policy.due_at(Severity.LOW, t0) == t0 + timedelta(days=180)
    assert policy.due_at(Severity.INFO, t0) is None
    custom = parse_sla_days("critical=2, high=10")
    assert custom.due_at(Severity.CRITICAL, t0) == t0 + timedelta(days=2)
    assert custom.due_at(Severity.MEDIUM, t0) == t0 + timedelta(days=90)
    assert parse_sla_days('{"info": 365}').due_at(Severity.INFO, t0) == t0 + timedelta(days=365)
    for bad in ("critical", "urgent=3", "high=soon", "low=-1", "{bad json", "[1]"):
        with pytest.raises(ConfigError, match="BREACHDESK_SLA_DAYS"):
            parse_sla_days(bad)


@given(
    st.lists(st.text(alphabet="abc_-1", min_size=1, max_size=6), min_size=1, max_size=4),
    st.integers(min_value=1, max_value=9999),
)
def test_path_spellings_of_one_file_share_the_fingerprint(parts: list[str], line: int) -> None:
    path = "/".join(parts)
    spellings = [path, f"./{path}", f"/{path}", f"file:///{path}", path.replace("/", "\\")]
    prints = {replace(SQLI, location=Location.file(p, line)).fingerprint for p in spellings}
    assert len(prints) == 1
