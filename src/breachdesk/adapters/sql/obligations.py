"""SQL repository of incident facts and obligations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, RowMapping, delete, insert, select, update

from breachdesk.adapters.sql import tables as t
from breachdesk.core.ids import IncidentId
from breachdesk.services.ports import AuthorityContact, IncidentFacts, StoredObligation

_COLUMNS = (
    "key",
    "rule_id",
    "jurisdiction",
    "recipient",
    "status",
    "active",
    "due_at",
    "target_at",
    "people",
    "data",
    "met_at",
    "met_by",
    "met_note",
    "proof_evidence_id",
    "late",
)


_CONTACT_FIELDS = (
    "at",
    "recorded_by",
    "authority",
    "channel",
    "reference",
    "outcome",
    "jurisdiction",
    "delay_requested",
    "delay_until",
    "evidence_id",
)


def _split(text: str) -> tuple[str, ...]:
    return tuple(x for x in text.split(",") if x)


def _obligation(row: RowMapping) -> StoredObligation:
    return StoredObligation(id=row["id"], **{c: row[c] for c in _COLUMNS})


class SqlObligations:
    """Facts (one row per incident) and obligations (one row per incident and key)."""

    def __init__(self, conn: Connection) -> None:
        self._c = conn

    def facts(self, incident_id: IncidentId) -> IncidentFacts | None:
        row = (
            self._c.execute(
                select(t.incident_facts).where(t.incident_facts.c.incident_id == incident_id)
            )
            .mappings()
            .first()
        )
        if row is None:
            return None
        return IncidentFacts(
            row["determined_at"],
            row["assessed_at"],
            row["encrypted"],
            row["key_exposed"],
            _split(row["flags"]),
            _split(row["no_risk"]),
        )

    def set_facts(self, incident_id: IncidentId, facts: IncidentFacts, *, at: datetime) -> None:
        values = {
            "determined_at": facts.determined_at,
            "assessed_at": facts.assessed_at,
            "encrypted": facts.encrypted,
            "key_exposed": facts.key_exposed,
            "flags": ",".join(facts.flags),
            "no_risk": ",".join(facts.no_risk),
            "updated_at": at,
        }
        self._c.execute(
            delete(t.incident_facts).where(t.incident_facts.c.incident_id == incident_id)
        )
        self._c.execute(insert(t.incident_facts).values(incident_id=incident_id, **values))

    def residence_groups(
        self, incident_id: IncidentId
    ) -> list[tuple[str | None, str | None, str, str]]:
        p = t.people
        rows = self._c.execute(
            select(p.c.country, p.c.region, p.c.residence_source, p.c.elements).where(
                p.c.incident_id == incident_id
            )
        )
        return [(a, b, str(c), str(d)) for a, b, c, d in rows]

    def for_incident(self, incident_id: IncidentId) -> list[StoredObligation]:
        rows = self._c.execute(
            select(t.obligations)
            .where(t.obligations.c.incident_id == incident_id)
            .order_by(t.obligations.c.id)
        ).mappings()
        return [_obligation(r) for r in rows]

    def save(
        self, incident_id: IncidentId, rows: Sequence[StoredObligation], *, at: datetime
    ) -> None:
        """Insert new rows (id 0) and update existing ones."""
        for row in rows:
            values = {c: getattr(row, c) for c in _COLUMNS} | {"evaluated_at": at}
            if row.id:
                self._c.execute(
                    update(t.obligations).where(t.obligations.c.id == row.id).values(**values)
                )
            else:
                self._c.execute(insert(t.obligations).values(incident_id=incident_id, **values))

    def evaluated_incidents(self) -> list[IncidentId]:
        rows = self._c.execute(select(t.obligations.c.incident_id).distinct()).scalars()
        facts = self._c.execute(select(t.incident_facts.c.incident_id)).scalars()
        contacts = self._c.execute(select(t.authority_contacts.c.incident_id)).scalars()
        return sorted({IncidentId(int(i)) for i in [*rows, *facts, *contacts]})

    def add_contact(self, incident_id: IncidentId, contact: AuthorityContact) -> int:
        values = {f: getattr(contact, f) for f in _CONTACT_FIELDS}
        return int(
            self._c.execute(
                insert(t.authority_contacts)
                .values(incident_id=incident_id, **values)
                .returning(t.authority_contacts.c.id)
            ).scalar_one()
        )

    def contacts(self, incident_id: IncidentId) -> list[AuthorityContact]:
        rows = self._c.execute(
            select(t.authority_contacts)
            .where(t.authority_contacts.c.incident_id == incident_id)
            .order_by(t.authority_contacts.c.id)
        ).mappings()
        return [AuthorityContact(id=r["id"], **{f: r[f] for f in _CONTACT_FIELDS}) for r in rows]
