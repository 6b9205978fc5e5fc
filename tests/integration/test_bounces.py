"""Bounce processing with DSNs Postfix wrote (tests/data/dsn), on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import mailbox
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.integration.test_outbox import T0

from breachdesk.adapters.mail_sink import MailSink
from breachdesk.adapters.mailboxes import read_maildir, read_mbox
from breachdesk.adapters.smtp import SmtpSettings, SmtpTransport
from breachdesk.adapters.sql.uow import SqlUnitOfWorkFactory
from breachdesk.bootstrap import Workspace
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.core.delivery import DeliveryState, Fallback, OutgoingMessage
from breachdesk.services.outbox import delivery_ledger, dispatch_pending, queue_notices
from breachdesk.testing import FixedClock

DATA = Path(__file__).parents[1] / "data" / "dsn"
DOMAIN = "notices.breachdesk.test"  # the Message-ID domain the samples were sent with
S = DeliveryState


def _message(incident: int, i: int, **extra: object) -> OutgoingMessage:
    body = f"Dear customer {i}, your e-mail address and password hash were exposed."
    return OutgoingMessage(
        incident_id=incident,
        person_id=i,
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


def _delivered_campaign(ws: Workspace, tmp_path: Path) -> int:
    """Incident 1 with outbox messages 1-4 delivered, as when the samples were captured."""
    incident = ws.cases.open_incident(IncidentDraft("Leak", T0), actor="a").id
    assert incident == 1
    uow, clock = SqlUnitOfWorkFactory(ws.engine), FixedClock(T0)
    plan = (Fallback("letter", "1 Main St"),)
    messages = [_message(incident, i, fallback=plan if i == 4 else ()) for i in (1, 2, 3, 4)]
    assert queue_notices(uow, clock, messages, actor="a") == [1, 2, 3, 4]
    with MailSink(tmp_path / "sent") as sink:
        transport = SmtpTransport(SmtpSettings("127.0.0.1", sink.port, "dpo@acme.test", DOMAIN))
        dispatch_pending(SqlUnitOfWorkFactory(ws.engine), transport, clock, owner="w")
        transport.close()
    return incident


def _returned_mail(tmp_path: Path) -> Path:
    """A Maildir holding the Postfix DSNs, one delivered (non-DSN) message and a corrupt file."""
    box = mailbox.Maildir(tmp_path / "returned", create=True)
    for name in ("failed-2.eml", "delayed-3.eml", "failed-4.eml", "delivered-1.eml"):
        box.add((DATA / name).read_bytes())
    (tmp_path / "returned" / "new" / "corrupt").write_bytes(b"\x00\xff garbage \x00" * 10)
    return tmp_path / "returned"


def _audited(ws: Workspace) -> int:
    return sum(1 for e in ws.audit.entries() if e.action == "notices.bounces_processed")


def test_dsns_bounce_fall_back_or_log_a_delay_once(workspace: Workspace, tmp_path: Path) -> None:
    incident = _delivered_campaign(workspace, tmp_path)
    maildir = _returned_mail(tmp_path)
    report = workspace.bounces.process(incident, read_maildir(maildir), actor="a", source="maildir")
    assert report.read == 5
    assert report.outcomes == {"bounced": 1, "fallen_back": 1, "delayed": 1}
    reasons = {Path(s.location).name: s.reason for s in report.skipped}
    assert reasons["corrupt"] == "not a multipart/report message"
    assert len(reasons) == 2
    assert all("@" not in s.reason for s in report.skipped)

    uow = SqlUnitOfWorkFactory(workspace.engine)
    ledger = list(delivery_ledger(uow, incident))
    assert [(r.outbox_id, r.channel, r.state) for r in ledger] == [
        (1, "email", S.DELIVERED),
        (2, "email", S.BOUNCED),
        (3, "email", S.DELIVERED),
        (4, "email", S.FALLEN_BACK),
        (5, "letter", S.QUEUED),
    ]
    assert [a.outcome for a in ledger[1].attempts] == ["accepted", "bounced"]
    assert [a.outcome for a in ledger[2].attempts] == ["accepted", "delayed"]
    assert "5.1.1" in ledger[1].attempts[1].server_response
    assert "bd-missing" not in ledger[1].attempts[1].server_response
    assert _audited(workspace) == 1
    entry = next(e for e in workspace.audit.entries() if e.action == "notices.bounces_processed")
    assert entry.details["outcomes"] == {"bounced": 1, "delayed": 1, "fallen_back": 1}

    # The same DSNs again, from the Maildir or as an mbox: nothing changes, nothing is audited.
    again = workspace.bounces.process(incident, read_maildir(maildir), actor="a", source="maildir")
    assert again.outcomes == {"duplicate": 3}
    mbox_path = tmp_path / "returned.mbox"
    box = mailbox.mbox(mbox_path)
    for name in ("failed-2.eml", "failed-2.eml", "delayed-3.eml"):
        box.add((DATA / name).read_bytes())
    box.close()
    from_mbox = workspace.bounces.process(incident, read_mbox(mbox_path), actor="a", source="mbox")
    assert from_mbox.outcomes == {"duplicate": 3}
    assert from_mbox.skipped == ()
    assert list(delivery_ledger(uow, incident)) == ledger
    assert _audited(workspace) == 1


def test_dsn_of_another_incident_changes_nothing(workspace: Workspace, tmp_path: Path) -> None:
    _delivered_campaign(workspace, tmp_path)
    other = workspace.cases.open_incident(IncidentDraft("Other", T0), actor="a").id
    maildir = _returned_mail(tmp_path)
    report = workspace.bounces.process(other, read_maildir(maildir), actor="a", source="maildir")
    assert report.outcomes == {"other_incident": 3}
    assert _audited(workspace) == 0


def test_cli_processes_a_maildir_and_reports_skipped(workspace: Workspace, tmp_path: Path) -> None:
    if workspace.settings.database_url:
        pytest.skip("the command is checked once, on SQLite")
    incident = _delivered_campaign(workspace, tmp_path)
    maildir = _returned_mail(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BREACHDESK_")}
    env.update(BREACHDESK_HOME=str(workspace.settings.home), BREACHDESK_ACTOR="cli")
    env.update(BREACHDESK_SMTP_DOMAIN=DOMAIN)  # the samples' Message-ID domain

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "breachdesk", "notify", "bounces", str(incident), *args]
        return subprocess.run(command, env=env, capture_output=True, text=True, check=False)

    done = run("--maildir", str(maildir), "--json")
    assert done.returncode == 1, done.stderr  # two messages skipped: action needed
    out = json.loads(done.stdout)
    assert out["outcomes"] == {"bounced": 1, "delayed": 1, "fallen_back": 1}
    assert "corrupt" in {Path(s["location"]).name for s in out["skipped"]}
    shutil.rmtree(maildir / "new")
    (maildir / "new").mkdir()
    mailbox.Maildir(maildir).add((DATA / "failed-2.eml").read_bytes())
    done = run("--maildir", str(maildir))
    assert done.returncode == 0, done.stderr
    assert "duplicate 1" in done.stdout
    bad = run("--mbox", str(DATA / "failed-2.eml"))
    assert bad.returncode == 2
    assert "not an mbox file" in bad.stderr
    both = run("--mbox", "x", "--maildir", "y")
    assert both.returncode == 2
    assert "exactly one" in both.stderr
    imap = run("--imap", "imaps://u@127.0.0.1:1/INBOX")
    assert imap.returncode == 2
    assert "BREACHDESK_IMAP_PASSWORD" in imap.stderr


def test_dsns_of_another_message_id_domain_are_ignored(
    workspace: Workspace, tmp_path: Path
) -> None:
    incident = _delivered_campaign(workspace, tmp_path)
    maildir = _returned_mail(tmp_path)
    other = workspace.bounces.process(
        incident, read_maildir(maildir), actor="a", source="maildir", domain="other.example"
    )
    assert other.outcomes == {"other_domain": 3}
    assert _audited(workspace) == 0
    ours = workspace.bounces.process(
        incident, read_maildir(maildir), actor="a", source="maildir", domain=DOMAIN.upper()
    )
    assert ours.outcomes == {"bounced": 1, "fallen_back": 1, "delayed": 1}
