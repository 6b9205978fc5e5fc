"""No raw personal data in logs at any level: scan, link, plan notices and look people up with
logging at DEBUG, then search the captured records with breachdesk's own detectors."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest
from tests.integration.test_protect import _linked, scenario  # noqa: F401 - fixture

from breachdesk.bootstrap import Workspace, protection
from breachdesk.discovery.text import detect_text
from breachdesk.services.people_views import PeopleFilter
from breachdesk.services.retention import PurgeScope

PERSONAL = {"email", "phone", "payment_card", "iban", "national_id"}


def test_debug_logs_carry_no_planted_values(
    workspace: Workspace,
    scenario: tuple[Path, list[Path]],  # noqa: F811 - the fixture
    caplog: pytest.LogCaptureFixture,
) -> None:
    master, _ = scenario
    planted = [
        v
        for row in sqlite3.connect(master).execute("select email, phone from customers")
        for v in row
        if v
    ]
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy")  # its own default is WARNING
    incident = _linked(workspace, scenario, "logs")
    people = workspace.people.listing(incident, PeopleFilter(), actor="a")
    workspace.people.show(incident, people[0].id, actor="a")
    workspace.people.lookup(incident, "email", planted[0], actor="a")
    workspace.campaigns.plan(incident, actor="a")
    protection(workspace).purge.rotate(incident, actor="a")
    protection(workspace).purge.purge(incident, PurgeScope.PEOPLE, actor="a")
    logged = "\n".join(
        f"{r.name} {r.levelname} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records
    )
    assert any(r.name.startswith("sqlalchemy.engine") for r in caplog.records)  # SQL logged
    leaked = [v for v in planted if v in logged]
    assert leaked == []
    found = {m.element.value for m in detect_text(logged)} & PERSONAL
    assert found == set()
