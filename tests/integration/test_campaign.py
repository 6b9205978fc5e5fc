"""Notice campaigns on real databases and a real SMTP sink: approval gate, idempotent queue,
ledger, obligations met, duplicate suppression across incidents."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from breachdesk.adapters.mail_sink import MailSink, message_ids
from breachdesk.adapters.smtp import SmtpSettings, SmtpTransport
from breachdesk.adapters.sql.uow import SqlUnitOfWorkFactory
from breachdesk.bootstrap import Workspace
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.core.delivery import DeliveryState, Receipt, Verdict
from breachdesk.core.ids import IncidentId
from breachdesk.core.obligation import ContactInfo
from breachdesk.notify.render import SHIPPED
from breachdesk.services.campaign import CampaignContent, NotApprovedError
from breachdesk.services.ports import PeopleWrite, PersonRow

S = DeliveryState
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
CA = "us-ca-breach-notification:individuals"
CONTENT = CampaignContent(
    "ACME Ltd", ContactInfo("ACME Ltd", email="privacy@acme.test"), "We closed the endpoint."
)


def _person(ref: str, **kw: str | None) -> PersonRow:
    values: dict[str, object] = {
        "person_ref": ref,
        "known": True,
        "customer_ref": None,
        "country": "US",
        "region": "US-CA",
        "residence_source": "master",
        "elements": "person_name,ssn",
        "flags": "",
        "records": 1,
        "review": False,
        "name": f"Person {ref}",
        "email": f"{ref}@example.org",
        "phone": None,
        "address": None,
    }
    values.update(kw)
    return PersonRow(**values)  # type: ignore[arg-type]


PEOPLE = (
    _person("ann"),
    _person("bob", phone="+1 415 555 0100"),
    _person("cy", email=None, phone="+1 415 555 0101"),
    _person("di", email=None, address="1 Main St, Springfield"),
    _person("ed", email=None),  # no contact data at all
    _person("fr", country="FR", region=None, elements="email,person_name"),
    _person("zz", elements="email"),  # no Californian trigger, not owed
)


def _incident(ws: Workspace, people: tuple[PersonRow, ...] = PEOPLE) -> IncidentId:
    incident = ws.cases.open_incident(IncidentDraft("Leak", T0, controller="ACME"), actor="a")
    uow = SqlUnitOfWorkFactory(ws.engine)()
    with uow:
        uow.people.replace(incident.id, PeopleWrite(people, (), (), (), ()))
        uow.commit()
    return incident.id


def _send(ws: Workspace, maildir: Path, reject: frozenset[str] = frozenset()) -> None:
    with MailSink(maildir, reject=lambda a: a in reject) as sink:
        transport = SmtpTransport(
            SmtpSettings(host="127.0.0.1", port=sink.port, sender="n@acme.test", domain="acme.test")
        )
        try:
            ws.campaigns.dispatch(transport, owner="t", concurrency=4)
        finally:
            transport.close()


def test_plan_chooses_channels_locales_and_reports_the_unreachable(workspace: Workspace) -> None:
    incident = _incident(workspace)
    plan = workspace.campaigns.plan(incident, actor="t")
    by_ref = {n.person_id: n for n in plan.notices}
    assert len(plan.notices) == 5
    chains = sorted(tuple(c.value for c in n.channels) for n in by_ref.values())
    assert chains == [("email",), ("email",), ("email", "sms"), ("letter",), ("sms",)]
    assert sorted(n.locale for n in plan.notices) == ["en", "en", "en", "en", "fr"]
    assert [u.reason for u in plan.unreachable] == ["no e-mail, phone or postal address known"]
    assert plan.unreachable[0].substitute  # California allows substitute notice
    assert plan.not_owed == 1
    assert any(CA in n.obligations for n in plan.notices)
    assert plan.counts()["to_notify"] == 5
    assert "example.org" not in repr(plan)


def test_send_refuses_without_approval_and_after_a_template_change(
    workspace: Workspace, tmp_path: Path
) -> None:
    incident = _incident(workspace)
    with pytest.raises(NotApprovedError, match="not approved"):
        workspace.campaigns.queue(incident, actor="t")
    overrides = tmp_path / "templates"
    (overrides / "en").mkdir(parents=True)
    sms = (SHIPPED / "en" / "sms.txt.j2").read_text(encoding="utf-8")
    (overrides / "en" / "sms.txt.j2").write_text(sms, encoding="utf-8")
    approval = workspace.campaigns.approve(
        incident, CONTENT, actor="counsel-1", role="counsel", overrides=overrides
    )
    assert (approval.role, approval.approver) == ("counsel", "counsel-1")
    assert dict(approval.templates).keys() >= {"en/email", "en/sms", "en/letter", "fr/email"}
    (overrides / "en" / "sms.txt.j2").write_text(sms + "\nP.S. changed\n", encoding="utf-8")
    with pytest.raises(NotApprovedError, match="changed since approval"):
        workspace.campaigns.queue(incident, actor="t")
    workspace.campaigns.approve(incident, CONTENT, actor="c", role="counsel", overrides=overrides)
    assert workspace.campaigns.queue(incident, actor="t").queued == 5
    actions = [e.action for e in workspace.audit.entries(incident)]
    assert actions.count("notices.approved") == 2
    assert "notices.queued" in actions


def test_queue_is_idempotent_even_when_two_senders_queue_at_once(workspace: Workspace) -> None:
    incident = _incident(workspace)
    workspace.campaigns.approve(incident, CONTENT, actor="c", role="counsel")
    results: list[int] = []

    def queue() -> None:
        results.append(workspace.campaigns.queue(incident, actor="t").queued)

    threads = [threading.Thread(target=queue) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [0, 5]
    again = workspace.campaigns.queue(incident, actor="t")
    assert (again.queued, again.already) == (0, 5)
    counts = workspace.campaigns.counts(incident)
    assert sum(counts.values()) == 5
    assert counts[("email", S.QUEUED)] == 3


def test_send_ledger_and_obligation_met(workspace: Workspace, tmp_path: Path) -> None:
    incident = _incident(workspace)
    workspace.campaigns.approve(incident, CONTENT, actor="c", role="counsel")
    plan = workspace.campaigns.plan(incident, actor="t")
    workspace.campaigns.queue(incident, actor="t", plan=plan)
    # bob's mailbox refuses: his notice falls back to SMS (no SMS transport here)
    _send(workspace, tmp_path / "mail", reject=frozenset({"bob@example.org"}))
    assert len(message_ids(tmp_path / "mail")) == 2
    settled = {s.obligation: s for s in workspace.campaigns.settle(plan, actor="t")}
    assert not settled[CA].met
    assert (settled[CA].reachable, settled[CA].delivered, settled[CA].missing) == (4, 1, 3)
    assert settled[CA].unreachable == 1
    # bob's SMS fallback was queued with his e-mail's text; it gets the approved SMS rendering
    approval = workspace.campaigns.approval(incident)
    assert approval is not None
    assert workspace.campaigns.render_fallbacks(plan, actor="t") == 1
    assert workspace.campaigns.render_fallbacks(plan, actor="t") == 0
    lines = list(workspace.campaigns.ledger(incident))
    sms = [x.row for x in lines if x.row.channel == "sms"]
    assert {r.template_version for r in sms} == {dict(approval.templates)["en/sms"]}
    fallen = [x.row for x in lines if x.row.state is S.FALLEN_BACK]
    again = [r for r in sms if r.person_id == fallen[0].person_id]
    assert again[0].content_hash != fallen[0].content_hash
    states = Counter((line.row.channel, line.row.state) for line in lines)
    assert states == Counter(
        {
            ("email", S.DELIVERED): 2,
            ("email", S.FALLEN_BACK): 1,
            ("sms", S.QUEUED): 2,
            ("letter", S.QUEUED): 1,
        }
    )
    delivered = [x for x in lines if x.row.state is S.DELIVERED]
    assert all("***@example.org" in x.recipient for x in delivered)
    assert all("queued as" in x.row.attempts[0].server_response for x in delivered)
    assert all(x.row.message_id and x.row.content_hash for x in delivered)
    assert not any("ann@" in x.recipient or "555 0100" in x.recipient for x in lines)
    # every remaining reachable person gets a delivered notice (SMS gateway, print house)
    _mark_delivered(workspace, [x.row.outbox_id for x in lines if x.row.channel != "email"])
    settled = {s.obligation: s for s in workspace.campaigns.settle(plan, actor="t")}
    assert (settled[CA].met, settled[CA].newly_met) == (True, True)
    stored = {o.key: o for o in workspace.obligations.evaluate(incident, actor="t").stored}
    assert stored[CA].met_at is not None
    assert "ledger sha256:" in (stored[CA].met_note or "")
    assert "4 delivered" in (stored[CA].met_note or "")
    assert not any(s.newly_met for s in workspace.campaigns.settle(plan, actor="t"))


def _mark_delivered(ws: Workspace, ids: list[int]) -> None:
    uow = SqlUnitOfWorkFactory(ws.engine)()
    with uow:
        for i in ids:
            uow.outbox.record(
                i, Receipt(Verdict.ACCEPTED, "250 ok"), at=T0, duration=0.1, owner="x"
            )
        uow.commit()


def test_duplicates_across_incidents_are_suppressed_on_request(
    workspace: Workspace, tmp_path: Path
) -> None:
    first = _incident(workspace, PEOPLE[:1])
    workspace.campaigns.approve(first, CONTENT, actor="c", role="counsel")
    workspace.campaigns.queue(first, actor="t")
    _send(workspace, tmp_path / "mail")
    second = _incident(workspace, (_person("ANN", email=" Ann@Example.org "), _person("new")))
    workspace.campaigns.approve(second, CONTENT, actor="c", role="counsel")
    report = workspace.campaigns.queue(second, actor="t", suppress_duplicates=True)
    assert (report.queued, report.suppressed) == (1, 1)
    again = workspace.campaigns.queue(second, actor="t", suppress_duplicates=True)
    assert (again.queued, again.suppressed) == (0, 0)
    queued = [e for e in workspace.audit.entries(second) if e.action == "notices.queued"]
    assert queued[0].details["suppressed"] == 1
