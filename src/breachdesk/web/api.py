"""REST API under /api/v1: the CLI's main reads and writes, bearer tokens or a session."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field

from breachdesk.casefile.decision import DecisionDraft
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.core.errors import InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.core.obligation import ContactInfo
from breachdesk.core.status import CaseStatus
from breachdesk.services.access import Permission as P
from breachdesk.services.campaign import CampaignContent
from breachdesk.services.people_views import PeopleFilter
from breachdesk.services.users import Principal
from breachdesk.web.auth import allow, context

router = APIRouter(prefix="/api/v1", tags=["breachdesk"])
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


class IncidentOut(BaseModel):
    """An incident."""

    id: int
    title: str
    controller: str | None
    status: str
    discovered_at: datetime


class ObligationOut(BaseModel):
    """An obligation with its deadline and completion."""

    id: int
    key: str
    jurisdiction: str
    recipient: str
    due_at: datetime | None
    met_at: datetime | None
    proof: str | None
    late: bool | None
    people: int


class MetIn(BaseModel):
    """Proof that an obligation was met."""

    note: str = Field(min_length=1, max_length=4000)


class DecisionIn(BaseModel):
    """A decision to record."""

    topic: str = Field(min_length=1, max_length=200)
    decision: str = Field(min_length=1, max_length=4000)
    rationale: str = Field(min_length=1, max_length=4000)


class ApprovalIn(BaseModel):
    """Counsel's approval of the campaign wording."""

    organisation: str = Field(min_length=1, max_length=200)
    contact_email: str | None = Field(default=None, max_length=320)
    measures: str = Field(min_length=1, max_length=4000)


class NoteIn(BaseModel):
    """A privileged note."""

    body: str = Field(min_length=1, max_length=20000)


class IncidentIn(BaseModel):
    """An incident to open."""

    title: str = Field(min_length=1, max_length=200)
    discovered_at: datetime
    controller: str | None = Field(default=None, max_length=200)
    summary: str | None = Field(default=None, max_length=4000)


class StatusIn(BaseModel):
    """The status an incident moves to."""

    status: CaseStatus


class TaskIn(BaseModel):
    """A note on completing a checklist task."""

    note: str | None = Field(default=None, max_length=4000)


class TaskOut(BaseModel):
    """A checklist task."""

    key: str
    title: str
    status: str
    due_at: datetime | None
    completed_at: datetime | None
    completed_by: str | None


class WhoAmI(BaseModel):
    """The caller."""

    name: str
    role: str


def _incident(i: Any) -> IncidentOut:
    return IncidentOut(
        id=i.id, title=i.title, controller=i.controller, status=i.status.value,
        discovered_at=i.discovered_at,
    )  # fmt: skip


@router.get("/whoami")
def whoami(who: Annotated[Principal, Depends(allow(P.VIEW))]) -> WhoAmI:
    """The authenticated user and role."""
    return WhoAmI(name=who.name, role=who.role.value)


@router.get("/incidents")
def incidents(
    request: Request, who: Annotated[Principal, Depends(allow(P.VIEW))]
) -> list[IncidentOut]:
    """Every incident."""
    return [_incident(i) for i in context(request).ws.cases.list_incidents()]


@router.post("/incidents", status_code=201)
def open_incident(
    request: Request, body: IncidentIn, who: Annotated[Principal, Depends(allow(P.MANAGE_CASE))]
) -> IncidentOut:
    """Open an incident with its response checklist."""
    if body.discovered_at.tzinfo is None:
        raise InvalidInputError("discovered_at: give a time zone offset (e.g. Z)")
    draft = IncidentDraft(
        title=body.title, discovered_at=body.discovered_at.astimezone(UTC),
        controller=body.controller, summary=body.summary,
    )  # fmt: skip
    return _incident(context(request).ws.cases.open_incident(draft, actor=who.actor))


@router.post("/incidents/{iid}/status")
def change_status(
    request: Request, iid: Id, body: StatusIn,
    who: Annotated[Principal, Depends(allow(P.MANAGE_CASE))],
) -> IncidentOut:  # fmt: skip
    """Move the incident along its lifecycle (illegal moves are refused)."""
    cases = context(request).ws.cases
    return _incident(cases.change_status(IncidentId(iid), body.status, actor=who.actor))


@router.get("/incidents/{iid}/tasks")
def tasks(
    request: Request, iid: Id, who: Annotated[Principal, Depends(allow(P.VIEW))]
) -> list[TaskOut]:
    """The incident's response checklist."""
    return [_task(t) for t in context(request).ws.cases.tasks(IncidentId(iid))]


