"""``breachdesk demo``: the response flow on a generated breach, in a fresh workspace."""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer
from rich.columns import Columns
from rich.table import Table

from breachdesk.adapters.resets.demo_db import create_demo_userdb
from breachdesk.bootstrap import (
    Workspace,
    init_workspace,
    load_master,
    make_executor,
    open_workspace,
)
from breachdesk.casefile.decision import DecisionDraft
from breachdesk.casefile.playbook import load_playbook
from breachdesk.cli.campaign import send_all
from breachdesk.cli.demo_investigation import investigate, write_demo_log
from breachdesk.cli.demo_playbook import demo_playbook, write_demo_playbook
from breachdesk.cli.demo_resets import reset_step
from breachdesk.cli.demo_truth import compare, print_comparison
from breachdesk.cli.demo_web import add_web_user, print_dashboard_hint
from breachdesk.cli.output import console, settings_of, when
from breachdesk.cli.report import report_service
from breachdesk.cli.run import print_summary, run_playbook
from breachdesk.cli.run_steps import playbook_incident, report_step
from breachdesk.core.delivery import DeliveryState
from breachdesk.core.errors import ExitCode
from breachdesk.core.ids import IncidentId
from breachdesk.core.obligation import ContactInfo
from breachdesk.core.status import CaseStatus
from breachdesk.demodata import MANIFEST_NAME, generate_customer_master, generate_leak
from breachdesk.services.campaign import CampaignContent
from breachdesk.services.playbook import RunContext, StepFunction, StepOutcome


def _leak(base: Path, people: int, seed: int) -> list[Path]:
    master = base / "customer_master.sqlite"
    generate_customer_master(master, people=people, seed=seed)
    generate_leak(master, base / "leak", seed=seed)
    leaked = sorted(p for p in (base / "leak").rglob("*") if p.is_file())
    return [p for p in leaked if p.name != MANIFEST_NAME]


@dataclass
class _Group:
    formats: set[str] = field(default_factory=set)
    files: int = 0
    records: int = 0
    stored: int = 0
    elements: Counter[str] = field(default_factory=Counter)


def _scan(ws: Workspace, incident_id: IncidentId, files: list[Path], steps: Table) -> set[str]:
    outcomes = ws.scans.scan(
        files, executor=make_executor(workers=1), actor=ws.actor, incident_id=incident_id
    )
    leak_dir = files[0].parent if files else Path()
    groups: dict[str, _Group] = {}
    for outcome in outcomes:
        report, path = outcome.report, Path(outcome.report.path)
        group = groups.setdefault(
            path.name if path.parent == leak_dir else f"{path.parent.name}/", _Group()
        )
        group.formats.add(report.format)
        group.files += 1
        group.records += report.records
        group.stored += outcome.stored.records if outcome.stored else 0
        group.elements.update(report.elements)
    findings = Table(
        "Leaked source",
        "Files",
        "Format",
        "Records",
        "With personal data",
        "Elements found (records, or matches in text)",
        title="What the leak holds",
    )
    for name, g in groups.items():
        found = ", ".join(f"{k} {v:,}" for k, v in g.elements.most_common())
        findings.add_row(
            name,
            str(g.files),
            ", ".join(sorted(g.formats)),
            f"{g.records:,}",
            f"{g.stored:,}",
            found or "-",
        )
    console.print(findings)
    kinds = {k for g in groups.values() for k in g.elements}
    steps.add_row("scan", f"{len(outcomes)} leaked files, {len(kinds)} kinds of personal data")
    return kinds


def _link(ws: Workspace, incident_id: IncidentId, master_path: Path, steps: Table) -> int:
    master = load_master(
        f"sqlite:///{master_path}", query="select * from customers", overrides=None, keys=None
    )
    summary = ws.link.link(incident_id, master, actor=ws.actor)
    places = Table("Residence", "People", title="Affected people by jurisdiction (top 12)")
    for place, n in list(summary.by_jurisdiction.items())[:12]:
        places.add_row(place, f"{n:,}")
    elements = Table("Element exposed", "People", title="Affected people by element")
    for element, n in summary.by_element.items():
        elements.add_row(element, f"{n:,}")
    console.print(Columns([places, elements]))
    steps.add_row(
        "link",
        f"{summary.people:,} affected people: {summary.known:,} customers, "
        f"{summary.unknown:,} unknown; {summary.conflicts} conflicts to review",
    )
    return summary.known


