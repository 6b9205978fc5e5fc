"""The demo's final check: what the response found against the scenario's ground truth."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from rich.table import Table

from breachdesk.casefile.report.model import IncidentReport
from breachdesk.cli.output import console, when
from breachdesk.demodata import MANIFEST_NAME
from breachdesk.demodata.truth import GroundTruth
from breachdesk.demodata.weblog import AttackTruth

#: How far the breach window found in the logs may be from the planted one.
WINDOW_SLACK = timedelta(minutes=5)
#: The flaw planted in the demo's shop application.
PLANTED_CWE = "SQL injection"


def compare(
    base: Path, report: IncidentReport, *, known: int, elements: set[str]
) -> list[tuple[str, str, str, bool]]:
    """(what, truth, found, match) for people, elements, attackers, window and findings."""
    truth = GroundTruth.read(base / "leak" / MANIFEST_NAME)
    attack = AttackTruth.read(base / "logs" / "attack_truth.json")
    planted = {e.value for f in truth.files for e in f.all_elements()}
    rows = [
        ("customers affected", f"{truth.people:,}", f"{known:,}", known == truth.people),
        ("elements exposed", f"{len(planted)} kinds",
         _diff(planted, elements), planted == elements),
        ("attacker IPs", ", ".join(sorted(attack.attacker_ips)),
         ", ".join(report.attacker_ips) or "none",
         set(report.attacker_ips) == set(attack.attacker_ips)),
    ]  # fmt: skip
    found_from, found_to = report.occurred_from, report.occurred_to
    window_ok = (
        found_from is not None
        and found_to is not None
        and abs(found_from - attack.start) <= WINDOW_SLACK
        and abs(found_to - attack.end) <= WINDOW_SLACK
    )
    rows.append(
        ("breach window", f"{when(attack.start)} to {when(attack.end)}",
         f"{when(found_from)} to {when(found_to)}", window_ok)
    )  # fmt: skip
    causes = [f for f in report.root_causes if "sql" in f.title.lower()]
    fixed = bool(causes) and all(f.fixed_at is not None for f in causes)
    rows.append(
        ("root cause", f"{PLANTED_CWE}, fixed and re-tested",
         f"{len(causes)} SQL injection finding(s), {'fixed' if fixed else 'not fixed'}",
         fixed)
    )  # fmt: skip
    return rows


def _diff(truth: set[str], found: set[str]) -> str:
    if truth == found:
        return f"{len(found)} kinds, the same"
    parts = [f"{len(found)} kinds"]
    if truth - found:
        parts.append("missed " + ", ".join(sorted(truth - found)))
    if found - truth:
        parts.append("extra " + ", ".join(sorted(found - truth)))
    return "; ".join(parts)


def print_comparison(rows: list[tuple[str, str, str, bool]]) -> bool:
    """Print the comparison table; True when everything matches."""
    table = Table("Check", "Ground truth", "Found by the response", "", title="Against the truth")
    for what, truth, found, ok in rows:
        table.add_row(what, truth, found, "match" if ok else "MISMATCH")
    console.print(table)
    return all(ok for *_, ok in rows)
