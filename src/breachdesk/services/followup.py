"""Closing the loop: once every root cause is verified fixed, tell people and draft final reports.

Ready when the incident has root-cause findings and every one is ``fixed`` by a scan (a re-test
proved it). Then, once: tick the remediation and prevention tasks the evidence supports, queue the
``followup`` campaign (e-mail, in each person's locale) and write a final-report draft for each
regulator obligation whose rule provides for one (information in phases, GDPR Art. 33(4); a
final report, APPI), all recorded by a ``followup.prepared`` audit entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from breachdesk.core.audit import AuditAction, AuditDraft
from breachdesk.core.clock import Clock
from breachdesk.core.delivery import OutgoingMessage
from breachdesk.core.finding import FindingScan, FindingStatus, StoredFinding
from breachdesk.core.ids import IncidentId
from breachdesk.notify.followup import (
    FINAL_REPORT,
    FOLLOWUP,
    FollowupContext,
    Rendered,
    ReportContext,
    render_document,
)
from breachdesk.services.casefile import CaseService
from breachdesk.services.findings import FindingService
from breachdesk.services.obligations import ObligationService
from breachdesk.services.outbox import queue_notices
from breachdesk.services.people import tick_task
from breachdesk.services.ports import UnitOfWorkFactory

CAMPAIGN = "followup"
TASKS = ("remediate.findings", "remediate.fix", "remediate.retest", "remediate.followup")
_FINAL = re.compile(r"in phases|final report|supplementary report|33\(4\)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Recipient:
    """One person to tell, by e-mail, in their locale."""

    person_id: int
    locale: str
    email: str = field(repr=False)


Recipients = Callable[[IncidentId, str], Sequence[Recipient]]


@dataclass(frozen=True, slots=True)
class LoopResult:
    """Whether the loop closed and what it produced."""

    ready: bool
    reason: str
    queued: int = 0
    reports: tuple[Path, ...] = ()
    tasks: tuple[str, ...] = ()

    def summary(self) -> str:
        """One line for the terminal."""
        if not self.ready:
            return f"follow-up not prepared: {self.reason}"
        return (
            f"follow-up: {self.queued} notices queued (campaign {CAMPAIGN}), "
            f"{len({p.stem for p in self.reports})} final report drafts (text and HTML), "
            f"tasks done: {', '.join(self.tasks) or '-'}"
        )

    def as_json(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "ready": self.ready,
            "reason": self.reason,
            "queued": self.queued,
            "reports": [str(p) for p in self.reports],
            "tasks": list(self.tasks),
        }


@dataclass(frozen=True, slots=True)
class Sender:
    """Who signs the follow-up and the reports."""

    organisation: str = "The organisation"
    contact: str = "[contact point]"


class FollowupService:
    """Check the root causes, then queue the follow-up notices and draft the final reports."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        cases: CaseService,
        findings: FindingService,
        obligations: ObligationService,
        *,
        recipients: Recipients,
        reports_dir: Path,
    ) -> None:
        self._uow, self._clock, self._cases = uow, clock, cases
        self._findings, self._obligations = findings, obligations
        self._recipients, self._reports = recipients, reports_dir

    def readiness(self, incident_id: IncidentId) -> tuple[bool, str, list[StoredFinding]]:
        """Whether every root cause is verified fixed, why not, and the root causes."""
        roots = self._findings.root_causes(incident_id)
        if not roots:
            return False, "no root-cause finding recorded (`findings root-cause ID F`)", roots
        open_ = [f for f in roots if f.status is not FindingStatus.FIXED or not f.fixed_by_scan_id]
        if open_:
            return False, f"{len(open_)} of {len(roots)} root causes not verified fixed", roots
        return True, "every root cause verified fixed by a re-test", roots

    def _done_before(self, incident_id: IncidentId) -> bool:
        with self._uow() as uow:
            return any(
                e.action == AuditAction.FOLLOWUP_PREPARED.value
                for e in uow.audit.entries(incident_id)
            )

    def close_loop(
        self, incident_id: IncidentId, *, actor: str, sender: Sender | None = None
    ) -> LoopResult:
        """Prepare the follow-up once the root causes are fixed; a second call changes nothing."""
        ready, reason, roots = self.readiness(incident_id)
        if not ready:
            return LoopResult(False, reason)
        if self._done_before(incident_id):
            return LoopResult(True, "follow-up already prepared")
        sender = sender or Sender()
        with self._uow() as uow:
            incident = uow.incidents.get(incident_id)
        verified = max(f.fixed_at for f in roots if f.fixed_at).date()
        changes = tuple(
            dict.fromkeys(
                f"Fixed: {f.finding.title} ({f.finding.location.describe()})" for f in roots
            )
        )
        context = FollowupContext(
            sender.organisation, incident.title, changes, verified, sender.contact
        )
        messages = self._messages(incident_id, context, actor)
        ids = queue_notices(self._uow, self._clock, messages, actor=actor) if messages else []
        reports = self._final_reports(incident_id, roots, context, sender, len(ids), actor)
        tasks = self._tick(incident_id, actor, reports, len(ids))
        return LoopResult(True, reason, len(ids), tuple(reports), tasks)

    def _messages(
        self, incident_id: IncidentId, context: FollowupContext, actor: str
    ) -> list[OutgoingMessage]:
        rendered: dict[str, Rendered] = {}
        out = []
        for r in self._recipients(incident_id, actor):
            doc = rendered.get(r.locale) or render_document(FOLLOWUP, r.locale, context)
            rendered[r.locale] = doc
            out.append(
                OutgoingMessage(
                    incident_id,
                    r.person_id,
                    CAMPAIGN,
                    "email",
                    r.email,
                    doc.subject,
                    doc.text,
                    doc.html,
                    doc.content_hash,
                    doc.version,
                )
            )
        return out

    def _final_reports(
        self,
        incident_id: IncidentId,
        roots: list[StoredFinding],
        context: FollowupContext,
        sender: Sender,
        notified: int,
        actor: str,
    ) -> list[Path]:
        outcome = self._obligations.evaluate(incident_id, actor=actor)
        rules = {r.rule.id: r.rule for r in outcome.ruleset.loaded}
        base = self._report_base(incident_id, roots, context, sender, notified)
        written: list[Path] = []
        for ob in outcome.evaluation.obligations:
            rule = rules.get(ob.rule_id)
            if ob.recipient != "regulator" or rule is None or ob.status.value == "not_applicable":
                continue
            if not any(
                _FINAL.search(t) for t in [*rule.notes, *(n.when or "" for n in rule.notices)]
            ):
                continue
            report = replace(
                base,
                regime=ob.regime,
                citations=ob.citations,
                people=ob.people,
                notes=tuple(t for t in rule.notes if _FINAL.search(t)),
            )
            doc = render_document(FINAL_REPORT, "en", report)
            stem = self._reports / f"incident-{incident_id}" / f"final-report-{ob.rule_id}"
            stem.parent.mkdir(parents=True, exist_ok=True)
            for suffix, body in ((".txt", doc.text), (".html", doc.html)):
                stem.with_suffix(suffix).write_text(body, encoding="utf-8")
                written.append(stem.with_suffix(suffix))
        return written

    def _report_base(
        self,
        incident_id: IncidentId,
        roots: list[StoredFinding],
        context: FollowupContext,
        sender: Sender,
        notified: int,
    ) -> ReportContext:
        """What every final report of the incident states; the obligation fills in the rest."""
        with self._uow() as uow:
            incident = uow.incidents.get(incident_id)
            groups = uow.obligations.residence_groups(incident_id)
        active = self._findings.list_findings(
            incident_id, status=(FindingStatus.OPEN, FindingStatus.REOPENED)
        )
        scans: dict[int, FindingScan] = {s.id: s for s in self._findings.scans(incident_id)}
        fixed = tuple(
            (
                f.finding.title,
                f.finding.location.describe(),
                f"proved by scan {f.fixed_by_scan_id} ({scans[f.fixed_by_scan_id].tool}) "
                f"on {f.fixed_at.date().isoformat() if f.fixed_at else '-'}",
            )
            for f in roots
            if f.fixed_by_scan_id in scans
        )
        occurred = incident.occurred_from.isoformat() if incident.occurred_from else "unknown"
        return ReportContext(
            organisation=sender.organisation,
            regime="",
            citations=(),
            incident_title=incident.title,
            incident_description=incident.summary or incident.title,
            discovered_at=incident.discovered_at.isoformat(),
            occurred=occurred,
            people=0,
            categories=tuple(sorted({e for *_, el in groups for e in el.split(",") if e})),
            root_causes=tuple(
                f"{f.finding.title} ({f.finding.location.describe()})" for f in roots
            ),
            fixed=fixed,
            verified_on=context.verified_on,
            notified_people=notified,
            contact=sender.contact,
            open_findings=len(active),
        )

    def _tick(
        self, incident_id: IncidentId, actor: str, reports: list[Path], queued: int
    ) -> tuple[str, ...]:
        with self._uow() as uow:
            tasks = {t.key: t for t in uow.tasks.for_incident(incident_id)}
            wanted = list(TASKS)
            if any(e.action == AuditAction.PENTEST_AUTHORISED.value
                   for e in uow.audit.entries(incident_id)):  # fmt: skip
                wanted.append("prevent.pentest")  # an authorised test was run
            if uow.schedules.for_incident(incident_id):
                wanted.append("prevent.scanning")  # repeatable testing is scheduled
            keys = [k for k in wanted if k in tasks and tasks[k].status.value != "done"]
            for key in keys:
                tick_task(uow, incident_id, key, actor=actor, clock=self._clock)
            uow.audit.append(
                AuditDraft(
                    at=self._clock.now(),
                    actor=actor,
                    action=AuditAction.FOLLOWUP_PREPARED,
                    subject=f"followup:{incident_id}",
                    incident_id=incident_id,
                    details={
                        "campaign": CAMPAIGN,
                        "queued": queued,
                        "reports": [p.name for p in reports],
                        "tasks": keys,
                    },
                )
            )
            uow.commit()
        return tuple(keys)
