"""Kill -9 ``logs ingest`` mid-file, run it again: every line stored exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from breachdesk.adapters.sql import tables as t
from breachdesk.bootstrap import Workspace
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.services.logs import IngestOptions

LINES = 400_000
CHILD = """
import sys
from pathlib import Path
from breachdesk.adapters.evidence_store import FileBlobStore
from breachdesk.adapters.sql.uow import SqlUnitOfWorkFactory
from breachdesk.bootstrap import open_workspace
from breachdesk.config import Settings
from breachdesk.core.clock import SystemClock
from breachdesk.core.ids import IncidentId
from breachdesk.services.logs import IngestOptions, LogService
home, url, case, log = sys.argv[1:]
ws = open_workspace(Settings(home=Path(home), database_url=url or None, actor="killed"))
service = LogService(SqlUnitOfWorkFactory(ws.engine), FileBlobStore(ws.layout.evidence),
    ws.evidence, SystemClock(), batch=5_000)
service.ingest(IncidentId(int(case)), [Path(log)], IngestOptions(), actor="killed")
"""


def _stored(ws: Workspace) -> tuple[int, int]:
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(func.count(), func.count(func.distinct(t.log_events.c.line)))
        ).one()
        return int(rows[0]), int(rows[1])


def test_kill_during_ingest_then_resume(workspace: Workspace, tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    with log.open("w", encoding="utf-8") as out:
        for n in range(1, LINES + 1):
            out.write(
                f"10.0.{n % 250}.{n % 200} - - [10/Mar/2026:09:{(n // 60) % 60:02d}:{n % 60:02d}"
                f' +0000] "GET /item/{n} HTTP/1.1" 200 {n} "-" "agent"\n'
            )
    draft = IncidentDraft("crash", datetime(2026, 3, 11, tzinfo=UTC))
    case = workspace.cases.open_incident(draft, actor="t").id
    settings = workspace.settings
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD,
            str(settings.home),
            settings.database_url or "",
            str(case),
            str(log),
        ],
        env=env,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and child.poll() is None:
        if _stored(workspace)[0] >= 20_000:
            break
        time.sleep(0.05)
    assert child.poll() is None, "the ingest finished before it could be killed"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    total, distinct = _stored(workspace)
    assert 0 < total < LINES
    assert total == distinct
    (partial,) = workspace.logs.files(case)
    assert partial.completed_at is None
    assert partial.events == total  # the checkpoint commits with its batch

    (outcome,) = workspace.logs.ingest(case, [log], IngestOptions(), actor="t")
    assert outcome.resumed
    assert outcome.added == LINES - total
    assert _stored(workspace) == (LINES, LINES)
    assert workspace.audit.verify().ok


def test_two_concurrent_ingests_of_one_file_store_each_line_once(
    workspace: Workspace, tmp_path: Path
) -> None:
    log = tmp_path / "access.log"
    lines = 60_000
    with log.open("w", encoding="utf-8") as out:
        for n in range(1, lines + 1):
            out.write(
                f"10.1.{n % 250}.{n % 200} - - [10/Mar/2026:10:{(n // 60) % 60:02d}:{n % 60:02d}"
                f' +0000] "GET /item/{n} HTTP/1.1" 200 {n} "-" "agent"\n'
            )
    draft = IncidentDraft("race", datetime(2026, 3, 11, tzinfo=UTC))
    case = workspace.cases.open_incident(draft, actor="t").id
    # registered beforehand: this test is about the log store, not two first evidence adds
    workspace.evidence.add(case, log, actor="t")
    settings = workspace.settings
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    args = [sys.executable, "-c", CHILD, str(settings.home), settings.database_url or ""]
    children = [
        subprocess.Popen([*args, str(case), str(log)], env=env, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    errors = [child.communicate(timeout=300)[1] for child in children]
    failed = [e for e in errors if e.strip()]
    assert all("another ingest of this file is running" in e for e in failed), failed
    total, distinct = _stored(workspace)
    assert total == distinct
    (outcome,) = workspace.logs.ingest(case, [log], IngestOptions(), actor="t")
    assert _stored(workspace) == (lines, lines)
    assert outcome.file is not None
    assert outcome.file.events == lines
    assert workspace.audit.verify().ok
