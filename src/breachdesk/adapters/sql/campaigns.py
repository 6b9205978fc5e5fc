"""SQL repository of notification campaigns: approvals, suppressions, per-campaign outbox views."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import Connection, and_, func, insert, select, update
from sqlalchemy.orm import aliased

from breachdesk.adapters.sql import tables as t
from breachdesk.adapters.sql.bulk import lock_writers
from breachdesk.core.delivery import DeliveryState
from breachdesk.services.ports import NoticeApproval, NoticeContent, Suppression


class SqlCampaigns:
    """Campaign rows inside the caller's transaction."""

    def __init__(self, conn: Connection) -> None:
        self._c = conn

    def add_approval(self, approval: NoticeApproval) -> int:
        """Store an approval (the caller audits and commits); returns its id."""
        values = {
            "incident_id": approval.incident_id,
            "campaign": approval.campaign,
            "approver": approval.approver,
            "role": approval.role,
            "approved_at": approval.approved_at,
            "templates": json.dumps([list(pair) for pair in approval.templates]),
            "overrides": approval.overrides,
            "overrides_hash": approval.overrides_hash,
            "content": approval.content,
        }
        query = insert(t.notice_approvals).values(**values).returning(t.notice_approvals.c.id)
        return int(self._c.execute(query).scalar_one())

    def approval(self, incident_id: int, campaign: str) -> NoticeApproval | None:
        """The newest approval of a campaign, if any."""
        a = t.notice_approvals.c
        query = (
            select(t.notice_approvals)
            .where(a.incident_id == incident_id, a.campaign == campaign)
            .order_by(a.id.desc())
            .limit(1)
        )
        row = self._c.execute(query).mappings().first()
        if row is None:
            return None
        return NoticeApproval(
            id=row["id"],
            incident_id=row["incident_id"],
            campaign=row["campaign"],
            approver=row["approver"],
            role=row["role"],
            approved_at=row["approved_at"],
            templates=tuple((str(k), str(v)) for k, v in json.loads(row["templates"])),
            overrides=row["overrides"],
            overrides_hash=row["overrides_hash"],
            content=row["content"],
        )

    def queued_people(self, incident_id: int, campaign: str) -> set[int]:
        """People who already have a first message of the campaign (fallbacks not counted).

        Takes the writers' lock first, so two processes queuing the same campaign do it in turn.
        """
        lock_writers(self._c)
        o = t.outbox.c
        query = select(o.person_id).where(
            o.incident_id == incident_id,
            o.campaign == campaign,
            o.fallback_of.is_(None),
            o.person_id.is_not(None),
        )
        return {int(p) for p in self._c.execute(query).scalars()}

    def channel_counts(self, incident_id: int) -> dict[tuple[str, DeliveryState], int]:
        """Messages of an incident per (channel, state)."""
        o = t.outbox.c
        query = (
            select(o.channel, o.state, func.count())
            .where(o.incident_id == incident_id)
            .group_by(o.channel, o.state)
        )
        return {(str(c), DeliveryState(s)): int(n) for c, s, n in self._c.execute(query)}

    def recipients(self, outbox_ids: Sequence[int]) -> dict[int, str]:
        """The (decrypted) recipient of each given message, for masking."""
        o = t.outbox.c
        out: dict[int, str] = {}
        for start in range(0, len(outbox_ids), 1_000):
            chunk = list(outbox_ids[start : start + 1_000])
            query = select(o.id, o.recipient).where(o.id.in_(chunk))
            out.update({int(i): str(r) for i, r in self._c.execute(query)})
        return out

    def delivered_people(self, incident_id: int, campaign: str) -> set[int]:
        """People with a delivered message of the campaign, on any channel."""
        o = t.outbox.c
        query = select(o.person_id).where(
            o.incident_id == incident_id,
            o.campaign == campaign,
            o.state == DeliveryState.DELIVERED.value,
            o.person_id.is_not(None),
        )
        return {int(p) for p in self._c.execute(query).scalars()}

    def notified_elsewhere(self, incident_id: int, campaign: str) -> list[tuple[int, str]]:
        """``(incident, e-mail)`` of people of other incidents delivered this campaign's notice."""
        o, p = t.outbox.c, t.people.c
        query = (
            select(o.incident_id, p.email)
            .join(t.people, and_(p.id == o.person_id, p.incident_id == o.incident_id))
            .where(
                o.incident_id != incident_id,
                o.campaign == campaign,
                o.state == DeliveryState.DELIVERED.value,
                p.email.is_not(None),
            )
            .distinct()
        )
        return [(int(i), str(e)) for i, e in self._c.execute(query)]

    def add_suppressions(self, rows: Sequence[Suppression]) -> None:
        """Record suppressed people (the caller audits and commits)."""
        if rows:
            self._c.execute(
                insert(t.notice_suppressions),
                [
                    {
                        "incident_id": r.incident_id,
                        "person_id": r.person_id,
                        "campaign": r.campaign,
                        "match_hash": r.match_hash,
                        "other_incident_id": r.other_incident_id,
                        "at": r.at,
                    }
                    for r in rows
                ],
            )

    def suppressed(self, incident_id: int, campaign: str) -> set[int]:
        """People of a campaign recorded as suppressed."""
        s = t.notice_suppressions.c
        query = select(s.person_id).where(s.incident_id == incident_id, s.campaign == campaign)
        return {int(p) for p in self._c.execute(query).scalars()}

    def copied_fallbacks(self, incident_id: int, campaign: str) -> list[tuple[int, int, str]]:
        """``(outbox id, person, channel)`` of unsent fallbacks still holding the parent's text."""
        o = t.outbox.c
        parent = aliased(t.outbox)
        query = (
            select(o.id, o.person_id, o.channel)
            .join(parent, parent.c.id == o.fallback_of)
            .where(
                o.incident_id == incident_id,
                o.campaign == campaign,
                o.state == DeliveryState.QUEUED.value,
                o.attempts == 0,
                o.person_id.is_not(None),
                o.content_hash == parent.c.content_hash,
            )
            .order_by(o.id)
        )
        return [(int(i), int(p), str(c)) for i, p, c in self._c.execute(query)]

    def replace_content(self, outbox_id: int, content: NoticeContent) -> bool:
        """Give an unsent message its own channel's rendering; False once a sender claimed it."""
        o = t.outbox.c
        done = self._c.execute(
            update(t.outbox)
            .where(o.id == outbox_id, o.state == DeliveryState.QUEUED.value, o.attempts == 0)
            .values(
                subject=content.subject,
                body_text=content.body_text,
                body_html=content.body_html,
                content_hash=content.content_hash,
                template_version=content.template_version,
            )
        )
        return bool(done.rowcount)
