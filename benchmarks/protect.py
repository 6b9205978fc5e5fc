"""Cost of per-incident data keys: scan and link with them against the workspace key alone.

Usage: python benchmarks/protect.py [--people 3000]

On a fresh SQLite workspace each, generates a customer master and its leak, then times ``scan``
and ``link``:

- **per-incident keys** (what breachdesk does): the engine hook works out each write's incident
  and seals values with that incident's data key;
- **workspace key** (the baseline, before per-incident keys): no hook, every value sealed with
  the one workspace key.

Prints wall seconds of each and the ratio per-incident / baseline (the overhead; 1.0 is none).
Nothing here is asserted.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import breachdesk.adapters.sql.types as column_types
from breachdesk.adapters.customer_master import load_customer_master
from breachdesk.adapters.executor import InlineExecutor
from breachdesk.bootstrap import init_workspace, open_workspace
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.config import Settings
from breachdesk.demodata import MANIFEST_NAME, generate_customer_master, generate_leak


def run(people: int, *, per_incident: bool) -> float:
    """Seconds to scan and link one generated leak."""
    original = column_types.install
    if not per_incident:
        column_types.install = lambda engine, ring: None  # the workspace key alone
    try:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            master = root / "master.sqlite"
            generate_customer_master(master, people=people, seed=2)
            generate_leak(master, root / "leak", seed=2, spreadsheet=False)
            files = sorted(
                p for p in (root / "leak").rglob("*") if p.is_file() and p.name != MANIFEST_NAME
            )
            settings = Settings(home=root / "ws", actor="bench", key=None)
            init_workspace(settings)
            ws = open_workspace(settings)
            try:
                incident = ws.cases.open_incident(
                    IncidentDraft("bench", datetime(2026, 1, 1, tzinfo=UTC)), actor="bench"
                ).id
                customers = load_customer_master(
                    f"sqlite:///{master}", query="select * from customers"
                )
                start = time.perf_counter()
                ws.scans.scan(files, executor=InlineExecutor(), actor="bench", incident_id=incident)
                ws.link.link(incident, customers, actor="bench")
                return time.perf_counter() - start
            finally:
                ws.close()
    finally:
        column_types.install = original


def main() -> None:
    """Time both and print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=3000)
    args = parser.parse_args()
    base = min(run(args.people, per_incident=False) for _ in range(2))
    keyed = min(run(args.people, per_incident=True) for _ in range(2))
    print(f"workspace key (baseline): {base:.2f} s")
    print(f"per-incident keys:        {keyed:.2f} s")
    print(f"ratio per-incident / baseline: {keyed / base:.2f}")


if __name__ == "__main__":
    main()
