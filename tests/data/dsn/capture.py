"""Regenerate the DSN samples in this folder from a real Postfix (see `.ci/postfix`).

Run as root after `. .ci/postfix`:  .venv/bin/python tests/data/dsn/capture.py
Sends messages of incident 1 (outbox ids 1-4, Message-ID domain notices.breachdesk.test) with the
production SMTP transport: 1 is delivered, 2 and 4 go to a user that does not exist (Postfix
bounces them: ``failed-2.eml``, ``failed-4.eml``), 3 to a domain Postfix keeps deferring (a delay
warning: ``delayed-3.eml``). ``delivered-1.eml`` is the delivered message itself (not a DSN).
Nothing here is written by hand: every file is what Postfix put into the mailboxes.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[3]))

from tests.integration.postfix import postfix_or_skip, wait_for_mail

from breachdesk.adapters.smtp import SmtpSettings, SmtpTransport
from breachdesk.core.delivery import OutboxMessage, parse_message_id

DOMAIN = "notices.breachdesk.test"
HERE = Path(__file__).parent


def main() -> None:
    """Send the four messages and copy what Postfix delivers and returns."""
    pf = postfix_or_skip()
    addresses = {
        1: pf.recipient("sample1"),
        2: pf.unknown("sample2"),
        3: pf.deferred("sample3"),
        4: pf.unknown("sample4"),
    }
    transport = SmtpTransport(SmtpSettings(pf.host, pf.port, pf.sender, DOMAIN))
    for outbox_id, address in addresses.items():
        body = f"Dear customer {outbox_id}, your e-mail address and password hash were exposed."
        message = OutboxMessage(
            id=outbox_id,
            incident_id=1,
            person_id=outbox_id,
            campaign="individuals",
            channel="email",
            recipient=address,
            subject="About your data",
            body_text=body,
            body_html=f"<p>{body}</p>",
            content_hash="0" * 64,
            template_version="email/gdpr/en@1",
            attempts=1,
        )
        print(outbox_id, transport.send(message).verdict)
    transport.close()

    def ours(data: bytes) -> bool:
        return DOMAIN.encode() in data

    names = {2: "failed-2.eml", 3: "delayed-3.eml", 4: "failed-4.eml"}
    for data in wait_for_mail(pf.bounce_maildir, ours, 3, timeout=120):
        found = parse_message_id(data.decode("utf-8", "replace"))
        if found and found[0] in names and f"outbox-{found[0]}.1@{DOMAIN}".encode() in data:
            (HERE / names[found[0]]).write_bytes(data)
    for data in wait_for_mail(pf.maildir, ours, 1):
        if f"outbox-1.1@{DOMAIN}".encode() in data:
            (HERE / "delivered-1.eml").write_bytes(data)
    print(sorted(p.name for p in HERE.glob("*.eml")))


if __name__ == "__main__":
    main()
