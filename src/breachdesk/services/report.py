"""The incident report: read the case file, people aggregates, obligations, delivery, resets,
detections, findings and audit head in one transaction, and render it (no raw PII)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from breachdesk.casefile.report.model import (
    AUDIENCES,
    DecisionLine,
    Detection,
    EvidenceLine,
    FindingLine,
    IncidentReport,
    ObligationLine,
    TimelineLine,
)
from breachdesk.core.audit import AuditAction, AuditDraft
from breachdesk.core.clock import Clock
from breachdesk.core.errors import InvalidInputError
from breachdesk.core.finding import StoredFinding
from breachdesk.core.ids import IncidentId
from breachdesk.discovery.match import TextMatch
from breachdesk.discovery.text import detect_text
from breachdesk.services.ports import StoredObligation, UnitOfWork, UnitOfWorkFactory

FORMATS = ("md", "html", "pdf")
#: Audit actions that only read, or belong to counsel or the web workspace; left out.
_QUIET = ("report.", "export", "viewed", "listed", "shown", "privileged", "user.", "portal.")


def _where(f: StoredFinding) -> str:
    loc = f.finding.location
    if loc.url:
        return loc.url + (f" ({loc.parameter})" if loc.parameter else "")
    if loc.path:
        return loc.path + (f":{loc.line}" if loc.line else "")
    if loc.package:
        return f"{loc.package} {loc.version or ''}".strip()
    return f"{loc.host or ''}:{loc.port or ''}".strip(":")


@dataclass(slots=True)
class _People:
    count: int = 0
    places: Counter[str] = field(default_factory=Counter)
    elements: Counter[str] = field(default_factory=Counter)
    held: dict[str, set[str]] = field(default_factory=dict)


def _people(uow: UnitOfWork, incident_id: IncidentId) -> _People:
    """Counts by residence and element; no contact column is read."""
    out = _People()
    for country, region, _, held in uow.obligations.residence_groups(incident_id):
        place = region or country or "unknown"  # regions read "US-CA"
        kinds = [e for e in held.split(",") if e]
        out.count += 1
        out.places[place] += 1
        out.elements.update(kinds)
        out.held.setdefault(place, set()).update(kinds)
    return out


def _due_order(o: StoredObligation) -> tuple[bool, str, int]:
    due = o.due_at or o.target_at
    return (due is None, due.isoformat() if due else "", o.id)


def _ranked(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _timeline(uow: UnitOfWork, incident_id: IncidentId) -> list[TimelineLine]:
    lines = [
        TimelineLine(e.at, "case", str(e.action).replace(".", " ").replace("_", " "))
        for e in uow.audit.entries(incident_id)
        if not any(q in str(e.action) for q in _QUIET)
    ]
    lines.sort(key=lambda t: t.time)
    # runs of one action (a scan's many files) read as one line with a count
    merged: list[TimelineLine] = []
    runs: list[int] = []
    for line in lines:
        if merged and merged[-1].summary == line.summary:
            runs[-1] += 1
            continue
        merged.append(line)
        runs.append(1)
    return [
        TimelineLine(t.time, t.kind, f"{t.summary} (x{n})" if n > 1 else t.summary)
        for t, n in zip(merged, runs, strict=True)
    ]


def _detections(uow: UnitOfWork, incident_id: IncidentId) -> list[Detection]:
    analysis = uow.investigation.latest_analysis(incident_id)
    rows = uow.investigation.detections(analysis.id) if analysis else []
    return [
        Detection(
            d.title, d.level, d.events, d.first_at, d.last_at,
            tuple(a for a in d.actors.split(",") if a),
        )
        for d in rows
    ]  # fmt: skip


def read_report(
    uow_factory: UnitOfWorkFactory, clock: Clock, incident_id: IncidentId, audience: str
) -> IncidentReport:
    """The report of one incident as values (NotFoundError for an unknown id)."""
    if audience not in AUDIENCES:
        raise InvalidInputError(f"--audience must be one of {', '.join(AUDIENCES)}")
    with uow_factory() as uow:
        incident = uow.incidents.get(incident_id)
        people = _people(uow, incident_id)
        obligations = [o for o in uow.obligations.for_incident(incident_id) if o.active]
        resets = Counter(a.state.value for a in uow.resets.accounts(incident_id))
        delivery = uow.campaigns.channel_counts(incident_id)
        findings = uow.findings.for_incident(incident_id)
        decisions = uow.decisions.for_incident(incident_id)
        evidence = uow.evidence.for_incident(incident_id)
        detections = _detections(uow, incident_id)
        timeline = _timeline(uow, incident_id)
        head = uow.audit.head()
        records = sum(s.hits for s in uow.scans.for_incident(incident_id))
    return IncidentReport(
        incident_id=int(incident.id),
        title=incident.title,
        controller=incident.controller or "",
        status=incident.status.value,
        summary=incident.summary or "",
        discovered_at=incident.discovered_at,
        occurred_from=incident.occurred_from,
        occurred_to=incident.occurred_to,
        generated_at=clock.now(),
        audience=audience,
        people=people.count,
        records=records,
        by_jurisdiction=_ranked(people.places),
        by_element=_ranked(people.elements),
        elements_by_jurisdiction=tuple(
            (place, tuple(sorted(kinds))) for place, kinds in sorted(people.held.items())
        ),
        obligations=tuple(
            ObligationLine(
                o.jurisdiction,
                o.recipient,
                o.people,
                o.due_at or o.target_at,
                o.met_at,
                o.late,
                o.status,
            )
            for o in sorted(obligations, key=_due_order)
        ),
        delivery=tuple((c, s.value, n) for (c, s), n in sorted(delivery.items())),
        resets=tuple(sorted(resets.items())),
        detections=tuple(detections),
        findings=tuple(
            FindingLine(
                f.finding.title,
                f.finding.severity.value,
                f.status.value,
                _where(f),
                f.root_cause,
                f.fixed_at,
            )
            for f in findings
        ),
        decisions=tuple(
            DecisionLine(d.topic, d.decision, d.rationale, d.author, d.decided_at)
            for d in decisions
        ),
        evidence=tuple(
            EvidenceLine(e.original_name, e.sha256, e.size, e.added_at) for e in evidence
        ),
        timeline=tuple(timeline),
        audit_head=head,
    )


#: A renderer turns the report into bytes of one format.
Renderer = Callable[[IncidentReport], bytes]


class ReportService:
    """Writes the incident report in one format and records that it was produced."""

    def __init__(
        self, uow: UnitOfWorkFactory, clock: Clock, renderers: dict[str, Renderer]
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._renderers = renderers

    def read(self, incident_id: IncidentId, audience: str = "internal") -> IncidentReport:
        """The report's values."""
        return read_report(self._uow, self._clock, incident_id, audience)

    def write(
        self, incident_id: IncidentId, fmt: str, target: Path, *, audience: str, actor: str
    ) -> IncidentReport:
        """Render the report to ``target`` (replaced atomically) and audit it."""
        render = self._renderers.get(fmt)
        if render is None:
            raise InvalidInputError(f"--format must be one of {', '.join(self._renderers)}")
        report = self.read(incident_id, audience)
        data = render(report)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        partial.write_bytes(data)
        partial.replace(target)
        with self._uow() as uow:
            uow.audit.append(
                AuditDraft(
                    at=self._clock.now(),
                    actor=actor,
                    action=AuditAction.REPORT_WRITTEN,
                    subject=f"incident:{incident_id}",
                    details={"format": fmt, "audience": audience, "bytes": len(data)},
                    incident_id=incident_id,
                )
            )
            uow.commit()
        return report


def personal_data_in(text: str) -> list[TextMatch]:
    """What breachdesk's own detectors find in a rendered report's text (a PII self-check)."""
    return detect_text(text)
