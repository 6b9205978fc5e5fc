"""Eight processes appending to one workspace leave one valid chain with nothing lost."""

from __future__ import annotations

import multiprocessing as mp
from datetime import UTC, datetime

from breachdesk.bootstrap import Workspace, open_workspace
from breachdesk.casefile.decision import DecisionDraft
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.config import Settings
from breachdesk.core.ids import IncidentId

PROCESSES = 8
PER_PROCESS = 25


def _append(settings_json: str, incident_id: int, worker: int) -> int:
    ws = open_workspace(Settings.model_validate_json(settings_json))
    try:
        for n in range(PER_PROCESS):
            ws.cases.record_decision(
                IncidentId(incident_id),
                DecisionDraft(f"w{worker}", f"n{n}", "concurrency"),
                actor=f"worker-{worker}",
            )
    finally:
        ws.close()
    return PER_PROCESS


def test_concurrent_appends_keep_one_chain(workspace: Workspace, settings: Settings) -> None:
    incident = workspace.cases.open_incident(
        IncidentDraft("Leak", datetime(2026, 11, 20, tzinfo=UTC)), actor="setup"
    )
    before = workspace.audit.verify().entries
    payload = settings.model_dump_json()
    with mp.get_context("spawn").Pool(PROCESSES) as pool:
        done = pool.starmap(_append, [(payload, incident.id, w) for w in range(PROCESSES)])
    assert sum(done) == PROCESSES * PER_PROCESS
    report = workspace.audit.verify()
    assert report.ok, [p.describe() for p in report.problems]
    assert report.entries == before + PROCESSES * PER_PROCESS
    assert report.head is not None
    assert report.head[0] == report.entries
    decisions = workspace.cases.decisions(incident.id)
    assert len(decisions) == PROCESSES * PER_PROCESS
    for w in range(PROCESSES):
        mine = [d.decision for d in decisions if d.topic == f"w{w}"]
        assert mine == [f"n{n}" for n in range(PER_PROCESS)]