@router.post("/incidents/{iid}/tasks/{key}/complete")
def complete_task(
    request: Request, iid: Id, key: Annotated[str, Path(pattern=r"^[a-z_.]{1,64}$")],
    body: TaskIn, who: Annotated[Principal, Depends(allow(P.MANAGE_CASE))],
) -> list[TaskOut]:  # fmt: skip
    """Mark a checklist task done."""
    done = context(request).ws.cases.complete_task(
        IncidentId(iid), key, actor=who.actor, note=body.note
    )
    return [_task(t) for t in done]


def _task(t: Any) -> TaskOut:
    return TaskOut(
        key=t.key, title=t.title, status=t.status.value, due_at=t.due_at,
        completed_at=t.completed_at, completed_by=t.completed_by,
    )  # fmt: skip


@router.get("/incidents/{iid}")
def incident(
    request: Request, iid: Id, who: Annotated[Principal, Depends(allow(P.VIEW))]
) -> IncidentOut:
    """One incident."""
    return _incident(context(request).ws.cases.show(IncidentId(iid)).incident)


@router.get("/incidents/{iid}/dashboard")
def dashboard(
    request: Request, iid: Id, who: Annotated[Principal, Depends(allow(P.VIEW))]
) -> dict[str, Any]:
    """Checklist progress, clocks, affected counts, delivery, resets, detections, findings."""
    d = context(request).services.dashboard.overview(IncidentId(iid))
    out = asdict(d)
    out["incident"] = _incident(d.incident).model_dump(mode="json")
    return out


@router.get("/incidents/{iid}/obligations")
def obligations(
    request: Request, iid: Id, who: Annotated[Principal, Depends(allow(P.VIEW))]
) -> list[ObligationOut]:
    """The incident's obligations, earliest deadline first."""
    d = context(request).services.dashboard.overview(IncidentId(iid))
    return [
        ObligationOut(**{k: getattr(c, k) for k in ObligationOut.model_fields}) for c in d.clocks
    ]


@router.post("/incidents/{iid}/obligations/{oid}/met")
def mark_met(
    request: Request, iid: Id, oid: Id, body: MetIn,
    who: Annotated[Principal, Depends(allow(P.MARK_OBLIGATION))],
) -> dict[str, Any]:  # fmt: skip
    """Mark an obligation met, with a note as proof."""
    met = context(request).ws.obligations.mark_met(
        IncidentId(iid), str(oid), actor=who.actor, note=body.note, evidence_id=None
    )
    return {"key": met.key, "met_at": met.met_at, "late": met.late}


@router.get("/incidents/{iid}/people")
def people(
    request: Request,
    iid: Id,
    who: Annotated[Principal, Depends(allow(P.VIEW_PEOPLE))],
    element: Annotated[str | None, Query(max_length=64)] = None,
    jurisdiction: Annotated[str | None, Query(max_length=16)] = None,
) -> list[dict[str, Any]]:
    """Affected people, masked (the listing is audited)."""
    where = PeopleFilter(element=element or None, jurisdiction=jurisdiction or None)
    found = context(request).ws.people.listing(IncidentId(iid), where, actor=who.actor)
    return [asdict(p) for p in found[:1000]]


@router.get("/incidents/{iid}/people/{pid}")
def person(
    request: Request, iid: Id, pid: Id, who: Annotated[Principal, Depends(allow(P.VIEW_PEOPLE))]
) -> dict[str, Any]:
    """One person's exposure detail, masked (audited)."""
    return asdict(context(request).ws.people.show(IncidentId(iid), pid, actor=who.actor))


@router.get("/incidents/{iid}/decisions")
def decisions(
    request: Request, iid: Id, who: Annotated[Principal, Depends(allow(P.VIEW))]
) -> list[dict[str, Any]]:
    """Recorded decisions."""
    return [asdict(d) for d in context(request).ws.cases.decisions(IncidentId(iid))]


@router.post("/incidents/{iid}/decisions", status_code=201)
def decide(
    request: Request, iid: Id, body: DecisionIn,
    who: Annotated[Principal, Depends(allow(P.DECIDE))],
) -> dict[str, Any]:  # fmt: skip
    """Record a decision."""
    draft = DecisionDraft(topic=body.topic, decision=body.decision, rationale=body.rationale)
    return asdict(
        context(request).ws.cases.record_decision(IncidentId(iid), draft, actor=who.actor)
    )


@router.get("/incidents/{iid}/evidence")
def evidence(
    request: Request, iid: Id, who: Annotated[Principal, Depends(allow(P.VIEW))]
) -> list[dict[str, Any]]:
    """Evidence items of the incident."""
    ws = context(request).ws
    ws.cases.show(IncidentId(iid))
    return [asdict(e) for e in ws.evidence.items(IncidentId(iid))]


