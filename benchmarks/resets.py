"""Reset campaign throughput: batched intents and answers against one transaction pair per account.

Usage: python benchmarks/resets.py [--accounts 500]

On a fresh SQLite workspace each, with ``--accounts`` affected people whose passwords leaked and
a SQLite user database holding them (the demo's: users, two sessions and an API key each), runs
``reset run --execute`` through the SQL provider:

- **batched** (what ``breachdesk reset run`` does): per batch of 200 accounts, one transaction
  records every intent, the provider is called, one transaction records every answer;
- **per account** (the baseline, the straightforward exactly-once design): the same service with
  batches of one account, so two transactions (intent, answer) with their audit entries per
  account.

Both keep the crash guarantee (intent committed before the call). Prints wall seconds, accounts
per second and the ratio baseline / batched. Nothing here is asserted.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from breachdesk.adapters.resets.demo_db import create_demo_userdb
from breachdesk.adapters.sql.uow import SqlUnitOfWorkFactory
from breachdesk.bootstrap import credential_resets, init_workspace, open_workspace
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.config import Settings
from breachdesk.services.ports import PeopleWrite, PersonRow

T0 = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)


def _master(path: Path, emails: list[str]) -> Path:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE customers (email TEXT)")
        db.executemany("INSERT INTO customers VALUES (?)", [(e,) for e in emails])
    return path


def campaign(base: Path, accounts: int, batch: int) -> float:
    """Seconds to reset every account with the given batch size."""
    emails = [f"user{n}@example.com" for n in range(accounts)]
    settings = Settings(home=base / "ws", actor="bench", key=None)
    init_workspace(settings)
    ws = open_workspace(settings)
    try:
        incident = ws.cases.open_incident(
            IncidentDraft(title="bench", discovered_at=T0), actor="bench"
        ).id
        rows = [
            PersonRow(
                f"r{n}",
                True,
                None,
                None,
                None,
                "unknown",
                "email,password_hash",
                "",
                1,
                False,
                email=email,
            )
            for n, email in enumerate(emails)
        ]
        with SqlUnitOfWorkFactory(ws.engine)() as uow:
            uow.people.replace(incident, PeopleWrite(rows, [], [], [], []))
            uow.commit()
        services = credential_resets(ws)
        config = create_demo_userdb(_master(base / "master.db", emails), base / "users.db")
        services.resets.configure("users", "sql", config, actor="bench")
        services.resets.plan(incident, actor="bench")
        start = time.perf_counter()
        report = services.resets.run(incident, "users", actor="bench", execute=True, batch=batch)
        elapsed = time.perf_counter() - start
        assert report.outcomes == {"flagged": accounts}, report.outcomes
        return elapsed
    finally:
        ws.close()


def main() -> None:
    """Run both variants and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        batched = campaign(Path(a), args.accounts, 200)
        single = campaign(Path(b), args.accounts, 1)
    n = args.accounts
    print(f"accounts: {n:,}")
    print(f"batched (200):  {batched:7.2f} s  {n / batched:8,.0f} accounts/s")
    print(f"per account:    {single:7.2f} s  {n / single:8,.0f} accounts/s")
    print(f"ratio per-account / batched: {single / batched:.1f}x")


if __name__ == "__main__":
    main()
