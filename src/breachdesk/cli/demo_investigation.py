"""The investigation step of ``breachdesk demo``: ingest the web log, analyse, map, confirm."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table

from breachdesk.bootstrap import Workspace
from breachdesk.cli.output import console, when
from breachdesk.core.ids import IncidentId
from breachdesk.demodata import make_people
from breachdesk.demodata.weblog import AttackTruth, write_web_log
from breachdesk.services.logs import IngestOptions

PATTERN = "/api/customers/{customer_id}"


def write_demo_log(base: Path, *, people: int, seed: int) -> Path:
    """The web server's access log of the scenario (truth written beside it)."""
    ids = [p.customer_id for p in make_people(people, seed)]
    log = base / "logs" / "access.log"
    write_web_log(log, ids, seed=seed)
    return log


def investigate(ws: Workspace, incident_id: IncidentId, log: Path, steps: Table) -> None:
    """Ingest, analyse, map record URLs, re-analyse with ``--apply``; compare with the truth."""
    truth = AttackTruth.read(log.parent / "attack_truth.json")
    ws.logs.ingest(incident_id, [log], IngestOptions(), actor=ws.actor)
    ws.investigation.analyze(incident_id, actor=ws.actor)
    ws.investigation.add_map(incident_id, PATTERN, actor=ws.actor)
    report = ws.investigation.analyze(incident_id, actor=ws.actor, apply=True)
    table = Table(
        "Level",
        "Detection",
        "Events",
        "First",
        "Sources",
        title=f"Detections in {report.events:,} web-server events",
    )
    for d in report.detections:
        table.add_row(d.level, d.title, f"{d.count:,}", when(d.first), ", ".join(d.actors[:3]))
    console.print(table)
    planted = set(truth.attacker_ips)
    found = planted & set(report.attacker_ips)
    if report.window:
        drift = max(abs(report.window[0] - truth.start), abs(report.window[1] - truth.end))
        window = (
            f"window {when(report.window[0])} to {when(report.window[1])} "
            f"({drift.total_seconds():.0f} s from the truth)"
        )
    else:
        window = "no window found"
    steps.add_row(
        "investigate",
        f"found {len(found)}/{len(planted)} planted attacker IPs"
        f"{'' if found == set(report.attacker_ips) else ' (and others)'}; {window}; "
        f"{report.accessed_people:,} accessed customers confirmed "
        f"(truth {len(truth.accessed):,}); occurrence window recorded",
    )
