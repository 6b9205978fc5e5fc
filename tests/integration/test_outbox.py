"""Outbox delivery end to end: real databases, real SMTP (aiosmtpd sink), real crashes."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import MetaData, select

from breachdesk.adapters.mail_sink import MailSink, free_port, message_ids
from breachdesk.adapters.smtp import SmtpSettings, SmtpTransport
from breachdesk.adapters.sql.uow import SqlUnitOfWorkFactory
from breachdesk.bootstrap import Workspace
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.core.clock import SystemClock
from breachdesk.core.delivery import (
    DeliveryState,
    Fallback,
    OutgoingMessage,
    Receipt,
    Verdict,
    message_id,
    parse_message_id,
)
from breachdesk.services.outbox import (
    crash_bound,
    delivery_counts,
    delivery_ledger,
    dispatch_pending,
    queue_notices,
)
from breachdesk.testing import FixedClock

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
DOMAIN = "notices.breachdesk.test"
S = DeliveryState
CONCURRENCY, RECORD_BATCH = 8, 16
# A kill re-sends at most the messages in flight: being sent, or sent and awaiting their commit.
BOUND = crash_bound(CONCURRENCY, RECORD_BATCH)


def _incident(ws: Workspace) -> int:
    return ws.cases.open_incident(IncidentDraft("Leak", T0), actor="a").id


def _messages(incident: int, n: int, *, start: int = 0, **extra: object) -> list[OutgoingMessage]:
    out = []
    for i in range(start, start + n):
        body = f"Dear customer {i}, your e-mail address and password hash were exposed."
        out.append(
            OutgoingMessage(
                incident_id=incident,
                person_id=i + 1,
                campaign="individuals",
                channel="email",
                recipient=f"person{i}@example.org",
                subject="About your data",
                body_text=body,
                body_html=f"<p>{body}</p>",
                content_hash=hashlib.sha256(body.encode()).hexdigest(),
                template_version="email/gdpr/en@1",
                **extra,  # type: ignore[arg-type]
            )
        )
    return out


def _transport(port: int) -> SmtpTransport:
    return SmtpTransport(
        SmtpSettings(host="127.0.0.1", port=port, sender="dpo@acme.test", domain=DOMAIN)
    )


def _uow(ws: Workspace) -> SqlUnitOfWorkFactory:
    return SqlUnitOfWorkFactory(ws.engine)


def test_dispatch_delivers_one_message_per_recipient(workspace: Workspace, tmp_path: Path) -> None:
    incident = _incident(workspace)
    uow, clock = _uow(workspace), FixedClock(T0)
    ids = queue_notices(uow, clock, _messages(incident, 40), actor="a")
    with MailSink(tmp_path / "mail") as sink:
        transport = _transport(sink.port)
        report = dispatch_pending(uow, transport, clock, owner="w1", limit=16, concurrency=4)
        transport.close()
    assert report.claimed == 40
    assert report.outcomes == {S.DELIVERED: 40}
    found = Counter(message_ids(tmp_path / "mail"))
    assert found == Counter({message_id(i, incident, DOMAIN): 1 for i in ids})
    ledger = list(delivery_ledger(uow, incident))
    assert [r.state for r in ledger] == [S.DELIVERED] * 40
    assert all(len(r.attempts) == 1 for r in ledger)
    assert all("queued as" in r.attempts[0].server_response for r in ledger)
    assert ledger[0].template_version == "email/gdpr/en@1"
    entries = [e for e in workspace.audit.entries() if e.action == "notices.queued"]
    assert entries
    assert entries[-1].details["count"] == 40


def test_server_down_defers_then_retries(workspace: Workspace, tmp_path: Path) -> None:
    incident = _incident(workspace)
    uow, clock = _uow(workspace), FixedClock(T0)
    queue_notices(uow, clock, _messages(incident, 3), actor="a")
    port = free_port()
    transport = _transport(port)
    report = dispatch_pending(uow, transport, clock, owner="w1")
    assert report.outcomes == {S.DEFERRED: 3}
    assert delivery_counts(uow, incident) == {S.DEFERRED: 3}
    # Not due yet: nothing is claimed before the backoff has passed.
    assert dispatch_pending(uow, transport, clock, owner="w1").claimed == 0
    clock.advance(timedelta(seconds=31))
    with MailSink(tmp_path / "mail", port=port):
        report = dispatch_pending(uow, transport, clock, owner="w1")
        transport.close()
    assert report.outcomes == {S.DELIVERED: 3}
    assert len(message_ids(tmp_path / "mail")) == 3
    ledger = list(delivery_ledger(uow, incident))
    assert [[a.outcome for a in r.attempts] for r in ledger] == [["temporary", "accepted"]] * 3
    assert all("connection" in r.attempts[0].server_response for r in ledger)


def test_permanent_rejection_fails_or_falls_back(workspace: Workspace, tmp_path: Path) -> None:
    incident = _incident(workspace)
    uow, clock = _uow(workspace), FixedClock(T0)
    plain = _messages(incident, 2)
    planned = _messages(incident, 1, start=2, fallback=(Fallback("sms", "+15550100"),))
    queue_notices(uow, clock, plain + planned, actor="a")
    reject = {"person1@example.org", "person2@example.org"}
    with MailSink(tmp_path / "mail", reject=lambda a: a in reject) as sink:
        transport = _transport(sink.port)
        report = dispatch_pending(uow, transport, clock, owner="w1")
        transport.close()
    assert report.outcomes == {S.DELIVERED: 1, S.FAILED: 1, S.FALLEN_BACK: 1}
    ledger = list(delivery_ledger(uow, incident))
    assert [(r.channel, r.state) for r in ledger] == [
        ("email", S.DELIVERED),
        ("email", S.FAILED),
        ("email", S.FALLEN_BACK),
        ("sms", S.QUEUED),
    ]
    assert ledger[1].attempts[0].server_response.startswith("5.1.1")
    assert "@" not in ledger[1].attempts[0].server_response


def _child(ws: Workspace, port: int, owner: str, lease: float) -> subprocess.Popen[bytes]:
    code = (
        "import sys; from datetime import timedelta; from pathlib import Path\n"
        "from breachdesk.bootstrap import open_workspace; from breachdesk.config import Settings\n"
        "from breachdesk.core.clock import SystemClock\n"
        "from tests.integration.test_outbox import _transport, _uow\n"
        "from breachdesk.services.outbox import dispatch_pending\n"
        "home, url, port, owner, lease = sys.argv[1:]\n"
        "ws = open_workspace(Settings(home=Path(home), database_url=url or None, actor='t'))\n"
        "t = _transport(int(port))\n"
        "dispatch_pending(_uow(ws), t, SystemClock(), owner=owner, limit=50,\n"
        f"    concurrency={CONCURRENCY}, record_batch={RECORD_BATCH},\n"
        "    lease=timedelta(seconds=float(lease)))\n"
        "t.close(); ws.close()\n"
    )
    s = ws.settings
    args = [str(s.home), s.database_url or "", str(port), owner, str(lease)]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[2]))
    return subprocess.Popen([sys.executable, "-c", code, *args], env=env)


def test_kill_mid_campaign_then_resume(workspace: Workspace, tmp_path: Path) -> None:
    n, lease = 2_000, 3.0
    incident = _incident(workspace)
    uow = _uow(workspace)
    ids = queue_notices(uow, SystemClock(), _messages(incident, n), actor="a")
    maildir = tmp_path / "mail"
    with MailSink(maildir) as sink:
        child = _child(workspace, sink.port, "crashing", lease)
        deadline = time.monotonic() + 120
        while sink.handler.received < n // 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert sink.handler.received < n, "the child finished before it could be killed"
        time.sleep(lease + 0.5)
        transport = _transport(sink.port)
        dispatch_pending(uow, transport, SystemClock(), owner="resumer", concurrency=CONCURRENCY)
        transport.close()
    found = Counter(message_ids(maildir))
    expected = {message_id(i, incident, DOMAIN) for i in ids}
    assert set(found) == expected, "a message was lost"
    duplicates = sum(c - 1 for c in found.values())
    assert duplicates <= BOUND
    assert delivery_counts(uow, incident) == {S.DELIVERED: n}
    ledger = list(delivery_ledger(uow, incident))
    assert all(r.attempts and r.attempts[-1].outcome == "accepted" for r in ledger)
    _assert_no_clear_addresses(workspace)


def test_two_dispatchers_never_send_twice(workspace: Workspace, tmp_path: Path) -> None:
    n = 1_000
    incident = _incident(workspace)
    ids = queue_notices(_uow(workspace), SystemClock(), _messages(incident, n), actor="a")
    with MailSink(tmp_path / "mail") as sink:
        children = [_child(workspace, sink.port, f"w{k}", 300.0) for k in range(2)]
        assert [c.wait(timeout=300) for c in children] == [0, 0]
    found = Counter(message_ids(tmp_path / "mail"))
    assert found == Counter({message_id(i, incident, DOMAIN): 1 for i in ids})


def _assert_no_clear_addresses(ws: Workspace) -> None:
    meta = MetaData()
    meta.reflect(ws.engine)
    with ws.engine.connect() as conn:
        for table in meta.sorted_tables:
            for row in conn.execute(select(table)):
                text = " ".join(str(v) for v in row)
                assert "example.org" not in text, f"clear address in {table.name}"
                assert "Dear customer" not in text, f"clear content in {table.name}"


def test_bounce_after_delivery_falls_back_or_bounces(workspace: Workspace, tmp_path: Path) -> None:
    incident = _incident(workspace)
    uow, clock = _uow(workspace), FixedClock(T0)
    plain = _messages(incident, 1)
    planned = _messages(incident, 1, start=1, fallback=(Fallback("letter", "1 Main St"),))
    ids = queue_notices(uow, clock, plain + planned, actor="a")
    with MailSink(tmp_path / "mail") as sink:
        transport = _transport(sink.port)
        dispatch_pending(uow, transport, clock, owner="w1")
        transport.close()
    for outbox_id, mid in zip(ids, message_ids(tmp_path / "mail"), strict=False):
        assert parse_message_id(mid) is not None
        with uow() as tx:
            tx.outbox.bounce(outbox_id, "5.1.1 user unknown", at=clock.now())
            tx.commit()
    ledger = list(delivery_ledger(uow, incident))
    assert [(r.channel, r.state) for r in ledger] == [
        ("email", S.BOUNCED),
        ("email", S.FALLEN_BACK),
        ("letter", S.QUEUED),
    ]
    assert [a.outcome for a in ledger[0].attempts] == ["accepted", "bounced"]


def test_record_many_matches_record_for_every_verdict(workspace: Workspace) -> None:
    incident = _incident(workspace)
    uow, clock = _uow(workspace), FixedClock(T0)
    plan = (Fallback("sms", "+15550100"),)
    messages = _messages(incident, 3) + _messages(incident, 1, start=3, fallback=plan)
    ids = queue_notices(uow, clock, messages, actor="a")
    lease = timedelta(minutes=5)
    with uow() as tx:
        tx.outbox.claim(limit=10, now=T0, owner="w", lease=lease, channel="email")
        tx.commit()
    receipts = [
        Receipt(Verdict.ACCEPTED, "2.0.0 queued as A1", "<m1>"),
        Receipt(Verdict.TEMPORARY, "4.2.0 busy"),
        Receipt(Verdict.ACCEPTED, "2.0.0 queued as A3", None),
        Receipt(Verdict.PERMANENT, "5.1.1 unknown"),
    ]
    with uow() as tx:
        outcomes = [(i, r, 0.01) for i, r in zip(ids, receipts, strict=True)]
        states = tx.outbox.record_many(outcomes, at=T0, owner="w")
        tx.commit()
    assert states == [S.DELIVERED, S.DEFERRED, S.DELIVERED, S.FALLEN_BACK]
    ledger = list(delivery_ledger(uow, incident))
    assert [(r.channel, r.state, r.message_id) for r in ledger] == [
        ("email", S.DELIVERED, "<m1>"),
        ("email", S.DEFERRED, None),
        ("email", S.DELIVERED, None),
        ("email", S.FALLEN_BACK, None),
        ("sms", S.QUEUED, None),
    ]
    assert [[a.outcome for a in r.attempts] for r in ledger[:4]] == [
        ["accepted"],
        ["temporary"],
        ["accepted"],
        ["permanent"],
    ]
    assert ledger[0].attempts[0].server_response == "2.0.0 queued as A1"
    with uow() as tx:  # the lease is released: nothing is sending any more
        assert tx.outbox.claim(limit=10, now=T0, owner="x", lease=lease, channel="email") == []
