"""The six steps of ``breachdesk run``: each calls the existing services, and is idempotent."""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from pydantic import SecretStr

from breachdesk.bootstrap import (
    Workspace,
    credential_resets,
    load_master,
    make_executor,
    security_testing,
)
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.casefile.playbook import Playbook, approved
from breachdesk.casefile.report.exports import ExportFacts
from breachdesk.cli.campaign import send_all
from breachdesk.cli.report import export_service, report_service
from breachdesk.core.errors import ConfigError, IllegalTransitionError
from breachdesk.core.finding import Skipped
from breachdesk.core.ids import IncidentId
from breachdesk.core.obligation import ContactInfo
from breachdesk.core.status import CaseStatus
from breachdesk.services.campaign import CampaignContent, PersonalItems
from breachdesk.services.logs import IngestOptions
from breachdesk.services.pentest import PentestRequest
from breachdesk.services.playbook import RunContext, StepFunction, StepOutcome


def _files(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file()))
        elif p.is_file():
            out.append(p)
        else:
            raise ConfigError(f"{p}: evidence path does not exist")
    return out


def playbook_incident(ws: Workspace, ctx: RunContext) -> IncidentId:
    """The run's incident; opened once (an incident of the same title and discovery time left
    by a run killed before it recorded the id is taken over, not opened twice)."""
    if ctx.incident_id is not None:
        return IncidentId(ctx.incident_id)
    spec = ctx.playbook.incident
    for existing in ws.cases.list_incidents():
        if existing.title == spec.title and existing.discovered_at == spec.discovered_at:
            ctx.set_incident(int(existing.id))
            return existing.id
    incident = ws.cases.open_incident(
        IncidentDraft(
            title=spec.title,
            controller=spec.controller,
            discovered_at=spec.discovered_at,
            occurred_from=spec.occurred_from,
            occurred_to=spec.occurred_to,
            summary=spec.summary or None,
        ),
        actor=ws.actor,
    )
    ctx.set_incident(int(incident.id))
    return incident.id


def _earliest_due(ws: Workspace, incident_id: IncidentId, recipient: str | None) -> datetime | None:
    report = report_service(ws).read(incident_id)
    dues = [
        o.due_at
        for o in report.obligations
        if o.due_at and o.met_at is None and (recipient is None or o.recipient == recipient)
    ]
    return min(dues, default=None)


def obligations_step(ws: Workspace) -> StepFunction:
    """Open the incident, scan the evidence, link the people, evaluate the obligations."""

    def step(ctx: RunContext) -> StepOutcome:
        book = ctx.playbook
        incident_id = playbook_incident(ws, ctx)
        with contextlib.suppress(IllegalTransitionError):  # a rerun: already investigating
            ws.cases.change_status(incident_id, CaseStatus.INVESTIGATING, actor=ws.actor)
        if book.incident.encrypted or book.incident.key_exposed:
            changes = {
                "encrypted": book.incident.encrypted,
                "key_exposed": book.incident.key_exposed,
            }
            ws.obligations.set_facts(incident_id, changes, actor=ws.actor, rule_folders=book.rules)
        files = _files(book.evidence)
        if files:
            ws.scans.scan(
                files, executor=make_executor(workers=1), actor=ws.actor, incident_id=incident_id
            )
        people = 0
        if book.customer_master is not None:
            m = book.customer_master
            master = load_master(m.source, query=m.query, overrides=None, keys=m.keys)
            people = ws.link.link(incident_id, master, actor=ws.actor).people
        outcome = ws.obligations.evaluate(incident_id, actor=ws.actor, rule_folders=book.rules)
        owed = [o for o in outcome.evaluation.obligations if o.status.value != "review"]
        return StepOutcome(
            "done",
            f"incident {incident_id}: {len(files)} evidence files scanned, {people:,} people "
            f"linked, {len(owed)} obligations owed",
        )

    return step


