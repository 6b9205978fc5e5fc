"""After the reset: reminders delivered through the outbox, single-use links, enrolment codes,
and password assessment of really scanned files, end to end."""

from __future__ import annotations

import csv
import hashlib
import mailbox
import warnings
from collections.abc import Iterator
from datetime import timedelta
from email.header import decode_header, make_header
from pathlib import Path

import bcrypt
import pytest
from tests.integration.resets_support import (
    T0,
    TARGET_VAR,
    add_people,
    make_target,
    services,
    sql_config,
    sqlite_url,
)

from breachdesk.adapters.mail_sink import MailSink
from breachdesk.adapters.smtp import SmtpSettings, SmtpTransport
from breachdesk.adapters.sql.uow import SqlUnitOfWorkFactory
from breachdesk.bootstrap import (
    Workspace,
    init_workspace,
    load_master,
    make_executor,
    open_workspace,
)
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.config import Settings
from breachdesk.core.errors import InvalidInputError
from breachdesk.services.outbox import dispatch_pending
from breachdesk.services.people_views import PeopleFilter
from breachdesk.services.reset_ports import ResetState

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from passlib import hash as ph

EMAILS = ["ana@example.com", "ben@example.com", "cy@example.com"]


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    settings = Settings(home=tmp_path / "ws", actor="tester", key=None)
    init_workspace(settings)
    workspace = open_workspace(settings)
    try:
        yield workspace
    finally:
        workspace.close()


def test_reminders_reach_those_who_did_not_reset_with_a_working_link(
    ws: Workspace, tmp_path: Path
) -> None:
    url = sqlite_url(tmp_path / "users.db")
    make_target(url, EMAILS)
    incident = add_people(ws, EMAILS)
    svc, clock = services(ws, {TARGET_VAR: url})
    svc.resets.configure("users", "sql", sql_config(url), actor="tester")
    svc.resets.plan(incident, actor="tester")
    svc.resets.run(incident, "users", actor="tester", execute=True)
    # too early: nobody is reminded
    early = svc.tracking.remind(incident, after=timedelta(days=7), actor="t", organisation="ACME")
    assert early.queued == 0
    clock.advance(timedelta(days=8))
    first = svc.tracking.complete(svc.tracking.status(incident).accounts[0].id, actor="callback")
    report = svc.tracking.remind(
        incident,
        after=timedelta(days=7),
        actor="tester",
        organisation="ACME",
        locale="es",
        link_base="https://reset.acme.example/r",
    )
    assert report.queued == 2
    again = svc.tracking.remind(incident, after=timedelta(days=7), actor="t", organisation="ACME")
    assert again.queued == 0  # reminded within the window: never twice
    with MailSink(tmp_path / "mail") as sink:
        transport = SmtpTransport(
            SmtpSettings(
                host="127.0.0.1", port=sink.port, sender="dpo@acme.test", domain="acme.test"
            )
        )
        try:
            sent = dispatch_pending(SqlUnitOfWorkFactory(ws.engine), transport, clock, owner="t")
        finally:
            transport.close()
    assert sum(sent.outcomes.values()) == 2
    messages = list(mailbox.Maildir(tmp_path / "mail"))
    assert sorted(m["To"] for m in messages) == EMAILS[1:]  # the first one had completed
    assert first.state is ResetState.COMPLETED
    subjects = {str(make_header(decode_header(m["Subject"]))) for m in messages}
    assert subjects == {"Recordatorio: cambie su contraseña de ACME"}
    part = next(p for p in messages[0].walk() if p.get_content_type() == "text/plain")
    text = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    link = next(w for w in text.split() if w.startswith("https://reset.acme.example/r/"))
    token = link.rsplit("/", 1)[-1]
    clicked = svc.tracking.redeem(token)
    assert clicked.clicked_at is not None
    with pytest.raises(InvalidInputError, match="already used"):
        svc.tracking.redeem(token)
    with pytest.raises(InvalidInputError, match="signature"):
        svc.tracking.redeem(token[:-2] + ("00" if not token.endswith("00") else "11"))
    status = {a.id: a for a in svc.tracking.status(incident).accounts}
    assert sorted(a.reminders for a in status.values()) == [0, 1, 1]
    assert ws.audit.verify().ok


def test_links_expire_and_are_replaced_by_newer_ones(ws: Workspace) -> None:
    incident = add_people(ws, EMAILS[:1])
    svc, clock = services(ws)
    svc.resets.plan(incident, actor="tester")
    old = svc.tracking.issue_links(incident, "https://r.example", actor="t")
    new = svc.tracking.issue_links(incident, "https://r.example", actor="t", ttl=timedelta(hours=1))
    with pytest.raises(InvalidInputError, match="newer"):
        svc.tracking.redeem(next(iter(old.values())).rsplit("/", 1)[-1])
    clock.advance(timedelta(hours=2))
    with pytest.raises(InvalidInputError, match="expired"):
        svc.tracking.redeem(next(iter(new.values())).rsplit("/", 1)[-1])


