"""HTML pages of the workspace: log-in, incidents, dashboard and the views of each step."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from breachdesk.bootstrap import credential_resets
from breachdesk.casefile.decision import DecisionDraft
from breachdesk.core.ids import IncidentId
from breachdesk.services.access import Permission as P
from breachdesk.services.people_views import PeopleFilter
from breachdesk.services.users import LoginRefusedError, Principal
from breachdesk.timeline.store import EventQuery
from breachdesk.web import mailview
from breachdesk.web.auth import CSRF_FIELD, SESSION_COOKIE, allow, context
from breachdesk.web.notices import router as notices_router
from breachdesk.web.render import render

router = APIRouter(include_in_schema=False)
router.include_router(notices_router)
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
LOGIN_CSRF = "bd_login_csrf"


def _cookie_flags(request: Request) -> dict[str, object]:
    secure = bool(request.app.state.settings.https)
    return {"httponly": True, "samesite": "strict", "secure": secure, "path": "/"}


def _safe_next(target: str | None) -> str:
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    """The log-in form, with a double-submit CSRF token."""
    token = request.cookies.get(LOGIN_CSRF) or secrets.token_urlsafe(32)
    page = render(request, "login.html", {"login_csrf": token, "next": _safe_next(next)})
    page.set_cookie(LOGIN_CSRF, token, max_age=3600, **_cookie_flags(request))  # type: ignore[arg-type]
    return page


@router.post("/login")
def login(
    request: Request,
    name: Annotated[str, Form(max_length=128)],
    password: Annotated[str, Form(max_length=1024)],
    csrf: Annotated[str, Form(alias=CSRF_FIELD, max_length=128)],
    next: Annotated[str, Form(max_length=512)] = "/",
) -> Response:
    """Check the password; set the session cookie or show one message for every refusal."""
    expected = request.cookies.get(LOGIN_CSRF, "")
    if not expected or not secrets.compare_digest(expected, csrf):
        return render(
            request, "error.html", {"status": 403, "message": "reload the form"}, status=403
        )
    client = request.client.host if request.client else "unknown"
    try:
        token, _ = context(request).services.users.login(name, password, client=client)
    except LoginRefusedError as exc:
        ctx = {"login_csrf": expected, "next": _safe_next(next), "error": exc.message}
        return render(request, "login.html", ctx, status=401)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, token, max_age=8 * 3600, **_cookie_flags(request))  # type: ignore[arg-type]
    response.delete_cookie(LOGIN_CSRF, path="/")
    return response


@router.post("/logout")
def logout(request: Request, who: Annotated[Principal, Depends(allow(P.VIEW))]) -> Response:
    """End the session."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        context(request).services.users.logout(cookie)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/", response_class=HTMLResponse)
def incidents(request: Request, who: Annotated[Principal, Depends(allow(P.VIEW))]) -> Response:
    """Every incident."""
    return render(
        request, "incidents.html", {"incidents": context(request).ws.cases.list_incidents()}
    )


@router.get("/incidents/{iid}", response_class=HTMLResponse)
def dashboard(
    request: Request, iid: Id, who: Annotated[Principal, Depends(allow(P.VIEW))]
) -> Response:
    """The incident dashboard."""
    board = context(request).services.dashboard.overview(IncidentId(iid))
    return render(request, "dashboard.html", {"d": board, "iid": iid})


@router.get("/incidents/{iid}/delivery", response_class=HTMLResponse)
def delivery(
    request: Request, iid: Id, who: Annotated[Principal, Depends(allow(P.VIEW))]
) -> Response:
    """The live delivery counters (polled by the dashboard and the notices page)."""
    board = context(request).services.dashboard.overview(IncidentId(iid))
    return render(request, "_delivery.html", {"d": board, "iid": iid})


@router.get("/incidents/{iid}/people", response_class=HTMLResponse)
def people(
    request: Request,
    iid: Id,
    who: Annotated[Principal, Depends(allow(P.VIEW_PEOPLE))],
    email: Annotated[str | None, Query(max_length=320)] = None,
    element: Annotated[str | None, Query(max_length=64)] = None,
    jurisdiction: Annotated[str | None, Query(max_length=16)] = None,
) -> Response:
    """Affected people, masked; a search by e-mail is an audited lookup."""
    service = context(request).ws.people
    if email:
        found = service.lookup(IncidentId(iid), "email", email, actor=who.actor)
    else:
        where = PeopleFilter(element=element or None, jurisdiction=jurisdiction or None)
        found = service.listing(IncidentId(iid), where, actor=who.actor)
    ctx = {"iid": iid, "people": found[:500], "total": len(found), "element": element or "",
           "jurisdiction": jurisdiction or ""}  # fmt: skip
    return render(request, "people.html", ctx)


@router.get("/incidents/{iid}/people/{pid}", response_class=HTMLResponse)
def person(
    request: Request, iid: Id, pid: Id, who: Annotated[Principal, Depends(allow(P.VIEW_PEOPLE))]
) -> Response:
    """One person's exposure detail (audited)."""
    view = context(request).ws.people.show(IncidentId(iid), pid, actor=who.actor)
    return render(request, "person.html", {"iid": iid, "p": view})


@router.get("/incidents/{iid}/obligations", response_class=HTMLResponse)
def obligations(
    request: Request, iid: Id, who: Annotated[Principal, Depends(allow(P.VIEW))]
) -> Response:
    """Obligations with their deadline clocks."""
    board = context(request).services.dashboard.overview(IncidentId(iid))
    return render(request, "obligations.html", {"d": board, "iid": iid})