def _obligations(ws: Workspace, incident_id: IncidentId, steps: Table) -> None:
    outcome = ws.obligations.evaluate(incident_id, actor=ws.actor)
    table = Table(
        "Jurisdiction",
        "Recipient",
        "Status",
        "Due (UTC)",
        "People",
        "Basis",
        title="Notification obligations, earliest first (first 15; not legal advice)",
    )
    owed = [o for o in outcome.evaluation.obligations if o.status.value != "review"]
    for ob in owed[:15]:
        due = ob.due_at or ob.target_at
        label = when(due) if ob.due_at else f"target {when(due)}"
        table.add_row(
            ob.jurisdiction,
            ob.recipient,
            ob.status.value,
            label,
            f"{ob.people:,}",
            ob.citations[0] if ob.citations else "-",
        )
    console.print(table)
    review = len(outcome.evaluation.obligations) - len(owed)
    steps.add_row(
        "obligations",
        f"{len(owed)} owed, {review} to review; rules as of "
        f"{outcome.evaluation.rules_as_of} (`breachdesk obligations ID --explain`)",
    )


def _notify(ws: Workspace, incident_id: IncidentId, steps: Table) -> None:
    campaigns = ws.campaigns
    plan = campaigns.plan(incident_id, actor=ws.actor)
    contact = ContactInfo("ACME Ltd", email="privacy@acme.example", url="https://acme.example/n")
    content = CampaignContent(
        "ACME Ltd",
        contact,
        "We closed the API endpoint, reset affected credentials and informed the regulators.",
    )
    # pre-recorded: counsel reviewed the previews and approved the campaign
    approval = campaigns.approve(incident_id, content, actor="counsel (demo)", role="counsel")
    queued = campaigns.queue(incident_id, actor=ws.actor, plan=plan)
    missing = send_all(ws, plan)
    counts = campaigns.counts(incident_id)
    settled = campaigns.settle(plan, actor=ws.actor)
    delivered = sum(n for (_, s), n in counts.items() if s is DeliveryState.DELIVERED)
    waiting = sum(n for (c, _), n in counts.items() if c in missing)
    steps.add_row(
        "notify",
        f"approval {approval.id} ({len(approval.templates)} templates); {queued.queued:,} "
        f"queued, {delivered:,} delivered into {ws.layout.home / 'mail'} (Maildir); "
        f"{waiting:,} wait for a {'/'.join(missing) or 'channel'} transport; "
        f"{sum(s.newly_met for s in settled)} individual-notice obligations met",
    )


def _fix_and_follow_up(ws: Workspace, incident_id: IncidentId, base: Path, steps: Table) -> None:
    """Scan the app's code, mark the SQL injection as root cause, fix, re-test, follow up."""
    from breachdesk.bootstrap import security_testing
    from breachdesk.core.finding import Skipped
    from breachdesk.demodata.vulnapp import fix_vulnerable_app, write_vulnerable_app
    from breachdesk.services.followup import Sender

    tree = write_vulnerable_app(base / "shop-app")
    testing = security_testing(ws)
    ran = [
        r.tool
        for r in testing.code.scan(
            incident_id, tree, actor=ws.actor, only=("bandit", "semgrep", "pip-audit")
        )
        if not isinstance(r.outcome, Skipped)
    ]
    sqli = [r.stored for r in ws.findings.list_findings(incident_id) if 89 in r.stored.finding.cwe]
    if not sqli:
        steps.add_row("fix and follow up", "skipped: install bandit or semgrep to scan the code")
        return
    for finding in sqli:
        ws.findings.mark_root_cause(incident_id, str(finding.id), actor=ws.actor)
    fix_vulnerable_app(tree)
    report = testing.retest.retest(incident_id, actor=ws.actor)
    loop = testing.followup.close_loop(
        incident_id, actor=ws.actor, sender=Sender("ACME Ltd", "privacy@acme.example")
    )
    steps.add_row(
        "scan-code, fix, retest",
        f"{', '.join(ran)}: {len(sqli)} SQL injection root cause(s) in {tree.name}/; "
        f"after the fix the re-test closed {report.fixed}, {report.still_open} still open",
    )
    steps.add_row("follow-up", loop.summary())


@dataclass(slots=True)
class _Seen:
    """What the demo's steps found, for the comparison with the ground truth."""

    known: int = 0
    elements: set[str] = field(default_factory=set)


def _last_row(steps: Table) -> str:
    """The result cell of the summary row a demo step added last."""
    cells = list(steps.columns[1].cells)
    return str(cells[-1]) if cells else ""


