"""Findings use cases on the in-memory fakes: re-import semantics, SLA clock, workflow, audit."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from breachdesk.casefile.incident import IncidentDraft
from breachdesk.core.audit import verify_chain
from breachdesk.core.errors import InvalidInputError, NotFoundError
from breachdesk.core.finding import Finding, FindingStatus, Location, Severity, Skipped
from breachdesk.core.ids import IncidentId
from breachdesk.services.casefile import CaseService
from breachdesk.services.findings import FindingService
from breachdesk.testing import FakeUnitOfWorkFactory, FixedClock
from breachdesk.vulns.sla import parse_sla_days

T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
SQLI = Finding(
    "SQL injection", "bandit", "B608", Severity.HIGH, Location.file("app/db.py", 12), cwe=(89,)
)
XSS = Finding(
    "XSS", "bandit", "B703", Severity.MEDIUM, Location.file("app/views.py", 40), cwe=(79,)
)
KEY = Finding(
    "Key", "bandit", "B105", Severity.LOW, Location.file("app/settings.py", 3), cwe=(259,)
)


class Env:
    """A fake unit of work, a fixed clock, an incident and the service."""

    def __init__(self) -> None:
        self.uow = FakeUnitOfWorkFactory()
        self.clock = FixedClock(T0)
        self.incident = (
            CaseService(self.uow, self.clock)
            .open_incident(IncidentDraft("Leak", T0 - timedelta(days=2)), actor="ana")
            .id
        )
        self.svc = FindingService(self.uow, self.clock, parse_sla_days("high=30,medium=90"))

    def scan(self, *findings: Finding | Skipped, label: str = "repo", tool: str = "bandit"):
        return self.svc.import_findings(self.incident, label, tool, findings, actor="ana")

    def status(self) -> dict[str, FindingStatus]:
        return {
            r.stored.finding.title: r.stored.status for r in self.svc.list_findings(self.incident)
        }

    def later(self, days: int) -> None:
        self.clock.advance(timedelta(days=days))


@pytest.fixture
def env() -> Env:
    return Env()


def test_first_import_opens_findings_with_sla_due_dates(env: Env) -> None:
    outcome = env.scan(SQLI, XSS, replace(SQLI, tool="bandit"), Skipped("r.json", "[3]", "bad"))
    assert (outcome.new, outcome.duplicates, len(outcome.skipped)) == (2, 1, 1)
    rows = {r.stored.finding.title: r.stored for r in env.svc.list_findings(env.incident)}
    assert rows["SQL injection"].due_at == T0 + timedelta(days=30)
    assert rows["XSS"].due_at == T0 + timedelta(days=90)
    assert rows["SQL injection"].status is FindingStatus.OPEN


def test_reimport_without_a_finding_closes_it_with_the_proving_scan(env: Env) -> None:
    env.scan(SQLI, XSS)
    env.later(3)
    second = env.scan(XSS)
    assert (second.fixed, second.seen_again, second.new) == (1, 1, 0)
    fixed = next(
        r.stored
        for r in env.svc.list_findings(env.incident)
        if r.stored.finding is not None and r.stored.finding.title == "SQL injection"
    )
    assert fixed.status is FindingStatus.FIXED
    assert fixed.fixed_by_scan_id == second.scan.id
    assert fixed.fixed_at == T0 + timedelta(days=3)


def test_fixed_finding_that_reappears_is_reopened_and_recurring(env: Env) -> None:
    env.scan(SQLI)
    env.later(1)
    env.scan()
    env.later(10)
    third = env.scan(SQLI)
    assert third.reopened == 1
    (row,) = env.svc.list_findings(env.incident)
    assert row.stored.status is FindingStatus.REOPENED
    assert row.stored.recurring
    assert row.stored.fixed_by_scan_id is None
    assert row.stored.due_at == T0 + timedelta(days=41)  # a new SLA clock from the reopening
    assert row.stored.first_seen_at == T0


def test_other_scopes_neither_close_nor_keep_each_other_wrongly(env: Env) -> None:
    env.scan(SQLI, label="repo-a")
    env.scan(XSS, label="repo-b")  # another scope: SQLI is not proven fixed by it
    assert env.status() == {"SQL injection": FindingStatus.OPEN, "XSS": FindingStatus.OPEN}
    semgrep_sqli = replace(SQLI, tool="semgrep", rule_id="python.sql")
    env.scan(semgrep_sqli, tool="semgrep", label="repo-a")  # same flaw, second tool
    env.scan(label="repo-a")  # bandit no longer reports it, but semgrep's latest scan does
    assert env.status()["SQL injection"] is FindingStatus.OPEN
    env.scan(tool="semgrep", label="repo-a")
    assert env.status()["SQL injection"] is FindingStatus.FIXED
    (row,) = [
        r for r in env.svc.list_findings(env.incident) if r.stored.finding.title == "SQL injection"
    ]
    assert row.stored.tools == ("bandit", "semgrep")


def test_accepted_and_false_positive_survive_reimports_until_expiry(env: Env) -> None:
    env.scan(SQLI, XSS)
    with pytest.raises(InvalidInputError, match="rationale"):
        env.svc.set_status(env.incident, "1", FindingStatus.ACCEPTED, actor="ana")
    with pytest.raises(InvalidInputError, match="expiry"):
        env.svc.set_status(env.incident, "1", FindingStatus.ACCEPTED, actor="ana", note="legacy")
    env.svc.set_status(
        env.incident, "1", FindingStatus.ACCEPTED, actor="ana", note="WAF rule",
        until=T0 + timedelta(days=5),
    )  # fmt: skip
    env.svc.set_status(env.incident, "2", FindingStatus.FALSE_POSITIVE, actor="ana", note="test")
    env.scan(SQLI, XSS)
    assert env.status() == {
        "SQL injection": FindingStatus.ACCEPTED,
        "XSS": FindingStatus.FALSE_POSITIVE,
    }
    env.scan()  # neither is active: absence does not mark them fixed
    assert env.status()["XSS"] is FindingStatus.FALSE_POSITIVE
    env.later(6)
    env.scan(SQLI, XSS)
    assert env.status()["SQL injection"] is FindingStatus.REOPENED


def test_manual_workflow_and_refusals(env: Env) -> None:
    env.scan(SQLI)
    fp = env.svc.list_findings(env.incident)[0].stored.fingerprint
    fixed = env.svc.set_status(env.incident, fp[:8], FindingStatus.FIXED, actor="ana")
    assert fixed.status is FindingStatus.FIXED
    assert fixed.fixed_by_scan_id is None
    with pytest.raises(InvalidInputError, match="already fixed"):
        env.svc.set_status(env.incident, "1", FindingStatus.FIXED, actor="ana")
    again = env.svc.set_status(env.incident, "1", FindingStatus.OPEN, actor="ana", note="not yet")
    assert again.status is FindingStatus.REOPENED
    with pytest.raises(InvalidInputError, match="only an accepted"):
        env.svc.set_status(env.incident, "1", FindingStatus.FIXED, actor="a", until=T0)
    with pytest.raises(NotFoundError):
        env.svc.set_status(env.incident, "99", FindingStatus.FIXED, actor="ana")
    with pytest.raises(InvalidInputError, match="fingerprint"):
        env.svc.set_status(env.incident, "xyz", FindingStatus.FIXED, actor="ana")


def test_overdue_and_filters(env: Env) -> None:
    env.scan(SQLI, XSS, KEY)
    env.later(31)
    overdue = env.svc.list_findings(env.incident, overdue=True)
    assert [r.stored.finding.title for r in overdue] == ["SQL injection"]
    high = env.svc.list_findings(env.incident, severity=Severity.MEDIUM)
    assert [r.stored.finding.title for r in high] == ["SQL injection", "XSS"]
    opened = env.svc.list_findings(env.incident, status=[FindingStatus.FIXED])
    assert opened == []


def test_root_cause_is_recorded_once_and_audited(env: Env) -> None:
    env.scan(SQLI)
    env.svc.mark_root_cause(env.incident, "1", actor="ana")
    with pytest.raises(InvalidInputError, match="already"):
        env.svc.mark_root_cause(env.incident, "1", actor="ana")
    assert [f.finding.title for f in env.svc.root_causes(env.incident)] == ["SQL injection"]
    other = CaseService(env.uow, env.clock).open_incident(IncidentDraft("B", T0), actor="ana").id
    with pytest.raises(NotFoundError, match="not a finding of incident"):
        env.svc.mark_root_cause(IncidentId(other), "1", actor="ana")


def test_every_change_is_one_audit_entry_on_a_valid_chain(env: Env) -> None:
    env.scan(SQLI)
    env.scan()
    env.svc.set_status(env.incident, "1", FindingStatus.OPEN, actor="ana")
    env.svc.mark_root_cause(env.incident, "1", actor="ana")
    entries = env.uow.state.audit
    actions = [e.action for e in entries if e.subject.startswith("findings:")]
    assert actions == [
        "findings.imported",
        "findings.imported",
        "finding.status_changed",
        "finding.root_cause",
    ]
    assert verify_chain(entries) == (len(entries), [])


def test_unknown_incident_writes_nothing(env: Env) -> None:
    before = len(env.uow.state.audit)
    with pytest.raises(NotFoundError):
        env.svc.import_findings(IncidentId(42), "x", "bandit", [SQLI], actor="ana")
    assert len(env.uow.state.audit) == before
    assert env.uow.state.finding_scans == {}