def _with_transports(ws: Workspace, book: Playbook) -> Workspace:
    """The workspace with the playbook's SMTP and SMS settings (secrets from the environment)."""
    if book.notify is None:
        return ws
    update: dict[str, object] = {}
    smtp, sms = book.notify.smtp, book.notify.sms
    if smtp is not None:
        password = os.environ.get(smtp.password_env) if smtp.password_env else None
        if smtp.password_env and password is None:
            raise ConfigError(f"notify.smtp.password_env: {smtp.password_env} is not set")
        update |= {
            "smtp_host": smtp.host, "smtp_port": smtp.port, "smtp_security": smtp.security,
            "smtp_username": smtp.username,
            "smtp_password": SecretStr(password) if password is not None else None,
            "smtp_from": book.notify.email,
        }  # fmt: skip
    if sms is not None:
        update |= {
            "sms_provider": sms.provider, "sms_url": sms.url, "sms_account": sms.account,
            "sms_sender": sms.sender, "sms_secret_env": sms.secret_env,
        }  # fmt: skip
    if not update:
        return ws
    # model_copy does not validate: the values above already have the fields' types
    return dataclasses.replace(ws, settings=ws.settings.model_copy(update=update))


def _personal_items(ws: Workspace, book: Playbook, incident_id: IncidentId) -> PersonalItems:
    """Reset links (with ``notify.reset_base_url``) and enrolment codes for the notices.

    Links are issued only while nothing is queued: a fresh link voids the older one, so a resumed
    run must not void the links in notices already sent (those queued after a crash go without
    one and the reset reminders carry it)."""
    if book.resets is None:
        return PersonalItems()
    tracking = credential_resets(ws)
    tracking.resets.plan(incident_id, actor=ws.actor)  # the accounts (and codes) to link to
    links: dict[int, str] = {}
    base_url = book.notify.reset_base_url if book.notify else None
    if base_url and not ws.campaigns.counts(incident_id):
        links = tracking.tracking.issue_links(incident_id, base_url, actor=ws.actor)
    return PersonalItems(links, tracking.tracking.codes(incident_id))


def notify_step(ws: Workspace, now: Callable[[], datetime]) -> StepFunction:
    """Approve (pre-recorded), queue and send the individual notices; settle the obligations."""

    def step(ctx: RunContext) -> StepOutcome:
        book, incident_id = ctx.playbook, playbook_incident(ws, ctx)
        if book.notify is None:
            return StepOutcome("skipped", "no notify section: notices left to the responders")
        gate = book.approvals.notices
        existing = ws.campaigns.approval(incident_id)
        if existing is None and not approved(gate, now()):
            return StepOutcome(
                "waiting", "notices planned, not approved",
                "counsel: review `breachdesk notify preview` and approve the notices",
                _earliest_due(ws, incident_id, "individuals"),
            )  # fmt: skip
        n = book.notify
        plan = ws.campaigns.plan(incident_id, actor=ws.actor)
        if existing is None and gate is not None:
            content = CampaignContent(
                book.incident.controller,
                ContactInfo(n.sender, email=n.email, url=n.url, phone=n.phone),
                n.measures,
            )
            ws.campaigns.approve(incident_id, content, actor=gate.by, role=gate.role)
        personal = _personal_items(ws, book, incident_id)
        queued = ws.campaigns.queue(incident_id, actor=ws.actor, plan=plan, personal=personal)
        missing = send_all(_with_transports(ws, book), plan)
        settled = ws.campaigns.settle(plan, actor=ws.actor)
        counts = ws.campaigns.counts(incident_id)
        delivered = sum(v for (_, s), v in counts.items() if s.value == "delivered")
        return StepOutcome(
            "done",
            f"{queued.queued:,} queued now ({queued.already:,} before), {delivered:,} delivered; "
            f"{sum(s.newly_met for s in settled)} obligations met"
            + (f"; no transport for {', '.join(missing)}" if missing else ""),
        )

    return step


def resets_step(ws: Workspace, now: Callable[[], datetime]) -> StepFunction:
    """Assess the leaked passwords, plan and (when approved) execute the resets."""

    def step(ctx: RunContext) -> StepOutcome:
        book, incident_id = ctx.playbook, playbook_incident(ws, ctx)
        if book.resets is None:
            return StepOutcome("skipped", "no resets section: no identity store to reset")
        services = credential_resets(ws)
        services.passwords.assess(incident_id, actor=ws.actor)
        plan = services.resets.plan(incident_id, actor=ws.actor)
        if not approved(book.approvals.resets, now()):
            return StepOutcome(
                "waiting", f"{len(plan.accounts):,} accounts planned, execution not approved",
                "security lead: approve the reset execution (`breachdesk reset run --execute`)",
            )  # fmt: skip
        p = book.resets
        services.resets.configure(p.name, p.kind, p.config, actor=ws.actor)
        report = services.resets.run(incident_id, p.name, actor=ws.actor, execute=True, batch=200)
        outcomes = ", ".join(f"{k} {v:,}" for k, v in sorted(report.outcomes.items()))
        return StepOutcome("done", f"{len(plan.accounts):,} accounts: {outcomes or 'none to do'}")

    return step


