"""Findings import and re-import: bulk writes against a row-by-row baseline.

Usage: python benchmarks/findings.py [--findings 20000] [--database-url URL]

Builds a synthetic report of ``--findings`` distinct findings (files, lines, CWEs, masked code
evidence, as bandit or semgrep write them) and measures, on a fresh workspace each (SQLite in a
temporary folder unless ``--database-url`` names an empty database):

- **bulk** (what ``breachdesk findings import`` does): the first import, a re-import of the same
  report (every finding seen again) and a re-import of half of it (the other half closed as
  fixed), each one transaction with its audit entry, through ``FindingService``;
- **row-by-row** (the baseline): the same three imports written one finding at a time with the
  repository's single-row ``add`` and ``update`` (one INSERT/UPDATE round trip per finding), the
  way the first version of the service worked.

Prints CPU seconds of the benchmark process per step (SQLite runs in-process; with
``--database-url`` the server's time is not counted, so use SQLite for the ratio) and the ratio
baseline / bulk. Nothing here is asserted.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from breachdesk.adapters.sql.uow import SqlUnitOfWorkFactory
from breachdesk.bootstrap import Workspace, init_workspace, open_workspace
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.config import Settings
from breachdesk.core.clock import SystemClock
from breachdesk.core.finding import (
    Finding,
    FindingStatus,
    Location,
    Occurrence,
    Severity,
    StoredFinding,
)
from breachdesk.core.ids import IncidentId
from breachdesk.services.findings import FindingService

CWES = (89, 79, 22, 78, 798, 327, 502, 611)


def report(count: int) -> list[Finding]:
    """``count`` distinct findings spread over 200 files."""
    return [
        Finding(
            title=f"Possible flaw {i % 37}",
            tool="bandit",
            rule_id=f"B{600 + i % 40}",
            severity=list(Severity)[i % 5],
            location=Location.file(f"src/module_{i % 200}.py", 10 + i // 200),
            cwe=(CWES[i % len(CWES)],),
            evidence=f"cursor.execute(query_{i} % user_input)",
        )
        for i in range(count)
    ]


class RowByRow(FindingService):
    """The baseline: the service's semantics with one repository call per finding."""

    def _store_seen(self, uow, scan, merged, tally, now):  # type: ignore[no-untyped-def]
        current = {f.id: f for f in uow.findings.for_incident(scan.incident_id)}
        by_print = {f.fingerprint: f for f in current.values()}
        ids = []
        occurrences = []
        for m in merged:
            held = by_print.get(m.fingerprint)
            if held is None:
                stored = uow.findings.add(self._new(scan, m, now))
                tally.new += 1
            else:
                stored = self._seen_again(held, scan, m.finding, now)
                uow.findings.update(stored)
                tally.seen_again += 1
            current[stored.id] = stored
            ids.append(stored.id)
            occurrences.append(_occurrence(scan.id, stored, m.count))
        uow.findings.add_occurrences(occurrences)
        return ids, current


def _occurrence(scan_id: int, stored: StoredFinding, count: int) -> Occurrence:
    f = stored.finding
    return Occurrence(
        scan_id, stored.id, f.tool, f.rule_id, f.severity, f.location.describe(), count
    )


def run(ws: Workspace, service: FindingService, findings: list[Finding]) -> list[float]:
    """Seconds for the first import, a full re-import and a half re-import."""
    incident = IncidentId(
        ws.cases.open_incident(
            IncidentDraft("bench", datetime(2026, 11, 1, tzinfo=UTC)), actor="b"
        ).id
    )
    times = []
    for batch in (findings, findings, findings[: len(findings) // 2]):
        # CPU seconds of this process: SQLite runs in it, and a shared machine's load (other
        # processes waiting for a core) does not leak into the figure as wall time would
        start = time.process_time()
        service.import_findings(incident, "repo", "bandit", batch, actor="bench")
        times.append(time.process_time() - start)
    rows = service.list_findings(incident, status=[FindingStatus.FIXED])
    assert len(rows) == len(findings) - len(findings) // 2
    return times


def workspace(url: str | None, folder: Path) -> Workspace:
    """A fresh, initialised workspace."""
    settings = Settings(home=folder, database_url=url, actor="bench", key=None)
    init_workspace(settings)
    return open_workspace(settings)


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=20_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    findings = report(args.findings)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, kind in (("bulk", FindingService), ("row-by-row", RowByRow)):
            ws = workspace(args.database_url, Path(tmp) / name)
            try:
                service = kind(SqlUnitOfWorkFactory(ws.engine), SystemClock(), ws.findings.sla)
                results[name] = run(ws, service, findings)
            finally:
                ws.close()
            if args.database_url:
                break  # one empty database: the baseline needs a second one
    steps = ("first import", "re-import (all seen)", "re-import (half fixed)")
    print(f"{args.findings:,} findings, {'SQLite' if not args.database_url else 'given database'}")
    for i, step in enumerate(steps):
        bulk = results["bulk"][i]
        line = f"{step:24} bulk {bulk:7.2f} s CPU"
        if "row-by-row" in results:
            base = results["row-by-row"][i]
            line += f"   row-by-row {base:7.2f} s   ratio {base / bulk:5.1f}x"
        print(line)


if __name__ == "__main__":
    main()