@router.get("/incidents/{iid}/findings")
def findings(
    request: Request, iid: Id, who: Annotated[Principal, Depends(allow(P.VIEW))]
) -> list[dict[str, Any]]:
    """Security findings of the incident."""
    ws = context(request).ws
    ws.cases.show(IncidentId(iid))
    return [
        {
            "id": s.id,
            "title": s.finding.title,
            "severity": s.finding.severity.value,
            "status": s.status.value,
            "due_at": s.due_at,
        }
        for s in (r.stored for r in ws.findings.list_findings(IncidentId(iid)))
    ]


@router.get("/incidents/{iid}/notices")
def notices(
    request: Request, iid: Id, who: Annotated[Principal, Depends(allow(P.PREVIEW_NOTICES))]
) -> dict[str, Any]:
    """Approval and delivery counters of the incident's notice campaign."""
    ws = context(request).ws
    approval = ws.campaigns.approval(IncidentId(iid))
    counts = ws.campaigns.counts(IncidentId(iid))
    return {
        "approved": approval is not None,
        "approver": approval.approver if approval else None,
        "approved_at": approval.approved_at if approval else None,
        "delivery": [
            {"channel": c, "state": s.value, "messages": n} for (c, s), n in counts.items()
        ],
    }


@router.post("/incidents/{iid}/notices/approve", status_code=201)
def approve(
    request: Request, iid: Id, body: ApprovalIn,
    who: Annotated[Principal, Depends(allow(P.APPROVE_NOTICES))],
) -> dict[str, Any]:  # fmt: skip
    """Approve the campaign (counsel)."""
    contact = ContactInfo(body.organisation, email=body.contact_email or None)
    content = CampaignContent(body.organisation, contact, body.measures)
    approval = context(request).ws.campaigns.approve(
        IncidentId(iid), content, actor=who.actor, role=who.role.value
    )
    return {"approval": approval.id, "templates": len(approval.templates)}


@router.post("/incidents/{iid}/notices/send", status_code=202)
def send(
    request: Request, iid: Id, who: Annotated[Principal, Depends(allow(P.SEND_NOTICES))]
) -> dict[str, Any]:
    """Queue the approved campaign and start sending in the background."""
    ctx = context(request)
    report = ctx.ws.campaigns.queue(IncidentId(iid), actor=who.actor)
    ctx.dispatcher.kick()
    return {"queued": report.queued}


@router.get("/incidents/{iid}/notes")
def notes(
    request: Request, iid: Id, who: Annotated[Principal, Depends(allow(P.PRIVILEGED))]
) -> list[dict[str, Any]]:
    """Counsel's privileged notes (counsel only)."""
    return [asdict(n) for n in context(request).services.users.notes(IncidentId(iid), who)]


@router.post("/incidents/{iid}/notes", status_code=201)
def add_note(
    request: Request, iid: Id, body: NoteIn,
    who: Annotated[Principal, Depends(allow(P.PRIVILEGED))],
) -> dict[str, Any]:  # fmt: skip
    """Add a privileged note (counsel only)."""
    return {"id": context(request).services.users.add_note(IncidentId(iid), body.body, who)}


@router.get("/incidents/{iid}/resets")
def resets(
    request: Request, iid: Id, who: Annotated[Principal, Depends(allow(P.VIEW))]
) -> dict[str, Any]:
    """Credential-reset accounts by state and the completion rate."""
    from breachdesk.bootstrap import credential_resets

    report = credential_resets(context(request).ws).tracking.status(IncidentId(iid))
    return {"counts": report.counts, "completion": report.completion}


@router.get("/incidents/{iid}/timeline")
def timeline(
    request: Request,
    iid: Id,
    who: Annotated[Principal, Depends(allow(P.VIEW))],
    ip: Annotated[str | None, Query(max_length=64)] = None,
    user: Annotated[str | None, Query(max_length=256)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[dict[str, Any]]:
    """The first entries of the merged timeline, filtered by source IP or user."""
    from breachdesk.timeline.store import EventQuery

    query = EventQuery(src_ip=ip or None, user=user or None)
    entries = context(request).ws.timeline.entries(IncidentId(iid), query, limit=limit)
    return [
        {"time": e.time, "kind": e.kind, "source": e.source, "summary": e.summary,
         "src_ip": e.src_ip, "user": e.user}
        for e in entries
    ]  # fmt: skip


@router.get("/audit/verify")
def audit_verify(
    request: Request, who: Annotated[Principal, Depends(allow(P.VIEW_AUDIT))]
) -> dict[str, Any]:
    """Whether the audit chain holds."""
    report = context(request).ws.audit.verify()
    return {"ok": report.ok, "entries": report.entries, "problems": len(report.problems)}
