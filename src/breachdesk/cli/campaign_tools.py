"""``breachdesk notify test`` (samples to internal addresses) and ``notify ledger`` (proof)."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import typer

from breachdesk.bootstrap import email_route
from breachdesk.cli.campaign import IdArg, JsonOpt
from breachdesk.cli.output import console, emit_json, opened
from breachdesk.core.delivery import OutboxMessage, Verdict
from breachdesk.core.errors import InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.core.obligation import ContactInfo
from breachdesk.services.campaign import CampaignContent
from breachdesk.services.campaign_proof import LedgerLine
from breachdesk.services.notices import MEASURES_PLACEHOLDER


def send_test(
    ctx: typer.Context,
    incident_id: IdArg,
    to: Annotated[list[str], typer.Option(help="Internal address to receive samples (repeat).")],
    as_json: JsonOpt = False,
) -> None:
    """Send one sample per channel and locale (sample person, marked TEST) to internal addresses."""
    bad = [i for i, a in enumerate(to, 1) if "@" not in a or any(c.isspace() for c in a)]
    if bad:
        raise InvalidInputError(f"--to #{bad[0]}: not an e-mail address")
    iid = IncidentId(incident_id)
    outcomes: dict[str, int] = {}
    with opened(ctx) as ws:
        approval = ws.campaigns.approval(iid)
        content = (
            CampaignContent.from_json(approval.content)
            if approval
            else CampaignContent(
                "the organisation", ContactInfo("the organisation"), MEASURES_PLACEHOLDER
            )
        )
        found, samples = ws.campaigns.samples(iid, content, actor=ws.actor)
        affected = {a.strip().lower() for n in found.notices for a in n.addresses}
        clash = [i for i, a in enumerate(to, 1) if a.strip().lower() in affected]
        if clash:
            raise InvalidInputError(
                f"--to #{clash[0]}: an affected person's address; samples go to internal "
                "addresses only"
            )
        with email_route(ws.settings, ws.layout.home) as route:
            n = 0
            for address in to:
                for sample in samples:
                    n += 1
                    receipt = route.transport.send(
                        OutboxMessage(
                            id=-n,  # never an outbox id: bounces of samples match no notice
                            incident_id=incident_id,
                            person_id=None,
                            campaign="test",
                            channel="email",
                            recipient=address,
                            subject=f"{sample.subject} ({sample.template_id})",
                            body_text=sample.text,
                            body_html=sample.html,
                            content_hash=sample.content_hash,
                            template_version=sample.template_version,
                            attempts=1,
                        )
                    )
                    outcomes[receipt.verdict.value] = outcomes.get(receipt.verdict.value, 0) + 1
            where = route.description
        ws.campaigns.record_test(iid, actor=ws.actor, recipients=len(to), outcomes=outcomes)
    if as_json:
        emit_json(
            {"samples": len(samples), "recipients": len(to), "outcomes": outcomes, "via": where}
        )
        return
    accepted = outcomes.get(Verdict.ACCEPTED.value, 0)
    console.print(
        f"Sent {accepted} of {len(samples) * len(to)} test samples "
        f"({len(samples)} per address) via {where}.",
        markup=False,
    )


def ledger(
    ctx: typer.Context,
    incident_id: IdArg,
    to: Annotated[Path, typer.Option(help="CSV file to write.")],
    as_json: JsonOpt = False,
) -> None:
    """Proof of delivery per recipient (masked) for regulators: content hash, attempts, state."""
    iid = IncidentId(incident_id)
    with opened(ctx) as ws:
        try:
            rows = _write_ledger(to, ws.campaigns.ledger(iid))
        except OSError as exc:
            raise InvalidInputError(f"{to}: cannot write ({exc.strerror})") from None
        sha256 = hashlib.sha256(to.read_bytes()).hexdigest()
        ws.campaigns.ledger_exported(iid, actor=ws.actor, rows=rows, sha256=sha256)
    if as_json:
        emit_json({"to": to, "rows": rows, "sha256": sha256})
        return
    console.print(f"Wrote {rows:,} ledger rows to {to} (sha256 {sha256}).", markup=False)


LEDGER_COLUMNS = (
    "outbox_id",
    "person_id",
    "campaign",
    "channel",
    "recipient",
    "template_version",
    "content_hash",
    "message_id",
    "final_state",
    "attempts",
    "attempt_log",
)


def _write_ledger(path: Path, lines: Iterable[LedgerLine]) -> int:
    n = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(LEDGER_COLUMNS)
        for line in lines:
            r = line.row
            log = " | ".join(
                f"{a.at.isoformat(timespec='seconds')} {a.outcome} {a.server_response}"
                for a in r.attempts
            )
            writer.writerow(
                (
                    r.outbox_id,
                    r.person_id if r.person_id is not None else "",
                    r.campaign,
                    r.channel,
                    line.recipient,
                    r.template_version,
                    r.content_hash,
                    r.message_id or "",
                    r.state.value,
                    len(r.attempts),
                    log,
                )
            )
            n += 1
    return n
