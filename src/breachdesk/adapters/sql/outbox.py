"""SQL repository of the notification outbox: enqueue, leased claims, outcomes and the ledger."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, RowMapping, and_, bindparam, func, insert, or_, select, update

from breachdesk.adapters.sql import tables as t
from breachdesk.core.delivery import (
    Attempt,
    DeliveryState,
    DsnTarget,
    Fallback,
    LedgerRow,
    OutboxMessage,
    OutgoingMessage,
    Receipt,
    Verdict,
    retry_delay,
)

_S = DeliveryState
_MESSAGE_COLUMNS = (
    "id",
    "incident_id",
    "person_id",
    "campaign",
    "channel",
    "recipient",
    "subject",
    "body_text",
    "body_html",
    "content_hash",
    "template_version",
    "attempts",
)


def _fallback_json(plan: Sequence[Fallback]) -> str | None:
    return json.dumps([[f.channel, f.recipient] for f in plan]) if plan else None


def _fallback_plan(text: str | None) -> tuple[Fallback, ...]:
    return tuple(Fallback(c, r) for c, r in json.loads(text)) if text else ()


def _row(m: OutgoingMessage, at: datetime, fallback_of: int | None = None) -> dict[str, Any]:
    return {
        "incident_id": m.incident_id,
        "person_id": m.person_id,
        "campaign": m.campaign,
        "channel": m.channel,
        "recipient": m.recipient,
        "subject": m.subject,
        "body_text": m.body_text,
        "body_html": m.body_html,
        "fallback": _fallback_json(m.fallback),
        "content_hash": m.content_hash,
        "template_version": m.template_version,
        "state": _S.QUEUED.value,
        "attempts": 0,
        "next_attempt_at": at,
        "fallback_of": fallback_of,
        "created_at": at,
        "updated_at": at,
    }


class SqlOutbox:
    """Outbox rows and delivery attempts, inside the caller's transaction."""

    def __init__(self, conn: Connection) -> None:
        self._c = conn

    def enqueue(self, messages: Sequence[OutgoingMessage], *, at: datetime) -> list[int]:
        """Queue messages (the caller audits and commits); returns their ids in order."""
        if not messages:
            return []
        query = insert(t.outbox).returning(t.outbox.c.id, sort_by_parameter_order=True)
        return [int(i) for i in self._c.execute(query, [_row(m, at) for m in messages]).scalars()]

    def claim(
        self, *, limit: int, now: datetime, owner: str, lease: timedelta, channel: str
    ) -> list[OutboxMessage]:
        """Lease up to ``limit`` due messages of a channel (expired leases are due again)."""
        o = t.outbox.c
        due = or_(
            and_(o.state.in_([_S.QUEUED.value, _S.DEFERRED.value]), o.next_attempt_at <= now),
            and_(o.state == _S.SENDING.value, o.lease_until < now),
        )
        query = select(o.id).where(o.channel == channel, due).order_by(o.id).limit(limit)
        if self._c.dialect.name == "postgresql":
            # Concurrent claimers skip each other's rows; on SQLite BEGIN IMMEDIATE serialises them.
            query = query.with_for_update(skip_locked=True)
        ids = list(self._c.execute(query).scalars())
        if not ids:
            return []
        self._c.execute(
            update(t.outbox)
            .where(o.id.in_(ids))
            .values(
                state=_S.SENDING.value,
                lease_owner=owner,
                lease_until=now + lease,
                attempts=o.attempts + 1,
                updated_at=now,
            )
        )
        columns = [o[name] for name in _MESSAGE_COLUMNS]
        rows = self._c.execute(select(*columns).where(o.id.in_(ids)).order_by(o.id)).mappings()
        return [OutboxMessage(**dict(r)) for r in rows]

    def record(
        self, outbox_id: int, receipt: Receipt, *, at: datetime, duration: float, owner: str
    ) -> DeliveryState:
        """Log an attempt and move the message on (backoff, fallback); returns its new state."""
        self._c.execute(
            insert(t.delivery_attempts).values(
                outbox_id=outbox_id,
                at=at,
                outcome=receipt.verdict.value,
                server_response=receipt.response[:1000],
                duration=duration,
            )
        )
        o = t.outbox.c
        query = select(o.id, o.state, o.lease_owner, o.attempts, o.fallback)
        row = self._c.execute(query.where(o.id == outbox_id)).mappings().one()
        state = _S(row["state"])
        if receipt.verdict is Verdict.ACCEPTED:
            # Delivered is a fact even when the lease was lost meanwhile.
            state = _S.DELIVERED
        elif state is _S.SENDING and row["lease_owner"] == owner:
            state = self._failure(row, receipt.verdict, at)
        else:
            return state
        values: dict[str, Any] = {"state": state.value, "lease_owner": None, "lease_until": None}
        if receipt.message_id:
            values["message_id"] = receipt.message_id
        if state is _S.DEFERRED:
            values["next_attempt_at"] = at + retry_delay(row["attempts"])
        self._c.execute(update(t.outbox).where(o.id == outbox_id).values(updated_at=at, **values))
        return state

    def record_many(
        self, outcomes: Sequence[tuple[int, Receipt, float]], *, at: datetime, owner: str
    ) -> list[DeliveryState]:
        """``record`` for a group: acceptances in two statements, other verdicts one by one."""
        accepted = [x for x in outcomes if x[1].verdict is Verdict.ACCEPTED]
        if accepted:
            attempts = [
                {
                    "outbox_id": i,
                    "at": at,
                    "outcome": Verdict.ACCEPTED.value,
                    "server_response": r.response[:1000],
                    "duration": d,
                }
                for i, r, d in accepted
            ]
            self._c.execute(insert(t.delivery_attempts), attempts)
            o = t.outbox.c
            delivered = (
                update(t.outbox)
                .where(o.id == bindparam("b_id"))
                .values(
                    state=_S.DELIVERED.value,
                    lease_owner=None,
                    lease_until=None,
                    updated_at=at,
                    message_id=func.coalesce(bindparam("b_mid"), o.message_id),
                )
            )
            self._c.execute(delivered, [{"b_id": i, "b_mid": r.message_id} for i, r, _ in accepted])
        return [
            _S.DELIVERED
            if r.verdict is Verdict.ACCEPTED
            else self.record(i, r, at=at, duration=d, owner=owner)
            for i, r, d in outcomes
        ]

    def bounce(self, outbox_id: int, response: str, *, at: datetime) -> DeliveryState:
        """A delivered message bounced (a DSN): log it, then fall back per plan or mark bounced."""
        o = t.outbox.c
        values = {"outbox_id": outbox_id, "at": at, "outcome": "bounced", "duration": 0.0}
        self._c.execute(insert(t.delivery_attempts).values(server_response=response, **values))
        query = select(o.id, o.state, o.fallback).where(o.id == outbox_id)
        row = self._c.execute(query).mappings().one()
        if _S(row["state"]) is not _S.DELIVERED:
            return _S(row["state"])
        state = self._failure(row, Verdict.PERMANENT, at)
        state = _S.BOUNCED if state is _S.FAILED else state
        self._c.execute(
            update(t.outbox).where(o.id == outbox_id).values(state=state.value, updated_at=at)
        )
        return state

    def dsn_target(self, outbox_id: int, marker: str) -> DsnTarget | None:
        """Incident and state of a message, and whether DSN ``marker`` is logged; None if absent."""
        o, a = t.outbox.c, t.delivery_attempts.c
        row = self._c.execute(select(o.incident_id, o.state).where(o.id == outbox_id)).first()
        if row is None:
            return None
        seen = select(a.id).where(a.outbox_id == outbox_id, a.server_response.startswith(marker))
        found = self._c.execute(seen.limit(1)).first() is not None
        return DsnTarget(int(row.incident_id), _S(row.state), found)

    def note(self, outbox_id: int, outcome: str, response: str, *, at: datetime) -> None:
        """Log an attempt that changes no state (a delay report from a receiving server)."""
        values = {"outbox_id": outbox_id, "at": at, "outcome": outcome, "duration": 0.0}
        self._c.execute(insert(t.delivery_attempts).values(server_response=response, **values))

    def _failure(self, row: RowMapping, verdict: Verdict, at: datetime) -> DeliveryState:
        if verdict is Verdict.TEMPORARY:
            return _S.DEFERRED
        plan = _fallback_plan(row["fallback"])
        if not plan:
            return _S.FAILED
        row = self._c.execute(select(t.outbox).where(t.outbox.c.id == row["id"])).mappings().one()
        following = OutgoingMessage(
            incident_id=row["incident_id"],
            person_id=row["person_id"],
            campaign=row["campaign"],
            channel=plan[0].channel,
            recipient=plan[0].recipient,
            subject=row["subject"],
            body_text=row["body_text"],
            body_html=row["body_html"],
            content_hash=row["content_hash"],
            template_version=row["template_version"],
            fallback=plan[1:],
        )
        self._c.execute(insert(t.outbox).values(_row(following, at, fallback_of=row["id"])))
        return _S.FALLEN_BACK

    def counts(self, incident_id: int) -> dict[DeliveryState, int]:
        """How many messages of an incident are in each state."""
        o = t.outbox.c
        query = select(o.state, func.count()).where(o.incident_id == incident_id).group_by(o.state)
        return {_S(state): int(n) for state, n in self._c.execute(query)}

    def ledger(self, incident_id: int, *, after: int = 0, limit: int = 2_000) -> list[LedgerRow]:
        """Proof of delivery for one page of an incident's messages (ids above ``after``)."""
        o, a = t.outbox.c, t.delivery_attempts.c
        columns = (o.id, o.person_id, o.campaign, o.channel, o.content_hash, o.template_version)
        query = select(*columns, o.state, o.message_id).where(
            o.incident_id == incident_id, o.id > after
        )
        page = list(self._c.execute(query.order_by(o.id).limit(limit)).mappings())
        ids = [r["id"] for r in page]
        attempts: dict[int, list[Attempt]] = {i: [] for i in ids}
        if ids:
            query = select(a.outbox_id, a.at, a.outcome, a.server_response, a.duration)
            for x in self._c.execute(query.where(a.outbox_id.in_(ids)).order_by(a.id)):
                attempt = Attempt(x.at, x.outcome, x.server_response, x.duration)
                attempts[x.outbox_id].append(attempt)
        return [
            LedgerRow(
                outbox_id=r["id"],
                person_id=r["person_id"],
                campaign=r["campaign"],
                channel=r["channel"],
                content_hash=r["content_hash"],
                template_version=r["template_version"],
                state=_S(r["state"]),
                message_id=r["message_id"],
                attempts=tuple(attempts[r["id"]]),
            )
            for r in page
        ]
