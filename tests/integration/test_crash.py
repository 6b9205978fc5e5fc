"""Kill -9 the sender of a 10,000-message campaign, start it again, count Message-IDs delivered.

The mailbox is the embedded sink's Maildir, or the real Postfix's when `.ci/postfix` configured one
(CI). Every recipient must end with exactly one notice, except at most ``crash_bound`` duplicates
(same Message-ID) from the messages in flight at the kill; none may be lost.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from tests.integration.postfix import URL_VAR, postfix_or_skip, unique_domain, wait_for_mail
from tests.integration.test_bounces import _message
from tests.integration.test_outbox import T0

from breachdesk.adapters.mail_sink import MailSink
from breachdesk.adapters.smtp import SmtpSettings, SmtpTransport
from breachdesk.adapters.sql.uow import SqlUnitOfWorkFactory
from breachdesk.bootstrap import Workspace
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.core.clock import SystemClock
from breachdesk.core.delivery import DeliveryState, message_id
from breachdesk.services.outbox import (
    crash_bound,
    delivery_counts,
    dispatch_pending,
    queue_notices,
)

N = 10_000
CONCURRENCY, RECORD_BATCH, LEASE = 8, 32, 3.0
BOUND = crash_bound(CONCURRENCY, RECORD_BATCH)
CHILD = """
import sys
from datetime import timedelta
from pathlib import Path
from breachdesk.adapters.smtp import SmtpSettings, SmtpTransport
from breachdesk.adapters.sql.uow import SqlUnitOfWorkFactory
from breachdesk.bootstrap import open_workspace
from breachdesk.config import Settings
from breachdesk.core.clock import SystemClock
from breachdesk.services.outbox import dispatch_pending
home, url, host, port, sender, domain, concurrency, batch, lease = sys.argv[1:]
ws = open_workspace(Settings(home=Path(home), database_url=url or None, actor="sender"))
transport = SmtpTransport(SmtpSettings(host, int(port), sender, domain))
dispatch_pending(SqlUnitOfWorkFactory(ws.engine), transport, SystemClock(), owner="killed",
    limit=200, concurrency=int(concurrency), record_batch=int(batch),
    lease=timedelta(seconds=float(lease)))
"""


@dataclass(frozen=True)
class Mailbox:
    """Where the campaign is submitted and where its messages end up."""

    settings: SmtpSettings
    maildir: Path
    postfix: bool

    def recipient(self, i: int) -> str:
        tag = self.settings.domain.split(".")[0]
        return f"bdtest+{tag}-{i}@breachdesk.test" if self.postfix else f"person{i}@example.org"


@contextmanager
def _mailbox(tmp_path: Path) -> Iterator[Mailbox]:
    domain = unique_domain()
    if os.environ.get(URL_VAR):
        pf = postfix_or_skip()
        yield Mailbox(SmtpSettings(pf.host, pf.port, pf.sender, domain), pf.maildir, True)
        return
    with MailSink(tmp_path / "mail") as sink:
        settings = SmtpSettings("127.0.0.1", sink.port, "dpo@acme.test", domain)
        yield Mailbox(settings, tmp_path / "mail", False)


def _sender(ws: Workspace, box: Mailbox) -> subprocess.Popen[bytes]:
    s = box.settings
    args = [str(ws.settings.home), ws.settings.database_url or "", s.host, str(s.port)]
    args += [s.sender, s.domain, str(CONCURRENCY), str(RECORD_BATCH), str(LEASE)]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[2]))
    return subprocess.Popen([sys.executable, "-c", CHILD, *args], env=env)


def _delivered(ws: Workspace, incident: int) -> int:
    return delivery_counts(SqlUnitOfWorkFactory(ws.engine), incident).get(
        DeliveryState.DELIVERED, 0
    )


@pytest.mark.slow
def test_kill_9_mid_campaign_loses_nothing_and_duplicates_within_bound(
    workspace: Workspace, tmp_path: Path
) -> None:
    incident = workspace.cases.open_incident(IncidentDraft("Leak", T0), actor="a").id
    uow = SqlUnitOfWorkFactory(workspace.engine)
    with _mailbox(tmp_path) as box:
        messages = [replace(_message(incident, i), recipient=box.recipient(i)) for i in range(N)]
        ids: list[int] = []
        for start in range(0, N, 2_500):
            ids += queue_notices(uow, SystemClock(), messages[start : start + 2_500], actor="a")
        sender = _sender(workspace, box)
        deadline = time.monotonic() + 120
        while _delivered(workspace, incident) < N // 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        sender.send_signal(signal.SIGKILL)
        assert sender.wait() == -signal.SIGKILL
        assert _delivered(workspace, incident) < N, "the sender finished before the kill"
        time.sleep(LEASE + 0.5)  # the killed sender's leases expire; its messages are due again
        transport = SmtpTransport(box.settings)
        dispatch_pending(
            uow,
            transport,
            SystemClock(),
            owner="restarted",
            concurrency=CONCURRENCY,
            record_batch=RECORD_BATCH,
        )
        transport.close()
        assert delivery_counts(uow, incident) == {DeliveryState.DELIVERED: N}

        domain = box.settings.domain.encode()
        expected = {message_id(i, incident, box.settings.domain) for i in ids}
        found = _message_ids(box.maildir, domain, expected)
    assert set(found) == expected, f"{len(expected - set(found))} messages lost"
    duplicates = sum(n - 1 for n in found.values())
    assert duplicates <= BOUND, f"{duplicates} duplicates, bound {BOUND}"


def _message_ids(maildir: Path, domain: bytes, expected: set[str]) -> Counter[str]:
    """Message-IDs of this campaign in the mailbox, once every one arrived and none is arriving."""

    def ours(data: bytes) -> bool:
        return domain in data

    last = -1
    while True:
        found = wait_for_mail(maildir, ours, len(expected), timeout=120)
        if len(found) == last:
            break
        last = len(found)
        time.sleep(2.0)  # a relay may still be filing duplicates: wait until the count settles
    return Counter(_header_id(data) for data in found)


def _header_id(data: bytes) -> str:
    head = data.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    for line in head.splitlines():
        if line.lower().startswith(b"message-id:"):
            return line.split(b":", 1)[1].strip().decode()
    return ""
