"""Notice campaigns over the in-memory fakes: plan rules, approval, idempotent queue, dispatch,
obligations met, duplicate suppression, rate parsing."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer
from hypothesis import given
from hypothesis import strategies as st

from breachdesk.casefile.incident import IncidentDraft
from breachdesk.cli.campaign import _exit_if_unfinished
from breachdesk.core.delivery import DeliveryState, Verdict
from breachdesk.core.errors import InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.core.obligation import ContactInfo
from breachdesk.notify.render import SHIPPED
from breachdesk.services.campaign import CampaignContent, CampaignService, NotApprovedError
from breachdesk.services.campaign_plan import locale_for
from breachdesk.services.campaign_proof import _mark
from breachdesk.services.campaign_support import folder_hash, parse_rate
from breachdesk.services.casefile import CaseService
from breachdesk.services.obligations import ObligationService
from breachdesk.services.ports import PeopleWrite, PersonRow
from breachdesk.testing import FakeUnitOfWorkFactory, FixedClock, MemoryTransport

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
CONTENT = CampaignContent("ACME", ContactInfo("ACME", email="p@acme.test"), "We fixed it.")
CA = "us-ca-breach-notification:individuals"


class Hasher:
    """HMAC with a fixed key, as the workspace cipher does."""

    def keyed_hash(self, value: str, *, purpose: str) -> str:
        return hmac.new(b"k", f"{purpose}\0{value}".encode(), hashlib.sha256).hexdigest()


def _row(ref: str, **kw: object) -> PersonRow:
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
        "name": f"P {ref}",
        "email": f"{ref}@example.org",
        "phone": None,
        "address": None,
    }
    values.update(kw)
    return PersonRow(**values)  # type: ignore[arg-type]


@pytest.fixture
def service() -> tuple[CampaignService, FakeUnitOfWorkFactory]:
    uow, clock = FakeUnitOfWorkFactory(), FixedClock(T0)
    return CampaignService(uow, ObligationService(uow, clock), Hasher(), clock), uow


def _incident(uow: FakeUnitOfWorkFactory, people: list[PersonRow]) -> IncidentId:
    incident = CaseService(uow, FixedClock(T0)).open_incident(IncidentDraft("Leak", T0), actor="a")
    with uow() as tx:
        tx.people.replace(incident.id, PeopleWrite(people, (), (), (), ()))
        tx.commit()
    return incident.id


def test_plan_orders_channels_and_keeps_contacts_out_of_repr(
    service: tuple[CampaignService, FakeUnitOfWorkFactory],
) -> None:
    campaigns, uow = service
    people = [_row("a", phone="+1 555 0100", address="1 Main St"), _row("b", email=None)]
    incident = _incident(uow, [*people, _row("c", region="US-TX", elements="email")])
    plan = campaigns.plan(incident, actor="t")
    chains = [[c.value for c in n.channels] for n in plan.notices]
    assert chains == [["email", "sms", "letter"]]
    assert [u.reason for u in plan.unreachable] == ["no e-mail, phone or postal address known"]
    assert (plan.counts()["unreachable"], plan.counts()["not_owed"]) == (1, 1)
    assert "example.org" not in repr(plan)
    assert "555" not in repr(plan)
    assert uow.state.audit[-1].action == "notices.planned"


@pytest.mark.parametrize(
    ("country", "region", "locale"),
    [
        ("ES", None, "es"),
        ("MX", None, "es"),
        ("FR", None, "fr"),
        ("CA", "CA-QC", "fr"),
        ("CA", "CA-ON", "en"),
        ("AT", None, "de"),
        (None, None, "en"),
        ("JP", None, "en"),
    ],
)
def test_locale_follows_residence(country: str | None, region: str | None, locale: str) -> None:
    assert locale_for(country, region) == locale


def test_queue_needs_a_current_approval_and_adds_nothing_twice(
    service: tuple[CampaignService, FakeUnitOfWorkFactory], tmp_path: Path
) -> None:
    campaigns, uow = service
    incident = _incident(uow, [_row("a"), _row("b", email=None, phone="+1 555 0101")])
    with pytest.raises(NotApprovedError) as refused:
        campaigns.queue(incident, actor="t")
    assert refused.value.exit_code == 1
    overrides = tmp_path / "o"
    (overrides / "en").mkdir(parents=True)
    blocks = (SHIPPED / "en" / "_blocks.j2").read_text(encoding="utf-8")
    (overrides / "en" / "_blocks.j2").write_text(blocks, encoding="utf-8")
    approval = campaigns.approve(incident, CONTENT, actor="c", role="counsel", overrides=overrides)
    assert {t for t, _ in approval.templates} == {"en/email", "en/sms"}
    assert approval.overrides_hash == folder_hash(overrides)
    (overrides / "en" / "extra.txt").write_text("x", encoding="utf-8")
    with pytest.raises(NotApprovedError, match="overrides"):
        campaigns.queue(incident, actor="t")
    campaigns.approve(incident, CONTENT, actor="c", role="counsel", overrides=overrides)
    first = campaigns.queue(incident, actor="t")
    second = campaigns.queue(incident, actor="t")
    assert (first.queued, second.queued, second.already) == (2, 0, 2)
    assert len(uow.state.outbox) == 2


def test_dispatch_and_settle_mark_the_obligation_met(
    service: tuple[CampaignService, FakeUnitOfWorkFactory],
) -> None:
    campaigns, uow = service
    incident = _incident(uow, [_row("a"), _row("b", phone="+1 555 0102")])
    campaigns.approve(incident, CONTENT, actor="c", role="counsel")
    plan = campaigns.plan(incident, actor="t")
    campaigns.queue(incident, actor="t", plan=plan)
    email = MemoryTransport("email")
    email.verdicts["b@example.org"] = Verdict.PERMANENT
    campaigns.dispatch(email, owner="w")
    assert not any(s.met for s in campaigns.settle(plan, actor="t"))
    assert campaigns.render_fallbacks(plan, actor="t") == 1
    sms = MemoryTransport("sms")
    campaigns.dispatch(sms, owner="w")
    assert len(sms.sent) == 1
    assert len(sms.sent[0].body_text) < 400  # the SMS template, not the e-mail's text
    assert sms.sent[0].body_html is None
    counts = campaigns.counts(incident)
    assert counts == {
        ("email", DeliveryState.DELIVERED): 1,
        ("email", DeliveryState.FALLEN_BACK): 1,
        ("sms", DeliveryState.DELIVERED): 1,
    }
    settled = {s.obligation: s for s in campaigns.settle(plan, actor="t")}
    assert settled[CA].newly_met
    met = [o for o in uow.state.obligations[incident].values() if o.key == CA]
    assert met[0].met_note is not None
    assert "2 delivered" in met[0].met_note
    lines = list(campaigns.ledger(incident))
    assert [x.recipient for x in lines] == ["a***@example.org", "b***@example.org", "***-***-0102"]


def test_suppression_matches_normalised_email_of_other_incidents(
    service: tuple[CampaignService, FakeUnitOfWorkFactory],
) -> None:
    campaigns, uow = service
    first = _incident(uow, [_row("a")])
    campaigns.approve(first, CONTENT, actor="c", role="counsel")
    campaigns.queue(first, actor="t")
    campaigns.dispatch(MemoryTransport("email"), owner="w")
    second = _incident(uow, [_row("x", email="  A@Example.org"), _row("y")])
    campaigns.approve(second, CONTENT, actor="c", role="counsel")
    plain = campaigns.queue(second, actor="t")
    assert (plain.queued, plain.suppressed) == (2, 0)
    third = _incident(uow, [_row("z", email="a@example.ORG")])
    campaigns.approve(third, CONTENT, actor="c", role="counsel")
    report = campaigns.queue(third, actor="t", suppress_duplicates=True)
    assert (report.queued, report.suppressed) == (0, 1)
    assert uow.state.suppressions[0].other_incident_id == first


@pytest.mark.parametrize(
    ("text", "per_second"), [("200/s", 200.0), ("6000/min", 100.0), ("7200/h", 2.0), ("5", 5.0)]
)
def test_rates(text: str, per_second: float) -> None:
    assert parse_rate(text) == per_second


@given(st.text(max_size=12).filter(lambda t: t.strip() != ""))
def test_any_rate_text_is_a_positive_rate_or_a_clear_error(text: str) -> None:
    error: InvalidInputError | None = None
    value: float | None = None
    try:
        value = parse_rate(text)
    except InvalidInputError as exc:
        error = exc
    if error is not None:
        assert "--rate" in error.message
    else:
        assert value is not None
        assert value > 0


def test_unknown_residence_is_included_but_never_makes_an_obligation_met(
    service: tuple[CampaignService, FakeUnitOfWorkFactory],
) -> None:
    campaigns, uow = service
    stranger = _row("u", country=None, region=None, residence_source="unknown")
    incident = _incident(uow, [_row("a"), stranger])
    plan = campaigns.plan(incident, actor="t")
    assert sorted(n.resident for n in plan.notices) == [False, True]
    assert plan.counts()["residence_unknown_included"] == 1
    campaigns.approve(incident, CONTENT, actor="c", role="counsel")
    campaigns.queue(incident, actor="t", plan=plan)
    email = MemoryTransport("email")
    email.verdicts["u@example.org"] = Verdict.TEMPORARY
    campaigns.dispatch(email, owner="w")
    settled = {s.obligation: s for s in campaigns.settle(plan, actor="t")}
    assert (settled[CA].reachable, settled[CA].delivered, settled[CA].met) == (1, 1, True)
    assert campaigns.counts(incident)[("email", DeliveryState.DEFERRED)] == 1


@pytest.mark.parametrize(
    ("counts", "missing", "code"),
    [
        ({("email", DeliveryState.DELIVERED): 3}, [], None),
        ({("email", DeliveryState.DEFERRED): 1}, [], 1),
        ({("email", DeliveryState.FAILED): 1}, [], 1),
        ({("sms", DeliveryState.QUEUED): 2}, ["sms"], 1),
        ({("sms", DeliveryState.QUEUED): 2}, [], None),  # another sender's channel, not chosen
    ],
)
def test_send_exits_1_while_notices_need_action(
    counts: dict[tuple[str, DeliveryState], int], missing: list[str], code: int | None
) -> None:
    chosen = ("email", *missing)
    if code is None:
        _exit_if_unfinished(1, counts, chosen, missing)
        return
    with pytest.raises(typer.Exit) as stopped:
        _exit_if_unfinished(1, counts, chosen, missing)
    assert stopped.value.exit_code == code


def test_a_second_sender_marking_the_same_obligation_is_not_an_error(
    service: tuple[CampaignService, FakeUnitOfWorkFactory],
) -> None:
    campaigns, uow = service
    incident = _incident(uow, [_row("a")])
    obligations = ObligationService(uow, FixedClock(T0))
    campaigns.plan(incident, actor="t")
    assert _mark(uow, obligations, incident, CA, actor="one", note="ledger")
    assert not _mark(uow, obligations, incident, CA, actor="two", note="ledger")
    with pytest.raises(InvalidInputError):
        _mark(uow, obligations, incident, "no-such:individuals", actor="two", note="ledger")
