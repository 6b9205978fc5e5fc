"""Format details each importer must get right, on small inline reports."""

from __future__ import annotations

import io
import json

from breachdesk.core.finding import Finding, LocationKind, Severity, Skipped
from breachdesk.vulns.importers.registry import find


def parse(tool: str, data: bytes | str, name: str = "report") -> list[Finding | Skipped]:
    importer = find(tool)
    assert importer is not None
    raw = data.encode() if isinstance(data, str) else data
    return list(importer.parse(io.BytesIO(raw), name))


def findings(tool: str, data: bytes | str) -> list[Finding]:
    items = parse(tool, data)
    assert not [i for i in items if isinstance(i, Skipped)]
    return [i for i in items if isinstance(i, Finding)]


def sarif(results: list[dict], rules: list[dict] | None = None, **tool: object) -> str:
    driver = {"name": "Some Tool", "rules": rules or []}
    return json.dumps(
        {"version": "2.1.0", "runs": [{"tool": {"driver": driver, **tool}, "results": results}]}
    )


def test_sarif_rules_by_index_extensions_arguments_and_scores() -> None:
    rules = [{"id": "R1", "properties": {"security-severity": "9.1", "tags": ["CWE-79"]}}]
    ext = {
        "extensions": [
            {
                "name": "pack",
                "rules": [
                    {"id": "R2", "messageStrings": {"m": {"text": "Tainted {0} reaches {1}"}}}
                ],
            }
        ]
    }
    results = [
        {
            "ruleIndex": 0,
            "message": {"text": "xss"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": "a.js"},
                        "region": {"startLine": 3},
                    }
                }
            ],
        },
        {"ruleId": "R2", "level": "note", "message": {"id": "m", "arguments": ["name", "sql"]}},
        {"ruleId": "R3", "kind": "informational", "message": {"text": "fyi"}},
        {"ruleId": "R4", "kind": "pass", "message": {"text": "ok"}},
        {"ruleId": "R5", "message": {"text": "x"}, "suppressions": [{"status": "rejected"}]},
        {"ruleId": "R6", "message": {"text": "x"}, "suppressions": [{"status": "underReview"}]},
    ]
    found = findings("sarif", sarif(results, rules, **ext))
    assert [f.rule_id for f in found] == ["R1", "R2", "R3", "R5", "R6"]
    assert found[0].severity is Severity.CRITICAL
    assert found[0].cwe == (79,)
    assert found[0].location.describe() == "a.js:3"
    assert found[0].tool == "some-tool"
    assert found[1].title == "Tainted name reaches sql"
    assert found[1].severity is Severity.LOW
    assert found[1].location.kind is LocationKind.NONE
    assert found[2].severity is Severity.INFO


def test_sarif_other_versions_and_shapes_are_skipped() -> None:
    assert isinstance(parse("sarif", '{"version": "2.0.0", "runs": []}')[0], Skipped)
    assert isinstance(parse("sarif", '{"runs": {}}')[0], Skipped)


def test_nuclei_failed_matches_are_not_findings() -> None:
    line = {"template-id": "t", "info": {"name": "T", "severity": "high"}, "host": "h:22"}
    data = "\n".join(
        json.dumps(line | extra) for extra in ({}, {"matcher-status": False}, {"port": "x"})
    )
    found = findings("nuclei", data)
    assert len(found) == 2
    assert found[0].location.describe() == "h:22"
    assert found[0].severity is Severity.HIGH


def test_trivy_passed_checks_and_secrets() -> None:
    report = {
        "SchemaVersion": 2,
        "Results": [
            {
                "Target": "Dockerfile",
                "Misconfigurations": [
                    {"ID": "DS1", "Title": "t", "Severity": "LOW", "Status": "PASS"},
                    {
                        "ID": "DS2",
                        "Title": "t",
                        "Severity": "HIGH",
                        "Status": "FAIL",
                        "CauseMetadata": {"StartLine": 4},
                    },
                ],
                "Secrets": [
                    {
                        "RuleID": "aws",
                        "Severity": "CRITICAL",
                        "StartLine": 2,
                        "Match": "AWS_KEY=AKIAIOSFODNN7EXAMPLE",
                    }
                ],
            }
        ],
    }
    found = findings("trivy", json.dumps(report))
    assert [f.rule_id for f in found] == ["DS2", "aws"]
    assert found[0].location.describe() == "Dockerfile:4"
    assert "AKIAIOSFODNN7EXAMPLE" not in found[1].evidence
    assert found[1].cwe == (798,)


