"""Helpers of the web tests: a small breach in a real workspace, one user per role, an app."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from rich.table import Table

from breachdesk.bootstrap import Workspace, init_workspace, open_workspace, web_services
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.cli.demo import _leak, _link, _obligations, _scan
from breachdesk.config import Settings
from breachdesk.core.ids import IncidentId
from breachdesk.services.user_ports import Role
from breachdesk.web import WebSettings, create_app

PASSWORD = "a long test password"


@dataclass(frozen=True)
class Breach:
    """A populated workspace: incident 1 holds the breach, incident 2 is empty."""

    settings: Settings
    base: Path
    incident: int
    other: int
    tokens: dict[Role, str]


def populate(settings: Settings, base: Path, *, people: int = 60) -> Breach:
    """Generate a leak, scan it, link it to the master and evaluate obligations; add users."""
    init_workspace(settings)
    ws = open_workspace(settings)
    try:
        incident = ws.cases.open_incident(
            IncidentDraft(
                title="Customer DB exposed via API",
                controller="ACME Ltd",
                discovered_at=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
                occurred_from=datetime(2026, 11, 19, 23, 0, tzinfo=UTC),
            ),
            actor="tester",
        )
        other = ws.cases.open_incident(
            IncidentDraft(title="Lost laptop", discovered_at=datetime(2026, 11, 21, tzinfo=UTC)),
            actor="tester",
        )
        steps = Table("Step", "Result")
        files = _leak(base, people, 11)
        _scan(ws, incident.id, files, steps)
        _link(ws, incident.id, base / "customer_master.sqlite", steps)
        _obligations(ws, incident.id, steps)
        users = web_services(ws, fast_hashing=True).users
        tokens = {}
        for role in Role:
            users.add(role.value, role, PASSWORD, actor="tester")
            tokens[role] = users.issue_token(role.value, "tests", actor="tester")
    finally:
        ws.close()
    return Breach(settings, base, int(incident.id), int(other.id), tokens)


def make_client(breach: Breach, **options: object) -> TestClient:
    """A client of a fresh app over the breach's workspace (enter it to run the lifespan)."""
    web = WebSettings(fast_hashing=True, **options)  # type: ignore[arg-type]
    return TestClient(create_app(lambda: open_workspace(breach.settings), web))


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def log_in(c: TestClient, name: str, password: str = PASSWORD) -> str:
    """Log in through the form; returns the session's CSRF token."""
    c.cookies.clear()
    page = c.get("/login")
    r = c.post(
        "/login",
        data={"name": name, "password": password, "csrf": csrf_of(page.text), "next": "/"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return csrf_of(c.get("/").text)


def first_person(breach: Breach) -> int:
    """The id of some person of the breach's incident."""
    ws: Workspace = open_workspace(breach.settings)
    try:
        view = ws.people.listing(IncidentId(breach.incident), _all(), actor="tester")
        return view[0].id
    finally:
        ws.close()


def _all() -> object:
    from breachdesk.services.people_views import PeopleFilter

    return PeopleFilter()


def free_port() -> int:
    """A TCP port free on loopback right now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextmanager
def served(app: Any, port: int | None = None) -> Iterator[str]:
    """Run ``app`` with uvicorn on a loopback port in a thread; yields its base URL."""
    import threading

    import uvicorn

    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)
