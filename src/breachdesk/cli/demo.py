"""``breachdesk demo``: a whole case-file round trip on embedded sample data."""

from __future__ import annotations

import random
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from breachdesk.bootstrap import init_workspace, open_workspace
from breachdesk.casefile.decision import DecisionDraft
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.cli.output import console, settings_of
from breachdesk.core.errors import ExitCode
from breachdesk.core.status import CaseStatus

_FIRST = ("Ana", "Ben", "Chloe", "Dmitri", "Elif", "Farah", "Goran", "Hana", "Ivo", "Jun")
_LAST = ("Alves", "Brandt", "Costa", "Dubois", "Evans", "Fischer", "Garcia", "Huang", "Ito")


def write_samples(folder: Path, *, seed: int = 7, rows: int = 200) -> list[Path]:
    """Write a synthetic leaked export and a web-server log excerpt; return their paths."""
    rng = random.Random(seed)  # noqa: S311 - synthetic sample data, not security
    folder.mkdir(parents=True, exist_ok=True)
    export = folder / "customers_export.csv"
    with export.open("w", encoding="utf-8", newline="") as fh:
        fh.write("customer_id,full_name,email,phone,state,created_at\n")
        for n in range(1, rows + 1):
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            fh.write(
                f"{1000 + n},{first} {last},{first.lower()}.{last.lower()}{n}@example.com,"
                f"+1-555-01{rng.randint(10, 99)},{rng.choice(('CA', 'NY', 'TX', 'WA'))},"
                f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n"
            )
    log = folder / "access.log"
    with log.open("w", encoding="utf-8") as fh:
        for n in range(1, 51):
            fh.write(
                f"203.0.113.{rng.randint(1, 254)} - - [19/Nov/2026:23:{n % 60:02d}:00 +0000]"
                f' "GET /api/customers/{1000 + n} HTTP/1.1" 200 512 "-" "python-requests"\n'
            )
    return [export, log]


def demo(
    ctx: typer.Context,
    keep: Annotated[
        Path | None, typer.Option(help="Keep the demo workspace in this folder.")
    ] = None,
) -> None:
    """Run the response flow on sample data in a fresh workspace and print what happened."""
    base = keep or Path(tempfile.mkdtemp(prefix="breachdesk-demo-"))
    settings = settings_of(ctx).model_copy(
        update={"home": base / "workspace", "database_url": None, "key": None}
    )
    steps = Table("Step", "Result", title="breachdesk demo")
    init = init_workspace(settings)
    steps.add_row("init", f"workspace {init.home}")
    ws = open_workspace(settings)
    try:
        cases, actor = ws.cases, ws.actor
        incident = cases.open_incident(
            IncidentDraft(
                title="Customer DB exposed via API",
                controller="ACME Ltd",
                discovered_at=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
                occurred_from=datetime(2026, 11, 19, 23, 0, tzinfo=UTC),
                summary="Unauthenticated API endpoint returned customer records.",
            ),
            actor=actor,
        )
        steps.add_row(
            "incident open",
            f"incident {incident.id}, {len(cases.tasks(incident.id))} checklist tasks",
        )
        for path in write_samples(base / "samples"):
            added = ws.evidence.add(incident.id, path, actor=actor, description="demo sample")
            steps.add_row("evidence add", f"{path.name} sha256:{added.item.sha256[:12]}...")
        cases.change_status(incident.id, CaseStatus.INVESTIGATING, actor=actor)
        cases.complete_task(
            incident.id,
            "investigate.preserve",
            actor=actor,
            note="exports and logs stored write-once",
        )
        steps.add_row("task done", "investigate.preserve")
        decision = cases.record_decision(
            incident.id,
            DecisionDraft(
                topic="notify regulator",
                decision="Notify the supervisory authority within 72h",
                rationale="Contact details of EU residents were exposed without encryption.",
            ),
            actor=actor,
        )
        steps.add_row("decision add", f"decision {decision.id}: notify regulator")
        checked = ws.evidence.verify(incident.id, actor=actor)
        steps.add_row("evidence verify", f"{sum(r.ok for r in checked)}/{len(checked)} intact")
        report = ws.audit.verify()
        steps.add_row(
            "audit verify", f"{'intact' if report.ok else 'BROKEN'}, {report.entries} entries"
        )
    finally:
        ws.close()
    console.print(steps)
    console.print(
        f"Workspace kept in {settings.home}; try: BREACHDESK_HOME={settings.home} "
        f"breachdesk incident show {incident.id}",
        markup=False,
    )
    if not report.ok or not all(r.ok for r in checked):
        raise typer.Exit(int(ExitCode.INTEGRITY))
