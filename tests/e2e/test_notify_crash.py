"""Kill -9 `breachdesk notify send` mid-campaign, run it again: none lost, duplicates bounded.

The embedded sink runs inside the sending process and dies with it; the Maildir it filed into
stays, and the second `notify send` starts a new sink on the same Maildir.
"""

from __future__ import annotations

import csv
import mailbox
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from tests.e2e.test_notify_postfix import _breach, _cli

from breachdesk.services.campaign import RECORD_BATCH
from breachdesk.services.outbox import crash_bound

CONCURRENCY, LEASE = 8, 2


def _in_mailbox(maildir: Path) -> int:
    new = maildir / "new"
    return sum(1 for _ in new.iterdir()) if new.is_dir() else 0


@pytest.mark.slow
def test_kill_9_notify_send_then_send_again(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BREACHDESK_")}
    env.update(BREACHDESK_HOME=str(tmp_path / "ws"), BREACHDESK_ACTOR="e2e")
    cli = _cli(env)
    incident = _breach(cli, tmp_path, people=1_000)
    cli("notify", "approve", incident, "--as", "counsel")
    maildir = tmp_path / "ws" / "mail"
    send = [sys.executable, "-m", "breachdesk", "notify", "send", incident, "--channel", "email"]
    send += ["--concurrency", str(CONCURRENCY), "--lease", str(LEASE)]
    sender = subprocess.Popen(send, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while _in_mailbox(maildir) < 300 and time.monotonic() < deadline and sender.poll() is None:
        time.sleep(0.01)
    sender.send_signal(signal.SIGKILL)
    assert sender.wait() == -signal.SIGKILL, "notify send finished before it could be killed"
    killed_at = _in_mailbox(maildir)
    time.sleep(LEASE + 0.5)
    cli(*send[3:])

    ledger = tmp_path / "ledger.csv"
    cli("notify", "ledger", incident, "--to", str(ledger))
    with ledger.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["channel"] == "email"]
    assert len(rows) > killed_at > 0
    assert {r["final_state"] for r in rows} == {"delivered"}
    found = Counter(str(m["Message-ID"]) for m in mailbox.Maildir(maildir, create=False))
    assert set(found) == {r["message_id"] for r in rows}, "a notice was lost"
    duplicates = sum(n - 1 for n in found.values())
    assert duplicates <= crash_bound(CONCURRENCY, RECORD_BATCH), (duplicates, killed_at, len(rows))
