"""The incident dashboard: checklist, deadline clocks, who is affected, delivery, resets,
detections and open findings, read in one transaction (aggregates only, no personal data)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from breachdesk.casefile.checklist import Task
from breachdesk.casefile.incident import Incident
from breachdesk.core.clock import Clock
from breachdesk.core.finding import FindingStatus, Severity
from breachdesk.core.ids import IncidentId
from breachdesk.core.status import TaskStatus
from breachdesk.services.ports import StoredObligation, UnitOfWorkFactory

_OPEN_FINDINGS = (FindingStatus.OPEN, FindingStatus.REOPENED)


@dataclass(frozen=True, slots=True)
class StepProgress:
    """One of the six response steps: its title and how many of its tasks are done."""

    key: str
    title: str
    done: int
    total: int


@dataclass(frozen=True, slots=True)
class DeadlineClock:
    """A deadline clock of one obligation."""

    id: int
    key: str
    jurisdiction: str
    recipient: str
    due_at: datetime | None
    met_at: datetime | None
    proof: str | None
    late: bool | None
    people: int
    regime: str = ""
    citations: tuple[str, ...] = ()
    explanation: tuple[str, ...] = ()

    def overdue(self, now: datetime) -> bool:
        """Past due and not met."""
        return self.met_at is None and self.due_at is not None and self.due_at < now


@dataclass(frozen=True, slots=True)
class Dashboard:
    """Everything the incident dashboard shows; a panel is empty when its step has no data."""

    incident: Incident
    now: datetime
    steps: tuple[StepProgress, ...]
    clocks: tuple[DeadlineClock, ...]
    by_jurisdiction: tuple[tuple[str, int], ...]
    by_element: tuple[tuple[str, int], ...]
    people: int
    delivery: tuple[tuple[str, str, int], ...]  # channel, state, messages
    resets: tuple[tuple[str, int], ...]  # state, accounts
    detections: tuple[tuple[str, str, int, datetime, datetime], ...]  # title, level, events, span
    findings: tuple[tuple[str, int, int], ...]  # severity, open, overdue


def _steps(tasks: list[Task]) -> tuple[StepProgress, ...]:
    heads = [t for t in tasks if t.parent is None]
    out = []
    for head in heads:
        subs = [t for t in tasks if t.parent == head.key]
        done = sum(t.status is TaskStatus.DONE for t in subs)
        out.append(StepProgress(head.key, head.title, done, len(subs)))
    return tuple(out)


def _clock(o: StoredObligation) -> DeadlineClock:
    proof = o.met_note or (f"evidence {o.proof_evidence_id}" if o.proof_evidence_id else None)
    try:
        why = json.loads(o.data)
    except ValueError:
        why = {}
    return DeadlineClock(
        o.id, o.key, o.jurisdiction, o.recipient, o.due_at or o.target_at, o.met_at, proof,
        o.late, o.people, str(why.get("regime", "")), tuple(why.get("citations", ())),
        tuple(why.get("explanation", ())),
    )  # fmt: skip


class DashboardService:
    """Reads the dashboard of one incident."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def overview(self, incident_id: IncidentId) -> Dashboard:
        """The dashboard of an incident (NotFoundError for an unknown id)."""
        now = self._clock.now()
        with self._uow() as uow:
            incident = uow.incidents.get(incident_id)
            tasks = uow.tasks.for_incident(incident_id)
            obligations = [o for o in uow.obligations.for_incident(incident_id) if o.active]
            # residence and elements only: no contact column is read (nor decrypted)
            people = uow.obligations.residence_groups(incident_id)
            delivery = uow.campaigns.channel_counts(incident_id)
            resets = Counter(a.state.value for a in uow.resets.accounts(incident_id))
            analysis = uow.investigation.latest_analysis(incident_id)
            detections = uow.investigation.detections(analysis.id) if analysis else []
            findings = uow.findings.for_incident(incident_id)
        places: Counter[str] = Counter()
        elements: Counter[str] = Counter()
        for country, region, _, held in people:
            places[region or country or "unknown"] += 1  # regions read "US-CA"
            elements.update(e for e in held.split(",") if e)
        open_findings = [f for f in findings if f.status in _OPEN_FINDINGS]
        present = {f.finding.severity for f in open_findings}
        severities = [s for s in Severity if s in present]
        return Dashboard(
            incident=incident,
            now=now,
            steps=_steps(tasks),
            clocks=tuple(_clock(o) for o in sorted(obligations, key=_due)),
            by_jurisdiction=tuple(places.most_common(12)),
            by_element=tuple(elements.most_common(12)),
            people=len(people),
            delivery=tuple((c, s.value, n) for (c, s), n in sorted(delivery.items())),
            resets=tuple(sorted(resets.items())),
            detections=tuple(
                (d.title, d.level, d.events, d.first_at, d.last_at) for d in detections[:20]
            ),
            findings=tuple(
                (
                    s.value,
                    sum(f.finding.severity == s for f in open_findings),
                    sum(
                        f.finding.severity == s and f.due_at is not None and f.due_at < now
                        for f in open_findings
                    ),
                )
                for s in severities
            ),
        )


def _due(o: StoredObligation) -> tuple[int, datetime]:
    due = o.due_at or o.target_at
    return (0, due) if due else (1, datetime.max.replace(tzinfo=None))
