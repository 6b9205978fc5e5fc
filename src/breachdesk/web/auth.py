"""Who is asking: session cookies (with CSRF tokens) for browsers, bearer tokens for the API,
and the permission check every route declares."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from breachdesk.services.access import Permission, require
from breachdesk.services.users import Principal
from breachdesk.web.context import WebContext

SESSION_COOKIE = "bd_session"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class NotLoggedInError(Exception):
    """No valid session or token: the API answers 401, pages redirect to the log-in form."""


class CsrfError(Exception):
    """An unsafe browser request without the session's CSRF token."""


def context(request: Request) -> WebContext:
    """The app's context."""
    ctx: WebContext = request.app.state.ctx
    return ctx


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer`` header."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def principal(request: Request) -> Principal | None:
    """The principal of the bearer token or the session cookie, else None."""
    users = context(request).services.users
    token = bearer_token(request)
    if token is not None:
        return users.bearer(token)
    cookie = request.cookies.get(SESSION_COOKIE)
    return users.session(cookie) if cookie else None


async def check_csrf(request: Request, who: Principal) -> None:
    """Unsafe requests of a browser session carry its CSRF token (form field or header)."""
    if request.method not in _UNSAFE or who.csrf is None:
        return  # bearer tokens are not sent by browsers on their own: no CSRF exposure
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and "form" in request.headers.get("content-type", ""):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if sent is None or not hmac.compare_digest(sent, who.csrf):
        raise CsrfError


def allow(permission: Permission) -> Callable[[Request], Awaitable[Principal]]:
    """A dependency: the logged-in principal holding ``permission`` (CSRF checked)."""

    async def dependency(request: Request) -> Principal:
        who = await run_in_threadpool(principal, request)
        if who is None:
            raise NotLoggedInError
        await check_csrf(request, who)
        require(who.role, permission)
        request.state.principal = who
        return who

    return dependency