def _demo_steps(
    ws: Workspace, base: Path, files: list[Path], log: Path, steps: Table, seen: _Seen
) -> dict[str, StepFunction]:
    """The playbook's six steps, each running the demo's own step functions (tables and all)."""

    def obligations(ctx: RunContext) -> StepOutcome:
        incident_id = playbook_incident(ws, ctx)
        steps.add_row(
            "incident open", f"incident {incident_id}, {len(ws.cases.tasks(incident_id))} tasks"
        )
        ws.cases.change_status(incident_id, CaseStatus.INVESTIGATING, actor=ws.actor)
        seen.elements = _scan(ws, incident_id, files, steps)
        seen.known = _link(ws, incident_id, base / "customer_master.sqlite", steps)
        _obligations(ws, incident_id, steps)
        return StepOutcome("done", _last_row(steps))

    def wrap(run: Callable[[IncidentId], None]) -> StepFunction:
        def step(ctx: RunContext) -> StepOutcome:
            run(playbook_incident(ws, ctx))
            return StepOutcome("done", _last_row(steps))

        return step

    def report(ctx: RunContext) -> StepOutcome:
        incident_id = playbook_incident(ws, ctx)
        for key in ("investigate.preserve", "exposure.discover"):
            ws.cases.complete_task(incident_id, key, actor=ws.actor, note="done by the demo")
        steps.add_row("task done", "investigate.preserve, exposure.discover")
        decision = ws.cases.record_decision(
            incident_id,
            DecisionDraft(
                topic="notify regulator",
                decision="Notify the supervisory authority within 72h",
                rationale="Contact details of EU residents were exposed without encryption.",
            ),
            actor=ws.actor,
        )
        steps.add_row("decision add", f"decision {decision.id}: notify regulator")
        outcome = report_step(ws)(ctx)
        steps.add_row("report", outcome.summary)
        return outcome

    return {
        "obligations": obligations,
        "notify": wrap(lambda i: _notify(ws, i, steps)),
        "resets": wrap(lambda i: reset_step(ws, i, base, steps)),
        "investigate": wrap(lambda i: investigate(ws, i, log, steps)),
        "findings": wrap(lambda i: _fix_and_follow_up(ws, i, base, steps)),
        "report": report,
    }


def demo(
    ctx: typer.Context,
    keep: Annotated[Path | None, typer.Option(help="Keep the demo in this folder.")] = None,
    people: Annotated[int, typer.Option(help="Customers in the generated master.")] = 1000,
    seed: Annotated[int, typer.Option(help="Seed of the generated breach.")] = 7,
) -> None:
    """Generate a breach and run its playbook (approvals pre-recorded): scan, link, obligations,
    notices, resets, log analysis, fix and re-test, report; compare with the ground truth."""
    base = keep or Path(tempfile.mkdtemp(prefix="breachdesk-demo-"))
    settings = settings_of(ctx).model_copy(
        update={"home": base / "workspace", "database_url": None, "key": None}
    )
    steps = Table("Step", "Result", title="breachdesk demo")
    steps.add_row("init", f"workspace {init_workspace(settings).home}")
    files = _leak(base, people, seed)
    steps.add_row("generate", f"{people:,} customers, {len(files)} leaked files in {base}")
    log = write_demo_log(base, people=people, seed=seed)
    book_path = write_demo_playbook(
        base,
        demo_playbook(
            base,
            files,
            reset_config=create_demo_userdb(base / "customer_master.sqlite", base / "users.sqlite"),
        ),
    )
    book, digest = load_playbook(book_path)
    steps.add_row("playbook", f"{book_path} (approvals pre-recorded)")
    ws = open_workspace(settings)
    seen = _Seen()
    try:
        summary = run_playbook(
            ws, book, digest, steps=_demo_steps(ws, base, files, log, steps, seen)
        )
        incident_id = IncidentId(summary.incident_id or 0)
        web_login = add_web_user(ws, steps)
        checked = ws.evidence.verify(incident_id, actor=ws.actor)
        steps.add_row("evidence verify", f"{sum(r.ok for r in checked)}/{len(checked)} intact")
        report = ws.audit.verify()
        steps.add_row(
            "audit verify", f"{'intact' if report.ok else 'BROKEN'}, {report.entries} entries"
        )
        final = report_service(ws).read(incident_id)
    finally:
        ws.close()
    console.print(steps)
    print_summary(summary)
    matches = print_comparison(compare(base, final, known=seen.known, elements=seen.elements))
    console.print(
        f"Report: {book.report.folder}/incident-{incident_id}.html (and .pdf)", markup=False
    )
    console.print(
        f"Workspace kept in {settings.home}; try: BREACHDESK_HOME={settings.home} "
        f"breachdesk incident show {incident_id}",
        markup=False,
    )
    print_dashboard_hint(settings.home, incident_id, web_login)
    if not report.ok or not all(r.ok for r in checked):
        raise typer.Exit(int(ExitCode.INTEGRITY))
    if not matches or not summary.complete:
        raise typer.Exit(int(ExitCode.ACTION_NEEDED))
