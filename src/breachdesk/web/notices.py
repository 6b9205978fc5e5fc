"""Notice pages: plan, previews, counsel's approval, sending, delivery and the ledger; and
counsel's privileged notes."""

from __future__ import annotations

import csv
import hashlib
import io
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from breachdesk.bootstrap import Workspace
from breachdesk.core.ids import IncidentId
from breachdesk.core.obligation import ContactInfo
from breachdesk.services.access import Permission as P
from breachdesk.services.campaign import CampaignContent
from breachdesk.services.users import Principal
from breachdesk.web.auth import allow, context
from breachdesk.web.render import render

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
LEDGER_COLUMNS = (
    "outbox_id", "person_id", "campaign", "channel", "recipient", "template_version",
    "content_hash", "message_id", "state", "attempts",
)  # fmt: skip


def content_of(ws: Workspace, incident_id: IncidentId) -> CampaignContent:
    """The approved wording, else a draft from the incident's controller."""
    approval = ws.campaigns.approval(incident_id)
    if approval is not None:
        return CampaignContent.from_json(approval.content)
    incident = ws.cases.show(incident_id).incident
    org = incident.controller or "Our organisation"
    return CampaignContent(org, ContactInfo(org), "We closed the gap and are monitoring access.")


@router.get("/incidents/{iid}/notices", response_class=HTMLResponse)
def notices(
    request: Request, iid: Id, who: Annotated[Principal, Depends(allow(P.PREVIEW_NOTICES))]
) -> Response:
    """Plan, TEST previews per channel and locale, approval state and live delivery."""
    ws = context(request).ws
    incident_id = IncidentId(iid)
    content = content_of(ws, incident_id)
    plan, samples = ws.campaigns.samples(incident_id, content, actor=who.actor)
    board = context(request).services.dashboard.overview(incident_id)
    ctx = {
        "iid": iid,
        "counts": plan.counts(),
        "samples": samples,
        "approval": ws.campaigns.approval(incident_id),
        "content": content,
        "d": board,
    }
    return render(request, "notices.html", ctx)


@router.post("/incidents/{iid}/notices/approve")
def approve(
    request: Request,
    iid: Id,
    organisation: Annotated[str, Form(min_length=1, max_length=200)],
    measures: Annotated[str, Form(min_length=1, max_length=4000)],
    who: Annotated[Principal, Depends(allow(P.APPROVE_NOTICES))],
    contact_email: Annotated[str, Form(max_length=320)] = "",
) -> Response:
    """Counsel approves the campaign's wording and every template version it uses."""
    content = CampaignContent(
        organisation, ContactInfo(organisation, email=contact_email or None), measures
    )
    context(request).ws.campaigns.approve(
        IncidentId(iid), content, actor=who.actor, role=who.role.value
    )
    return RedirectResponse(f"/incidents/{iid}/notices", status_code=303)


@router.post("/incidents/{iid}/notices/send")
def send(
    request: Request, iid: Id, who: Annotated[Principal, Depends(allow(P.SEND_NOTICES))]
) -> Response:
    """Queue the approved campaign (idempotent) and start sending in the background."""
    ctx = context(request)
    ctx.ws.campaigns.queue(IncidentId(iid), actor=who.actor)
    ctx.dispatcher.kick()
    return RedirectResponse(f"/incidents/{iid}/notices", status_code=303)


@router.get("/incidents/{iid}/notices/ledger.csv")
def ledger(
    request: Request, iid: Id, who: Annotated[Principal, Depends(allow(P.VIEW_DELIVERY))]
) -> Response:
    """The delivery ledger as CSV (recipients masked); the export is audited with its digest."""
    ws = context(request).ws
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(LEDGER_COLUMNS)
    rows = 0
    for line in ws.campaigns.ledger(IncidentId(iid)):
        r = line.row
        writer.writerow(
            (r.outbox_id, r.person_id if r.person_id is not None else "", r.campaign, r.channel,
             line.recipient, r.template_version, r.content_hash, r.message_id or "",
             r.state.value, len(r.attempts))
        )  # fmt: skip
        rows += 1
    data = out.getvalue().encode("utf-8")
    sha256 = hashlib.sha256(data).hexdigest()
    ws.campaigns.ledger_exported(IncidentId(iid), actor=who.actor, rows=rows, sha256=sha256)
    disposition = f'attachment; filename="ledger-{iid}.csv"'
    return Response(data, media_type="text/csv", headers={"Content-Disposition": disposition})


@router.get("/incidents/{iid}/notes", response_class=HTMLResponse)
def notes(
    request: Request, iid: Id, who: Annotated[Principal, Depends(allow(P.PRIVILEGED))]
) -> Response:
    """Counsel's privileged notes (counsel only)."""
    found = context(request).services.users.notes(IncidentId(iid), who)
    return render(request, "notes.html", {"iid": iid, "notes": found})


@router.post("/incidents/{iid}/notes")
def add_note(
    request: Request,
    iid: Id,
    body: Annotated[str, Form(min_length=1, max_length=20000)],
    who: Annotated[Principal, Depends(allow(P.PRIVILEGED))],
) -> Response:
    """Add a privileged note."""
    context(request).services.users.add_note(IncidentId(iid), body, who)
    return RedirectResponse(f"/incidents/{iid}/notes", status_code=303)
