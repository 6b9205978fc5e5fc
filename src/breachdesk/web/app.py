"""The app factory: lifespan (workspace, mail route, sender), security headers, error pages."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, ExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from breachdesk.bootstrap import Workspace, email_route, web_services
from breachdesk.core.errors import BreachdeskError, NotFoundError
from breachdesk.services.access import ForbiddenError
from breachdesk.web.auth import CsrfError, NotLoggedInError
from breachdesk.web.context import Dispatcher, WebContext
from breachdesk.web.render import render

STATIC = Path(__file__).parent / "static"
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
)


@dataclass(frozen=True, slots=True)
class WebSettings:
    """How the app runs: the public base URL, HTTPS cookies, portal alone, mail sending."""

    base_url: str = "http://127.0.0.1:8000"
    https: bool = False  # cookies get the Secure flag
    portal_only: bool = False
    send_mail: bool = True  # start the mail route and send queued e-mail from the app
    fast_hashing: bool = False  # tests only: cheapest Argon2 parameters


def _lifespan(
    workspace_factory: Callable[[], Workspace], settings: WebSettings
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        with ExitStack() as stack:
            ws = workspace_factory()
            stack.callback(ws.close)
            route = None
            if settings.send_mail:
                route = stack.enter_context(email_route(ws.settings, ws.layout.home))
            services = web_services(
                ws,
                reset_base_url=settings.base_url.rstrip("/") + "/check/reset",
                fast_hashing=settings.fast_hashing,
            )
            dispatcher = Dispatcher(ws, route)
            stack.callback(dispatcher.join)
            maildir = route.maildir if route else ws.layout.home / "mail"
            app.state.ctx = WebContext(ws, services, dispatcher, maildir)
            app.state.settings = settings
            yield

    return lifespan


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, message: str) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": message}, status_code=status)
    return render(request, "error.html", {"status": status, "message": message}, status=status)


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(NotLoggedInError)
    async def not_logged_in(request: Request, _: Exception) -> Response:
        if _is_api(request):
            return JSONResponse(
                {"detail": "log in or send Authorization: Bearer TOKEN"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: Exception) -> Response:
        if _is_api(request) and isinstance(exc, RequestValidationError):
            return await request_validation_exception_handler(request, exc)
        return _error(request, 422, "a field is missing, empty or too long; go back and check")

    @app.exception_handler(CsrfError)
    async def csrf(request: Request, _: Exception) -> Response:
        return _error(request, 403, "the form expired or did not come from this site; reload")

    @app.exception_handler(ForbiddenError)
    async def forbidden(request: Request, exc: Exception) -> Response:
        message = exc.message if isinstance(exc, ForbiddenError) else "forbidden"
        return _error(request, 403, message)

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: Exception) -> Response:
        return _error(request, 404, "not found")

    @app.exception_handler(BreachdeskError)
    async def invalid(request: Request, exc: Exception) -> Response:
        message = exc.message if isinstance(exc, BreachdeskError) else "invalid request"
        return _error(request, 400, message)


def create_app(
    workspace_factory: Callable[[], Workspace], settings: WebSettings | None = None
) -> FastAPI:
    """The web workspace (or the portal alone) over the workspace the factory opens."""
    from breachdesk.web import api, pages, portal

    settings = settings or WebSettings()
    app = FastAPI(
        title="breachdesk",
        summary="Personal-data breach response: incidents, obligations, notices, people.",
        version="1",
        lifespan=_lifespan(workspace_factory, settings),
        docs_url=None,  # Swagger UI loads assets from a CDN; the OpenAPI JSON is served
        redoc_url=None,
        openapi_url=None if settings.portal_only else "/api/v1/openapi.json",
    )
    _handlers(app)

    @app.middleware("http")
    async def headers(request: Request, call_next: Callable[..., object]) -> Response:
        response: Response = await call_next(request)  # type: ignore[misc]
        response.headers["Content-Security-Policy"] = _CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"  # magic links stay out of referrers
        if not request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        if settings.https:
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        return response

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(portal.router)
    if not settings.portal_only:
        app.include_router(pages.router)
        app.include_router(api.router)
    return app
