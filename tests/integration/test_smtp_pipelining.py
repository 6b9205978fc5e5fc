"""Pipelined submission (RFC 2920) against real servers: content intact, refusals, fallback."""

from __future__ import annotations

import email
import mailbox
from dataclasses import replace
from pathlib import Path

from aiosmtpd.controller import Controller
from tests.integration.postfix import postfix_or_skip, unique_domain, wait_for_mail
from tests.integration.test_smtp import _message

from breachdesk.adapters.mail_sink import MailSink, free_port
from breachdesk.adapters.smtp import SmtpSettings, SmtpTransport
from breachdesk.core.delivery import Verdict

TRICKY = ".a line that starts with a dot\n..and two\n.\nand a lone dot above\nend"


def _bodies(maildir: Path) -> list[str]:
    out = []
    for msg in mailbox.Maildir(maildir, create=False):
        part = next(p for p in msg.walk() if p.get_content_type() == "text/plain")
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        # SMTP data always ends with a line break: the text arrives with one more.
        out.append(payload.decode("utf-8").replace("\r\n", "\n").removesuffix("\n"))
    return out


def test_dot_lines_survive_and_refusals_leave_the_connection_usable(tmp_path: Path) -> None:
    with MailSink(tmp_path / "mail", reject=lambda a: a.startswith("p2@")) as sink:
        transport = SmtpTransport(SmtpSettings("127.0.0.1", sink.port, "dpo@acme.test", "x.t"))
        receipts = [transport.send(replace(_message(i), body_text=TRICKY)) for i in (1, 2, 3)]
        transport.close()
    assert [r.verdict for r in receipts] == [Verdict.ACCEPTED, Verdict.PERMANENT, Verdict.ACCEPTED]
    assert receipts[1].response.startswith("5.1.1")
    assert _bodies(tmp_path / "mail") == [TRICKY, TRICKY]


class _PlainHandler:
    """A server that does not offer PIPELINING (aiosmtpd's defaults)."""

    def __init__(self) -> None:
        self.contents: list[bytes] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.contents.append(envelope.content)  # type: ignore[attr-defined]
        return "250 2.0.0 Ok"


def test_server_without_pipelining_gets_one_command_at_a_time() -> None:
    handler = _PlainHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        transport = SmtpTransport(SmtpSettings("127.0.0.1", port, "dpo@acme.test", "x.t"))
        assert transport.send(replace(_message(1), body_text=TRICKY)).verdict is Verdict.ACCEPTED
        transport.close()
    finally:
        controller.stop()
    [content] = handler.contents
    assert b"\r\n.a line that starts with a dot" in content
    assert b"Message-ID: <outbox-1.9@x.t>" in content


def test_pipelined_to_postfix(tmp_path: Path) -> None:
    pf = postfix_or_skip()
    domain = unique_domain()
    transport = SmtpTransport(SmtpSettings(pf.host, pf.port, pf.sender, domain))
    messages = [
        replace(_message(i), recipient=pf.recipient(f"p{i}"), body_text=TRICKY) for i in (1, 2)
    ]
    assert [transport.send(m).verdict for m in messages] == [Verdict.ACCEPTED] * 2
    transport.close()
    found = wait_for_mail(pf.maildir, lambda d: domain.encode() in d, 2)
    texts = [email.message_from_bytes(d).get_payload(decode=True) for d in found]
    bodies = [t.decode().replace("\r\n", "\n") for t in texts if isinstance(t, bytes)]
    assert bodies == [TRICKY + "\n"] * 2