def investigate_step(ws: Workspace) -> StepFunction:
    """Ingest the logs, map record URLs, analyse with the Sigma folders and apply the window."""

    def step(ctx: RunContext) -> StepOutcome:
        book, incident_id = ctx.playbook, playbook_incident(ws, ctx)
        if not book.logs:
            return StepOutcome("skipped", "no log sources")
        for source in book.logs:
            options = IngestOptions(format=source.format or "auto")
            ws.logs.ingest(incident_id, [source.path], options, actor=ws.actor)
        for source in book.logs:
            for pattern in source.url_map:  # recorded once: a second add is a no-op
                ws.investigation.add_map(incident_id, pattern, actor=ws.actor)
        report = ws.investigation.analyze(
            incident_id, rule_dirs=book.sigma, actor=ws.actor, apply=True
        )
        return StepOutcome(
            "done",
            f"{report.events:,} events, {len(report.detections)} detections, attacker IPs "
            f"{', '.join(report.attacker_ips[:5]) or 'none'}; "
            f"{report.accessed_people:,} accessed people confirmed",
        )

    return step


def findings_step(ws: Workspace, now: Callable[[], datetime]) -> StepFunction:
    """Scan the code paths; test the authorised targets when the pentest is approved."""

    def step(ctx: RunContext) -> StepOutcome:
        book, incident_id = ctx.playbook, playbook_incident(ws, ctx)
        testing = security_testing(ws)
        tools: list[str] = []
        for tree in book.code:
            results = testing.code.scan(incident_id, tree, actor=ws.actor)
            tools += [r.tool for r in results if not isinstance(r.outcome, Skipped)]
        if book.pentest is not None:
            gate = book.approvals.pentest
            if not approved(gate, now()):
                return StepOutcome(
                    "waiting", f"code scanned by {', '.join(tools) or 'no tool'}; web test held",
                    "application owner: authorise the web test of "
                    + ", ".join(book.pentest.targets),
                )  # fmt: skip
            for target in book.pentest.targets:
                testing.pentest.run(
                    incident_id, PentestRequest(target).validated(), actor=ws.actor,
                    authorized=True, basis={"approved_by": gate.by if gate else ""},
                )  # fmt: skip
        found = ws.findings.list_findings(incident_id)
        return StepOutcome(
            "done", f"{len(found)} findings ({', '.join(sorted(set(tools))) or 'no code tools'})"
        )

    return step


def report_step(ws: Workspace) -> StepFunction:
    """Write the reports and exports the playbook names into its report folder."""

    def step(ctx: RunContext) -> StepOutcome:
        book, incident_id = ctx.playbook, playbook_incident(ws, ctx)
        spec, dpo = book.report, book.incident.dpo
        written = []
        for fmt in spec.formats:
            target = spec.folder / f"incident-{incident_id}.{fmt}"
            report_service(ws).write(
                incident_id, fmt, target, audience=spec.audience, actor=ws.actor
            )
            written.append(target.name)
        facts = ExportFacts(dpo.name, dpo.email, dpo.phone)
        for kind in spec.exports:
            path = export_service(ws).export(
                incident_id, kind, spec.folder, actor=ws.actor, facts=facts
            )
            written.append(path.name)
        return StepOutcome("done", f"{', '.join(written)} in {spec.folder}")

    return step


def default_steps(ws: Workspace, now: Callable[[], datetime]) -> dict[str, StepFunction]:
    """The built-in implementation of every step, for one workspace."""
    return {
        "obligations": obligations_step(ws),
        "notify": notify_step(ws, now),
        "resets": resets_step(ws, now),
        "investigate": investigate_step(ws),
        "findings": findings_step(ws, now),
        "report": report_step(ws),
    }