def test_enrolment_codes_go_to_ssn_exposed_people_only_once(ws: Workspace) -> None:
    incident = add_people(ws, EMAILS, "email,ssn,payment_card")
    svc, _ = services(ws)
    assert svc.tracking.import_codes(incident, ["CODE-1", "CODE-2", " ", "CODE-1"], actor="t") == 2
    assert svc.tracking.import_codes(incident, ["CODE-2", "CODE-3"], actor="t") == 1
    plan = svc.resets.plan(incident, actor="tester")
    assert plan.accounts == []  # no credential exposed: nothing to reset
    assert len(plan.cards) == 3
    assert plan.codes_allocated == 3
    assert plan.codes_free == 0
    again = svc.resets.plan(incident, actor="tester")
    assert again.codes_allocated == 0
    assert sorted(svc.tracking.codes(incident).values()) == ["CODE-1", "CODE-2", "CODE-3"]


def test_assess_rereads_the_evidence_and_flags_weak_passwords(
    ws: Workspace, tmp_path: Path
) -> None:
    leak = tmp_path / "leak" / "accounts.csv"
    leak.parent.mkdir()
    values = {
        "ana@example.com": hashlib.md5(b"sunshine1", usedforsecurity=False).hexdigest(),
        "ben@example.com": bcrypt.hashpw(b"x" * 12, bcrypt.gensalt(12)).decode(),
        "cy@example.com": ph.sha512_crypt.using(rounds=5000).hash("pw"),
    }
    with leak.open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["email", "full_name", "password_hash"])
        for n, (email, value) in enumerate(values.items()):
            out.writerow([email, f"Person Number{n}", value])
    master = tmp_path / "customers.csv"
    with master.open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["customer_id", "email", "first_name", "last_name", "country"])
        for n, email in enumerate(values):
            out.writerow([f"C{n}", email, "Person", f"Number{n}", "US"])
    incident = ws.cases.open_incident(IncidentDraft(title="t", discovered_at=T0), actor="tester")
    ws.scans.scan([leak], executor=make_executor(), actor="tester", incident_id=incident.id)
    ws.link.link(
        incident.id, load_master(str(master), query=None, overrides=None, keys=None), actor="tester"
    )
    svc, _ = services(ws)
    report = svc.passwords.assess(incident.id, actor="tester")
    schemes = {s.scheme: (s.tier, s.values) for s in report.schemes}
    assert schemes == {
        "md5": ("instant", 1),
        "sha512_crypt": ("hours", 1),
        "bcrypt": ("impractical", 1),
    }
    assert report.people_weak == 1
    assert report.people_assessed == 3
    flagged = [
        p
        for p in ws.people.listing(incident.id, PeopleFilter(), actor="tester")
        if "weak_password" in p.flags
    ]
    assert [p.email for p in flagged] == ["a***@example.com"]
    plan = svc.resets.plan(incident.id, actor="tester")
    urgency = sorted(a.urgency for a in plan.accounts)
    assert urgency == ["critical", "high", "normal"]
    assert ws.audit.verify().ok


def test_plaintext_passwords_are_checked_against_a_local_pwned_file(
    ws: Workspace, tmp_path: Path
) -> None:
    from breachdesk.adapters.pwned import LocalPwnedFile

    leak = tmp_path / "plain.csv"
    with leak.open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["email", "password"])
        out.writerows([[e, f"Summer{n}!"] for n, e in enumerate(EMAILS)])
    seen = sorted(
        hashlib.sha1(p.encode(), usedforsecurity=False).hexdigest().upper()
        for p in ("Summer0!", "letmein", "Summer2!")
    )
    pwned = tmp_path / "pwned.txt"
    pwned.write_text("".join(f"{h}:{n + 5}\n" for n, h in enumerate(seen)))
    incident = ws.cases.open_incident(IncidentDraft(title="t", discovered_at=T0), actor="tester")
    ws.scans.scan([leak], executor=make_executor(), actor="tester", incident_id=incident.id)
    svc, _ = services(ws)
    check = LocalPwnedFile(pwned)
    try:
        report = svc.passwords.assess(incident.id, actor="tester", pwned=check)
    finally:
        check.close()
    [plain] = report.schemes
    assert (plain.scheme, plain.tier, plain.values, plain.pwned) == ("plaintext", "instant", 3, 2)
    assert report.people_assessed == 0  # not linked yet: values assessed, nobody flagged
