"""The demo's last step: a web user for the dashboard, and how to open it."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from rich.table import Table

from breachdesk.bootstrap import Workspace, web_services
from breachdesk.cli.output import console
from breachdesk.services.user_ports import Role

DEMO_USER = "demo-admin"
PASSWORD_ENV = "BREACHDESK_DEMO_PASSWORD"  # noqa: S105 - the name of a variable


def add_web_user(ws: Workspace, steps: Table) -> tuple[str, str | None]:
    """Create the demo's admin user; its password comes from the environment or is generated
    (returned so that it is printed once, never stored in clear)."""
    given = os.environ.get(PASSWORD_ENV)
    password = given or secrets.token_urlsafe(12)
    users = web_services(ws).users
    users.add(DEMO_USER, Role.ADMIN, password, actor=ws.actor)
    steps.add_row("web user", f"{DEMO_USER} (admin) for the dashboard")
    return DEMO_USER, None if given else password


def print_dashboard_hint(home: Path, incident_id: int, login: tuple[str, str | None]) -> None:
    """Tell the user how to open the demo incident's dashboard."""
    name, password = login
    secret = f"password {password} (shown once)" if password else f"the password in {PASSWORD_ENV}"
    console.print(
        f"Open the dashboard: BREACHDESK_HOME={home} breachdesk serve, then "
        f"http://127.0.0.1:8000/incidents/{incident_id} and log in as {name} with {secret}. "
        "The public portal is at http://127.0.0.1:8000/check.",
        markup=False,
    )
