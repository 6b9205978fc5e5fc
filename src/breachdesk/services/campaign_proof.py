"""Proof of a campaign: the ledger with masked recipients, and obligations marked met from it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from breachdesk.core.audit import AuditAction, AuditDraft
from breachdesk.core.canonical import canonical_json
from breachdesk.core.clock import Clock
from breachdesk.core.delivery import LedgerRow
from breachdesk.core.element import DataElement
from breachdesk.core.errors import InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.discovery.normalize import mask
from breachdesk.services.campaign_plan import INDIVIDUALS, CampaignPlan
from breachdesk.services.obligations import ObligationService
from breachdesk.services.outbox import delivery_ledger, notices_subject
from breachdesk.services.ports import UnitOfWorkFactory

_MASK_AS = {
    "email": DataElement.EMAIL,
    "sms": DataElement.PHONE,
    "letter": DataElement.POSTAL_ADDRESS,
}


def mask_recipient(channel: str, value: str) -> str:
    """A recipient as the ledger and listings show it (``j***@example.com``, ``***-***-1234``)."""
    return mask(_MASK_AS.get(channel, DataElement.POSTAL_ADDRESS), value)


@dataclass(frozen=True, slots=True)
class LedgerLine:
    """One message of the ledger with its recipient masked."""

    row: LedgerRow
    recipient: str


def ledger_lines(uow: UnitOfWorkFactory, incident_id: int) -> Iterator[LedgerLine]:
    """Every message of an incident with its attempts, a page at a time, recipients masked."""
    page: list[LedgerRow] = []
    for row in delivery_ledger(uow, incident_id):
        page.append(row)
        if len(page) == 1_000:
            yield from _masked(uow, page)
            page = []
    yield from _masked(uow, page)


def _masked(uow: UnitOfWorkFactory, page: list[LedgerRow]) -> Iterator[LedgerLine]:
    if not page:
        return
    with uow() as tx:
        recipients = tx.campaigns.recipients([r.outbox_id for r in page])
    for row in page:
        yield LedgerLine(row, mask_recipient(row.channel, recipients.get(row.outbox_id, "")))


def ledger_digest(uow: UnitOfWorkFactory, incident_id: int, campaign: str = INDIVIDUALS) -> str:
    """sha256 over the canonical ledger rows of a campaign: what a regulator can recompute."""
    digest = hashlib.sha256()
    for row in delivery_ledger(uow, incident_id):
        if row.campaign != campaign:
            continue
        line = {
            "id": row.outbox_id,
            "person": row.person_id,
            "channel": row.channel,
            "content": row.content_hash,
            "template": row.template_version,
            "state": row.state.value,
            "message_id": row.message_id,
            "attempts": [[a.at.isoformat(), a.outcome, a.server_response] for a in row.attempts],
        }
        digest.update(canonical_json(line).encode("utf-8") + b"\n")
    return digest.hexdigest()


def record_ledger_export(
    uow: UnitOfWorkFactory,
    clock: Clock,
    incident_id: IncidentId,
    *,
    actor: str,
    rows: int,
    sha256: str,
) -> None:
    """Audit a ledger export: how many rows and the file's digest (never recipients)."""
    with uow() as tx:
        tx.incidents.get(incident_id)
        tx.audit.append(
            AuditDraft(
                at=clock.now(),
                actor=actor,
                action=AuditAction.NOTICES_LEDGER_EXPORTED,
                subject=notices_subject(incident_id),
                incident_id=incident_id,
                details={"rows": rows, "sha256": sha256},
            )
        )
        tx.commit()


@dataclass(frozen=True, slots=True)
class Settlement:
    """Where one individual-notice obligation stands after a send."""

    obligation: str
    reachable: int
    delivered: int
    suppressed: int
    unreachable: int  # substitute notice candidates, not counted as missing
    met: bool  # met now or before
    newly_met: bool

    @property
    def missing(self) -> int:
        """Reachable people without a delivered notice (or a suppression)."""
        return self.reachable - self.delivered - self.suppressed


def settle(
    uow: UnitOfWorkFactory,
    obligations: ObligationService,
    plan: CampaignPlan,
    *,
    actor: str,
) -> list[Settlement]:
    """Mark each individual-notice obligation met when every reachable person has a delivered
    notice (or was suppressed as notified elsewhere); proof is the ledger digest and counts."""
    incident_id = IncidentId(plan.incident_id)
    with uow() as tx:
        delivered = tx.campaigns.delivered_people(incident_id, INDIVIDUALS)
        suppressed = tx.campaigns.suppressed(incident_id, INDIVIDUALS)
        met = {o.key for o in tx.obligations.for_incident(incident_id) if o.met_at is not None}
    out: list[Settlement] = []
    proof: str | None = None
    for ob in plan.obligations:
        people = {n.person_id for n in plan.notices if ob.key in n.obligations and n.resident}
        done = len(people & delivered)
        skipped = len((people - delivered) & suppressed)
        lost = sum(ob.key in u.obligations for u in plan.unreachable)
        complete = bool(people) and done + skipped == len(people)
        newly = complete and ob.key not in met
        if newly:
            proof = proof or ledger_digest(uow, incident_id)
            note = (
                f"notices per ledger sha256:{proof}: {done} delivered, {skipped} suppressed "
                f"(notified in another incident) of {len(people)} reachable; {lost} without "
                "contact data (substitute notice candidates)"
            )
            newly = _mark(uow, obligations, incident_id, ob.key, actor=actor, note=note)
        out.append(
            Settlement(ob.key, len(people), done, skipped, lost, complete or ob.key in met, newly)
        )
    return out


def _mark(
    uow: UnitOfWorkFactory,
    obligations: ObligationService,
    incident_id: IncidentId,
    key: str,
    *,
    actor: str,
    note: str,
) -> bool:
    """Mark met; False when another sender marked it first (several senders share a campaign)."""
    try:
        obligations.mark_met(incident_id, key, actor=actor, note=note, evidence_id=None)
    except InvalidInputError:
        with uow() as tx:
            stored = [o for o in tx.obligations.for_incident(incident_id) if o.key == key]
        if stored and stored[0].met_at is not None:
            return False
        raise
    return True
