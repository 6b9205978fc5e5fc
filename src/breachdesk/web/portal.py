"""The public portal: ask by e-mail, get a single-use link, see what of yours was exposed.

The answer to a request is the same page whether or not the address is known; the link is
sent by the background sender after the response."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Form, Path, Request
from fastapi.responses import HTMLResponse, Response

from breachdesk.core.errors import InvalidInputError
from breachdesk.web.auth import context
from breachdesk.web.render import render

router = APIRouter(include_in_schema=False)
PORTAL_CSRF = "bd_portal_csrf"
_TOKEN = r"^[A-Za-z0-9_.-]{20,300}$"  # noqa: S105 - a pattern, not a secret


def _form(request: Request, *, sent: bool, status: int = 200) -> Response:
    token = secrets.token_urlsafe(32)
    page = render(request, "portal_form.html", {"portal_csrf": token, "sent": sent}, status=status)
    secure = bool(request.app.state.settings.https)
    page.set_cookie(
        PORTAL_CSRF, token, max_age=3600, httponly=True, samesite="strict", secure=secure, path="/"
    )
    return page


@router.get("/check", response_class=HTMLResponse)
def check_form(request: Request) -> Response:
    """The address form."""
    return _form(request, sent=False)


@router.post("/check", response_class=HTMLResponse)
def check(
    request: Request,
    background: BackgroundTasks,
    email: Annotated[str, Form(max_length=320)],
    csrf: Annotated[str, Form(max_length=128)],
) -> Response:
    """Always the same answer; a link is queued only for a known address, sent afterwards."""
    expected = request.cookies.get(PORTAL_CSRF, "")
    if not expected or not secrets.compare_digest(expected, csrf):
        return _form(request, sent=False, status=403)
    ctx = context(request)
    client = request.client.host if request.client else "unknown"
    base = str(request.app.state.settings.base_url).rstrip("/") + "/check/link"
    ctx.services.portal.request(email, client=client, link_base=base)
    background.add_task(ctx.dispatcher.kick)
    return _form(request, sent=True)


@router.get("/check/link/{token}", response_class=HTMLResponse)
def exposure(request: Request, token: Annotated[str, Path(pattern=_TOKEN)]) -> Response:
    """What a magic link shows, once."""
    page = context(request).services.portal.open(token)
    if page is None:
        return render(request, "portal_expired.html", {}, status=410)
    return render(request, "portal_page.html", {"page": page})


@router.get("/check/reset/{token}", response_class=HTMLResponse)
def reset(request: Request, token: Annotated[str, Path(pattern=_TOKEN)]) -> Response:
    """A credential-reset link: record the click; the organisation's sign-in asks for a new
    password."""
    from breachdesk.bootstrap import credential_resets

    try:
        credential_resets(context(request).ws).tracking.redeem(token)
    except InvalidInputError:
        return render(request, "portal_expired.html", {}, status=410)
    return render(request, "portal_reset.html", {})