def test_pip_audit_dependencies_it_could_not_audit_are_not_findings() -> None:
    report = [
        {"name": "x", "skip_reason": "not on PyPI"},
        {
            "name": "y",
            "version": "1",
            "vulns": [{"id": "PYSEC-1", "aliases": ["CVE-2020-1234"], "fix_versions": ["2"]}],
        },
    ]
    (only,) = findings("pip-audit", json.dumps(report))
    assert only.cve == ("CVE-2020-1234",)
    assert only.location.describe() == "y@1"


def test_gitleaks_redacted_and_personal_fields() -> None:
    leak = {
        "line": "token = REDACTED",
        "offender": "REDACTED",
        "rule": "Generic",
        "file": "a.py",
        "lineNumber": "7",
        "author": "Ann Example",
        "email": "ann@example.com",
    }
    (only,) = findings("gitleaks", json.dumps([leak]))
    assert only.location.describe() == "a.py:7"
    assert "ann@example.com" not in repr(only) + only.description + only.evidence


def test_zap_before_2_9_and_json_reports() -> None:
    xml = b"""<?xml version="1.0"?><OWASPZAPReport version="2.7.0"><site name="http://h">
    <alerts><alertitem><pluginid>10020</pluginid><alert>X-Frame-Options Header Not Set</alert>
    <riskcode>2</riskcode><uri>http://h/a</uri><param>X-Frame-Options</param><cweid>16</cweid>
    </alertitem></alerts></site></OWASPZAPReport>"""
    (only,) = findings("zap", xml)
    assert only.location.describe() == "http://h/a [X-Frame-Options]"
    assert only.severity is Severity.MEDIUM


def test_zap_alerts_marked_false_positive_are_left_out() -> None:
    alert = {"pluginid": "1", "alert": "A", "riskcode": "2", "confidence": "0", "instances": []}
    report = {"site": [{"@name": "http://h", "alerts": [alert, alert | {"confidence": "2"}]}]}
    assert len(findings("zap", json.dumps(report))) == 1


def test_xml_entities_are_refused_not_expanded() -> None:
    bomb = b"""<?xml version="1.0"?><!DOCTYPE n [<!ENTITY a "aaaaaaaaaa">
    <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><nmaprun><host>&b;</host></nmaprun>"""
    (skipped,) = parse("nmap", bomb)
    assert isinstance(skipped, Skipped)
    assert "entity" in skipped.reason


def test_nmap_closed_ports_are_not_findings() -> None:
    xml = b"""<nmaprun><host><address addr="10.0.0.5" addrtype="ipv4"/><ports>
    <port protocol="tcp" portid="23"><state state="closed"/></port>
    <port protocol="udp" portid="161"><state state="open"/><service name="snmp"/></port>
    </ports></host></nmaprun>"""
    (only,) = findings("nmap", xml)
    assert only.location.describe() == "10.0.0.5:161/udp"
    assert only.severity is Severity.INFO


def test_sqlmap_rows_without_a_parameter_are_skipped() -> None:
    csv_text = "Target URL,Place,Parameter,Technique(s),Note(s)\nhttp://h/a?id=1,GET,,B,\n"
    (skipped,) = parse("sqlmap", csv_text)
    assert isinstance(skipped, Skipped)
    assert skipped.location == "line 2"


def test_semgrep_supply_chain_findings_are_package_locations() -> None:
    vuln = {
        "title": "Bad",
        "advisory": {
            "ruleId": "ssc-1",
            "severity": "CRITICAL",
            "references": {"cveIds": ["CVE-2023-1428"], "cweIds": ["CWE-617: x"]},
        },
        "matchedDependency": {"name": "grpcio", "versionSpecifier": "1.47.0"},
    }
    (only,) = findings("semgrep", json.dumps({"vulns": [vuln]}))
    assert only.location.describe() == "grpcio@1.47.0"
    assert (only.severity, only.cve, only.cwe) == (Severity.CRITICAL, ("CVE-2023-1428",), (617,))
