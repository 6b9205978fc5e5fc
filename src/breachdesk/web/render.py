"""Jinja2 rendering of pages (autoescaped), with the principal, CSRF token and permissions."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from breachdesk.services.access import Permission, allowed
from breachdesk.services.users import Principal
from breachdesk.web.charts import bar_chart, span_chart

TEMPLATES = Path(__file__).parent / "templates"


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "—"


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""


@cache
def environment() -> Environment:
    """The template environment (built once)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = _when
    env.filters["iso"] = _iso
    env.globals["bar_chart"] = bar_chart
    env.globals["span_chart"] = span_chart
    env.globals["P"] = Permission
    return env


def render(
    request: Request, template: str, context: dict[str, Any], *, status: int = 200
) -> HTMLResponse:
    """Render a template for the request's principal (if any)."""
    who: Principal | None = getattr(request.state, "principal", None)

    def can(permission: Permission) -> bool:
        return who is not None and allowed(who.role, permission)

    page = (
        environment()
        .get_template(template)
        .render(request=request, who=who, csrf=who.csrf if who else None, can=can, **context)
    )
    return HTMLResponse(page, status_code=status)
