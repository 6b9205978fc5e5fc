"""Investigation end to end on SQLite and PostgreSQL: a generated leak and access log with a
planted attack -> ingest, map, analyze, apply; attackers, window, confirmed people, audit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from breachdesk.adapters.customer_master import load_customer_master
from breachdesk.adapters.executor import InlineExecutor
from breachdesk.bootstrap import Workspace
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.core.errors import InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.demodata import (
    MANIFEST_NAME,
    generate_customer_master,
    generate_leak,
    make_people,
)
from breachdesk.demodata.weblog import AttackTruth, write_web_log
from breachdesk.services.logs import IngestOptions
from breachdesk.services.people_views import PeopleFilter

PEOPLE = 80


@pytest.fixture
def story(workspace: Workspace, tmp_path: Path) -> tuple[IncidentId, AttackTruth, Path]:
    master = tmp_path / "master.sqlite"
    generate_customer_master(master, people=PEOPLE, seed=5)
    generate_leak(master, tmp_path / "leak", seed=5)
    files = sorted(
        p for p in (tmp_path / "leak").rglob("*") if p.is_file() and p.name != MANIFEST_NAME
    )
    incident = workspace.cases.open_incident(
        IncidentDraft("Leak", datetime(2026, 11, 20, 9, 30, tzinfo=UTC)), actor="a"
    ).id
    workspace.scans.scan(files, executor=InlineExecutor(), actor="a", incident_id=incident)
    workspace.link.link(
        incident,
        load_customer_master(f"sqlite:///{master}", query="select * from customers"),
        actor="a",
    )
    ids = [p.customer_id for p in make_people(PEOPLE, 5)]
    log = tmp_path / "logs" / "access.log"
    truth = write_web_log(log, ids, seed=5, benign=3_000, accessed=60)
    workspace.logs.ingest(incident, [log], IngestOptions(), actor="a")
    return incident, truth, log


def test_analysis_finds_the_planted_attack_and_confirms_accessed_people(
    workspace: Workspace, story: tuple[IncidentId, AttackTruth, Path]
) -> None:
    incident, truth, _ = story
    workspace.investigation.add_map(incident, "/api/customers/{customer_id}", actor="a")
    report = workspace.investigation.analyze(incident, actor="a", apply=True)
    assert set(report.attacker_ips) == set(truth.attacker_ips)
    assert report.window is not None
    assert abs(report.window[0] - truth.start) <= timedelta(minutes=1)
    assert abs(report.window[1] - truth.end) <= timedelta(minutes=1)
    levels = {d.title: d.level for d in report.detections}
    assert levels["SQL injection attempt in a request URL"] == "high"
    assert any(t.startswith("Record enumeration") for t in levels)
    assert report.accessed_people == len(truth.accessed) == 60
    assert report.accessed_unmatched == 0
    confirmed = workspace.people.listing(incident, PeopleFilter(confirmed=True), actor="a")
    assert len(confirmed) == 60
    assert all(p.confirmed and p.known for p in confirmed)
    everyone = workspace.people.listing(incident, PeopleFilter(), actor="a")
    assert sum(p.confirmed for p in everyone) == 60
    shown = workspace.cases.show(incident)
    done = {t.key for t in shown.tasks if t.status.value == "done"}
    assert {"investigate.timeline", "investigate.scope"} <= done
    assert shown.incident.occurred_from == report.window[0]
    assert shown.incident.occurred_to == report.window[1]
    assert workspace.audit.verify().ok


def test_analysis_without_apply_leaves_the_incident_and_re_runs_replace_accesses(
    workspace: Workspace, story: tuple[IncidentId, AttackTruth, Path]
) -> None:
    incident, _, _ = story
    first = workspace.investigation.analyze(incident, actor="a")
    assert not first.applied
    assert first.accessed_people == 0  # no record map yet
    assert workspace.cases.show(incident).incident.occurred_from is None
    workspace.investigation.add_map(incident, "/api/customers/{customer_id}", actor="a")
    workspace.investigation.add_map(incident, "/api/customers/{customer_id}", actor="a")
    again = workspace.investigation.analyze(incident, actor="a")
    twice = workspace.investigation.analyze(incident, actor="a")
    assert again.maps == twice.maps == 1
    assert again.accessed_people == twice.accessed_people == 60
    with workspace.engine.connect() as conn:
        rows = conn.exec_driver_sql("select count(*) from record_accesses").scalar_one()
    assert rows == 60


def test_keyed_hash_of_another_kind_ties_accesses_too(
    workspace: Workspace, story: tuple[IncidentId, AttackTruth, Path]
) -> None:
    incident, truth, log = story
    with log.open("a", encoding="utf-8") as fh:  # the downloader also fetched profiles by e-mail
        for person in make_people(PEOPLE, 5)[:3]:
            fh.write(
                f'{truth.attacker_ips[2]} - - [20/Nov/2026:05:00:00 +0000] "GET '
                f'/profile?email={person.email} HTTP/1.1" 200 900 "-" "python-requests/2.32.3"\n'
            )
    workspace.logs.ingest(incident, [log], IngestOptions(), actor="a")
    workspace.investigation.add_map(incident, "/profile?email={email}", actor="a")
    report = workspace.investigation.analyze(incident, actor="a")
    assert report.accessed_people == 3


def test_bad_pattern_is_a_clear_error(
    workspace: Workspace, story: tuple[IncidentId, AttackTruth, Path]
) -> None:
    with pytest.raises(InvalidInputError, match="placeholder"):
        workspace.investigation.add_map(story[0], "/api/customers", actor="a")
