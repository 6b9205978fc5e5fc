"""Affected people end to end through the database: scan a generated leak, link, view, audit."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import MetaData, select

from breachdesk.adapters.customer_master import load_customer_master
from breachdesk.adapters.executor import InlineExecutor
from breachdesk.bootstrap import Workspace
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.core.errors import InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.demodata import MANIFEST_NAME, generate_customer_master, generate_leak
from breachdesk.services.people_views import PeopleFilter

PEOPLE = 120


@pytest.fixture
def scenario(tmp_path: Path) -> tuple[Path, list[Path]]:
    master = tmp_path / "master.sqlite"
    generate_customer_master(master, people=PEOPLE, seed=11)
    generate_leak(master, tmp_path / "leak", seed=11)
    files = sorted(
        p for p in (tmp_path / "leak").rglob("*") if p.is_file() and p.name != MANIFEST_NAME
    )
    return master, files


def _incident(ws: Workspace) -> IncidentId:
    return ws.cases.open_incident(
        IncidentDraft("Leak", datetime(2026, 11, 20, tzinfo=UTC)), actor="a"
    ).id


def _master(path: Path):  # type: ignore[no-untyped-def]
    return load_customer_master(f"sqlite:///{path}", query="select * from customers")


def test_link_finds_every_leaked_customer_once(
    workspace: Workspace, scenario: tuple[Path, list[Path]]
) -> None:
    master_path, files = scenario
    incident = _incident(workspace)
    workspace.scans.scan(files, executor=InlineExecutor(), actor="a", incident_id=incident)
    summary = workspace.link.link(incident, _master(master_path), actor="a")
    customers = {
        row[0] for row in sqlite3.connect(master_path).execute("select customer_id from customers")
    }
    people = workspace.people.listing(incident, PeopleFilter(), actor="a")
    known = [p for p in people if p.known]
    # every customer is in the leak (users dump, export, API dump): each becomes one person
    assert len(known) == summary.known == len(customers)
    assert summary.unknown <= 3
    assert all(p.residence_source == "master" for p in known)
    assert {e for p in known for e in p.elements} >= {"email", "password_hash", "payment_card"}
    assert any("login_and_password" in p.flags for p in known)
    by_task = {t.key: t.status.value for t in workspace.cases.tasks(incident)}
    assert by_task["exposure.link"] == "done"
    assert workspace.audit.verify().ok


def test_relink_is_idempotent_and_new_sources_merge(
    workspace: Workspace, scenario: tuple[Path, list[Path]]
) -> None:
    master_path, files = scenario
    incident = _incident(workspace)
    export = [f for f in files if f.name == "customers_export.csv"]
    workspace.scans.scan(export, executor=InlineExecutor(), actor="a", incident_id=incident)
    workspace.link.link(incident, _master(master_path), actor="a")
    first = {p.id: p for p in workspace.people.listing(incident, PeopleFilter(), actor="a")}
    workspace.link.link(incident, _master(master_path), actor="a")
    again = {p.id: p for p in workspace.people.listing(incident, PeopleFilter(), actor="a")}
    assert first == again
    dump = [f for f in files if f.name == "users_dump.sql"]
    workspace.scans.scan(dump, executor=InlineExecutor(), actor="a", incident_id=incident)
    workspace.link.link(incident, _master(master_path), actor="a")
    merged = {p.id: p for p in workspace.people.listing(incident, PeopleFilter(), actor="a")}
    kept = [pid for pid, p in first.items() if p.known]
    assert all(pid in merged for pid in kept)  # the same people keep their ids
    assert any("password_hash" in merged[pid].elements for pid in kept)
    assert workspace.audit.verify().ok


def test_views_are_masked_audited_and_lookup_works(
    workspace: Workspace, scenario: tuple[Path, list[Path]]
) -> None:
    master_path, files = scenario
    incident = _incident(workspace)
    workspace.scans.scan(files, executor=InlineExecutor(), actor="a", incident_id=incident)
    workspace.link.link(incident, _master(master_path), actor="a")
    email = (
        sqlite3.connect(master_path)
        .execute("select email from customers order by customer_id limit 1")
        .fetchone()[0]
    )
    found = workspace.people.lookup(incident, "email", f"  {email.upper()} ", actor="desk")
    assert len(found) == 1
    shown = workspace.people.show(incident, found[0].id, actor="desk")
    assert shown.email != email
    assert shown.email is not None
    assert "***" in shown.email
    assert {e for e, _, _ in shown.exposures} == set(shown.elements)
    assert shown.locators
    assert " row " in shown.locators[0]
    assert shown.first_seen is not None
    assert shown.last_seen is not None
    assert shown.first_seen <= shown.last_seen
    assert workspace.people.lookup(incident, "email", "nobody@example.invalid", actor="d") == []
    clear = workspace.people.export(incident, actor="counsel", with_contact=True)
    assert email in {v.email for v in clear}
    actions = [e.action for e in workspace.audit.entries(incident)]
    for action in ("person.looked_up", "person.viewed", "manifest.exported"):
        assert action in actions
    with pytest.raises(InvalidInputError):
        workspace.people.lookup(incident, "favourite_colour", "blue", actor="d")

    meta = MetaData()
    meta.reflect(workspace.engine)
    with workspace.engine.connect() as conn:
        text = "\n".join(
            str(v)
            for name in ("people", "person_keys", "exposures")
            for row in conn.execute(select(meta.tables[name]))
            for v in row
        )
    assert email not in text
    assert workspace.audit.verify().ok


def test_link_needs_scanned_records(
    workspace: Workspace, scenario: tuple[Path, list[Path]]
) -> None:
    incident = _incident(workspace)
    with pytest.raises(InvalidInputError, match="no leaked records"):
        workspace.link.link(incident, _master(scenario[0]), actor="a")
