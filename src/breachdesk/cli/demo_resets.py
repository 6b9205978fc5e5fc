"""The credential-reset step of ``breachdesk demo``: assess, plan, reset a demo user database."""

from __future__ import annotations

from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from breachdesk.adapters.resets.demo_db import change_passwords, create_demo_userdb
from breachdesk.bootstrap import Workspace, credential_resets
from breachdesk.cli.output import console, err_console
from breachdesk.core.ids import IncidentId

DEMO_PROVIDER = "demo-users"
COMPLETED_SHARE = 0.4  # of the flagged accounts, people who "change their password" in the demo


def reset_step(ws: Workspace, incident_id: IncidentId, base: Path, steps: Table) -> None:
    """Assess leaked hashes, plan the accounts and reset them in a generated user database."""
    services = credential_resets(ws)
    assessed = services.passwords.assess(incident_id, actor=ws.actor)
    plan = services.resets.plan(incident_id, actor=ws.actor)
    users = base / "users.sqlite"
    config = create_demo_userdb(base / "customer_master.sqlite", users)
    services.resets.configure(DEMO_PROVIDER, "sql", config, actor=ws.actor)
    columns = (TextColumn("reset"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err_console, transient=True) as progress:
        bar = progress.add_task("reset", total=len(plan.accounts))
        report = services.resets.run(
            incident_id,
            DEMO_PROVIDER,
            actor=ws.actor,
            execute=True,
            batch=200,
            on_account=lambda _a, _o: progress.advance(bar),
        )
    changed = change_passwords(users, COMPLETED_SHARE)
    status = services.tracking.poll(incident_id, actor=ws.actor, close_at=COMPLETED_SHARE)
    table = Table("Scheme", "Tier", "Values", title="Leaked passwords: what they are worth")
    for s in assessed.schemes:
        table.add_row(s.scheme, s.rationale, f"{s.values:,}")
    console.print(table)
    urgent = sum(a.urgency == "critical" for a in plan.accounts)
    outcomes = ", ".join(f"{k} {v:,}" for k, v in sorted(report.outcomes.items()))
    steps.add_row(
        "reset",
        f"{len(plan.accounts):,} accounts ({urgent:,} critical; {assessed.people_weak:,} with "
        f"weak hashes); {outcomes} in {users.name}; {changed:,} changed their password, "
        f"{status.counts.get('completed', 0):,} completions read back "
        f"({status.completion:.0%}){'; tracking task closed' if status.task_closed else ''}",
    )