@router.post("/incidents/{iid}/obligations/{oid}/met")
def mark_met(
    request: Request,
    iid: Id,
    oid: Id,
    note: Annotated[str, Form(min_length=1, max_length=4000)],
    who: Annotated[Principal, Depends(allow(P.MARK_OBLIGATION))],
) -> Response:
    """Mark an obligation met with a note as proof."""
    context(request).ws.obligations.mark_met(
        IncidentId(iid), str(oid), actor=who.actor, note=note, evidence_id=None
    )
    return RedirectResponse(f"/incidents/{iid}/obligations", status_code=303)


def _utc(text: str | None) -> datetime | None:
    """A ``datetime-local`` form value read as UTC; an unreadable value filters nothing."""
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


@router.get("/incidents/{iid}/timeline", response_class=HTMLResponse)
def timeline(
    request: Request,
    iid: Id,
    who: Annotated[Principal, Depends(allow(P.VIEW))],
    ip: Annotated[str | None, Query(max_length=64)] = None,
    user: Annotated[str | None, Query(max_length=256)] = None,
    start: Annotated[str | None, Query(alias="from", max_length=40)] = None,
    end: Annotated[str | None, Query(alias="to", max_length=40)] = None,
) -> Response:
    """The merged timeline (case events, detections, log events), filtered by time, IP, user."""
    query = EventQuery(start=_utc(start), end=_utc(end), src_ip=ip or None, user=user or None)
    entries = context(request).ws.timeline.entries(IncidentId(iid), query, limit=300)
    filters = {"ip": ip or "", "user": user or "", "start": start or "", "end": end or ""}
    return render(request, "timeline.html", {"iid": iid, "entries": entries, **filters})


@router.get("/incidents/{iid}/resets", response_class=HTMLResponse)
def resets(
    request: Request, iid: Id, who: Annotated[Principal, Depends(allow(P.VIEW))]
) -> Response:
    """Credential resets: accounts by state and the completion rate."""
    report = credential_resets(context(request).ws).tracking.status(IncidentId(iid))
    return render(request, "resets.html", {"iid": iid, "r": report})


@router.get("/incidents/{iid}/findings", response_class=HTMLResponse)
def findings(
    request: Request, iid: Id, who: Annotated[Principal, Depends(allow(P.VIEW))]
) -> Response:
    """Security findings with severity, status and SLA."""
    ws = context(request).ws
    ws.cases.show(IncidentId(iid))
    rows = ws.findings.list_findings(IncidentId(iid))
    return render(request, "findings.html", {"iid": iid, "rows": rows})


@router.get("/incidents/{iid}/evidence", response_class=HTMLResponse)
def evidence(
    request: Request, iid: Id, who: Annotated[Principal, Depends(allow(P.VIEW))]
) -> Response:
    """Evidence items with their chain of custody."""
    ws = context(request).ws
    ws.cases.show(IncidentId(iid))
    items = [(item, ws.evidence.custody(item.id)) for item in ws.evidence.items(IncidentId(iid))]
    return render(request, "evidence.html", {"iid": iid, "items": items})


@router.get("/incidents/{iid}/decisions", response_class=HTMLResponse)
def decisions(
    request: Request, iid: Id, who: Annotated[Principal, Depends(allow(P.VIEW))]
) -> Response:
    """Recorded decisions."""
    rows = context(request).ws.cases.decisions(IncidentId(iid))
    return render(request, "decisions.html", {"iid": iid, "rows": rows})


@router.post("/incidents/{iid}/decisions")
def decide(
    request: Request,
    iid: Id,
    topic: Annotated[str, Form(min_length=1, max_length=200)],
    decision: Annotated[str, Form(min_length=1, max_length=4000)],
    rationale: Annotated[str, Form(min_length=1, max_length=4000)],
    who: Annotated[Principal, Depends(allow(P.DECIDE))],
) -> Response:
    """Record a decision."""
    context(request).ws.cases.record_decision(
        IncidentId(iid), DecisionDraft(topic=topic, decision=decision, rationale=rationale),
        actor=who.actor,
    )  # fmt: skip
    return RedirectResponse(f"/incidents/{iid}/decisions", status_code=303)


@router.get("/audit", response_class=HTMLResponse)
async def audit(
    request: Request, who: Annotated[Principal, Depends(allow(P.VIEW_AUDIT))]
) -> Response:
    """The audit log, newest first, with the chain's verification status."""
    service = context(request).ws.audit
    report = await run_in_threadpool(service.verify)
    entries = await run_in_threadpool(service.entries)
    return render(request, "audit.html", {"report": report, "entries": entries[::-1][:500]})


@router.get("/mail", response_class=HTMLResponse)
def mail(request: Request, who: Annotated[Principal, Depends(allow(P.VIEW_DELIVERY))]) -> Response:
    """Messages the embedded sink received, recipients masked."""
    box = context(request).maildir
    return render(request, "mail.html", {"messages": mailview.listing(box)})


@router.get("/mail/{key}", response_class=HTMLResponse)
def mail_message(
    request: Request,
    key: Annotated[str, Path(pattern=r"^[A-Za-z0-9._,:=-]{1,200}$")],
    who: Annotated[Principal, Depends(allow(P.VIEW_DELIVERY))],
) -> Response:
    """One received message as text."""
    message = mailview.message(context(request).maildir, key)
    return render(request, "mail_message.html", {"m": message})
