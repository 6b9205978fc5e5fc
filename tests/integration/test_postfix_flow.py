"""A small campaign through the real Postfix of `.ci/postfix`: delivered mail, real DSNs, ledger."""

from __future__ import annotations

import email
import mailbox
import os
from collections.abc import Callable
from dataclasses import replace
from email.message import Message
from pathlib import Path

import pytest
from tests.integration.postfix import Postfix, postfix_or_skip, unique_domain, wait_for_mail
from tests.integration.test_bounces import _message
from tests.integration.test_outbox import T0

from breachdesk.adapters.mailboxes import ImapSource, read_maildir
from breachdesk.adapters.smtp import SmtpSettings, SmtpTransport
from breachdesk.adapters.sql.uow import SqlUnitOfWorkFactory
from breachdesk.bootstrap import Workspace
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.core.delivery import DeliveryState, Fallback, message_id
from breachdesk.core.errors import ConfigError
from breachdesk.services.outbox import delivery_ledger, dispatch_pending, queue_notices
from breachdesk.testing import FixedClock

S = DeliveryState


def _mentions(text: str) -> Callable[[bytes], bool]:
    return lambda data: text.encode() in data


def _text_part(msg: Message) -> str:
    for part in msg.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no text part")


def _campaign(ws: Workspace, pf: Postfix, tag: str) -> tuple[int, list[int]]:
    incident = ws.cases.open_incident(IncidentDraft("Leak", T0), actor="a").id
    letter = (Fallback("letter", "1 Main St"),)
    addresses = [pf.recipient(f"{tag}-{i}") for i in range(5)]
    addresses += [pf.unknown(f"{tag}-5"), pf.unknown(f"{tag}-6"), pf.deferred(f"{tag}-7")]
    messages = []
    for i, address in enumerate(addresses):
        m = _message(incident, i, fallback=letter if i == 6 else ())
        messages.append(replace(m, recipient=address))
    ids = queue_notices(SqlUnitOfWorkFactory(ws.engine), FixedClock(T0), messages, actor="a")
    return incident, ids


def test_campaign_through_postfix_delivers_and_processes_its_bounces(
    workspace: Workspace, tmp_path: Path
) -> None:
    pf = postfix_or_skip()
    domain = unique_domain()
    tag = domain.split(".")[0]
    incident, ids = _campaign(workspace, pf, tag)
    uow, clock = SqlUnitOfWorkFactory(workspace.engine), FixedClock(T0)
    transport = SmtpTransport(SmtpSettings(pf.host, pf.port, pf.sender, domain))
    report = dispatch_pending(uow, transport, clock, owner="w", concurrency=4)
    transport.close()
    # Postfix accepts every message (unknown users bounce later, by DSN).
    assert report.outcomes == {S.DELIVERED: 8}
    ledger = list(delivery_ledger(uow, incident))
    assert all("queued as" in r.attempts[0].server_response for r in ledger)

    delivered = wait_for_mail(pf.maildir, _mentions(domain), 5)
    parsed = [email.message_from_bytes(d) for d in delivered]
    assert sorted(str(m["Message-ID"]) for m in parsed) == sorted(
        message_id(i, incident, domain) for i in ids[:5]
    )
    for m in parsed:
        n = int(str(m["Message-ID"]).split("-")[1].split(".")[0]) - ids[0]
        assert str(m["To"]) == pf.recipient(f"{tag}-{n}")
        assert str(m["Subject"]) == "About your data"
        assert f"Dear customer {n}," in _text_part(m)

    # Two bounces (no such user) and one delay warning arrive in the sender's mailbox.
    returned = wait_for_mail(pf.bounce_maildir, _mentions(domain), 3)
    assert len(returned) == 3, "Postfix did not return the expected DSNs in time"
    box = mailbox.Maildir(tmp_path / "returned", create=True)
    for data in returned:
        box.add(data)
    result = workspace.bounces.process(
        incident, read_maildir(tmp_path / "returned"), actor="a", source="maildir"
    )
    assert result.outcomes == {"bounced": 1, "fallen_back": 1, "delayed": 1}
    assert result.skipped == ()
    ledger = list(delivery_ledger(uow, incident))
    assert [(r.channel, r.state) for r in ledger] == [("email", S.DELIVERED)] * 5 + [
        ("email", S.BOUNCED),
        ("email", S.FALLEN_BACK),
        ("email", S.DELIVERED),
        ("letter", S.QUEUED),
    ]
    assert [a.outcome for a in ledger[7].attempts] == ["accepted", "delayed"]
    assert "5.1.1" in ledger[5].attempts[-1].server_response
    again = workspace.bounces.process(
        incident, read_maildir(tmp_path / "returned"), actor="a", source="maildir"
    )
    assert again.outcomes == {"duplicate": 3}


def test_bounces_read_over_imap_and_imaps(workspace: Workspace, tmp_path: Path) -> None:
    pf = postfix_or_skip()
    url, secure = (
        os.environ.get("BREACHDESK_TEST_IMAP_URL"),
        os.environ.get("BREACHDESK_TEST_IMAPS_URL"),
    )
    password = os.environ.get("BREACHDESK_TEST_IMAP_PASSWORD", "")
    if not url or not secure:
        pytest.skip("no IMAP server configured (.ci/postfix sets BREACHDESK_TEST_IMAP_URL)")
    cafile = Path(os.environ.get("BREACHDESK_TEST_IMAP_CAFILE", ""))
    domain = unique_domain()
    incident = workspace.cases.open_incident(IncidentDraft("Leak", T0), actor="a").id
    messages = [replace(_message(incident, i), recipient=pf.unknown(f"imap{i}")) for i in (1, 2)]
    uow, clock = SqlUnitOfWorkFactory(workspace.engine), FixedClock(T0)
    queue_notices(uow, clock, messages, actor="a")
    transport = SmtpTransport(SmtpSettings(pf.host, pf.port, pf.sender, domain))
    dispatch_pending(uow, transport, clock, owner="w")
    transport.close()
    assert len(wait_for_mail(pf.bounce_maildir, _mentions(domain), 2)) == 2

    # The whole INBOX, other runs' DSNs included: only this domain's are applied.
    first = workspace.bounces.process(
        incident, ImapSource(url, password).messages(), actor="a", source="imap", domain=domain
    )
    assert first.outcomes["bounced"] == 2
    assert all(s.location.startswith("imap:INBOX#uid") for s in first.skipped)
    again = workspace.bounces.process(
        incident,
        ImapSource(secure, password, cafile).messages(),
        actor="a",
        source="imap",
        domain=domain,
    )
    assert again.outcomes["duplicate"] == 2
    assert "bounced" not in again.outcomes
    assert [r.state for r in delivery_ledger(uow, incident)] == [S.BOUNCED, S.BOUNCED]
    with pytest.raises(ConfigError, match="login refused"):
        list(ImapSource(url, "wrong").messages())
    with pytest.raises(ConfigError, match="cannot connect"):
        list(ImapSource(secure, password).messages())  # self-signed: refused without --imap-cafile
