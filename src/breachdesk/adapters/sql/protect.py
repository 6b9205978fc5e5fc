"""Incident data lifecycle in SQL: retention schedules, crypto-shredding purges, key rotation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Table,
    Text,
    bindparam,
    delete,
    func,
    insert,
    select,
    type_coerce,
    update,
)

from breachdesk.adapters.keyring import (
    KeyId,
    Keyring,
    destroy_keys,
    encrypted_tables,
    incident_path,
)
from breachdesk.adapters.sql import tables as t
from breachdesk.adapters.sql.types import EncryptedText, engine_keyring
from breachdesk.core.errors import NotFoundError
from breachdesk.services.retention import PurgeScope, RetentionPolicy

# What a purge never deletes: the case record itself (its checklist, decisions, obligations and
# the regulator contacts) and the audit chain, which hold no personal data of affected people.
KEEP = frozenset(
    {
        "incidents",
        "tasks",
        "decisions",
        "incident_facts",
        "obligations",
        "authority_contacts",
        "audit_entries",
        "audit_head",
        "incident_keys",
        "retention_policies",
        "workspace_meta",
    }
)
PEOPLE_SEEDS = frozenset(
    {"people", "scan_sources", "link_runs", "outbox", "reset_accounts", "record_accesses"}
)
EVIDENCE_SEEDS = frozenset({"evidence_items", "log_files", "log_events", "scan_sources"})


def _scoped(table: Table, incident_id: int) -> ColumnElement[bool] | None:
    """A predicate selecting the rows of ``table`` that belong to the incident."""
    path = incident_path(table)
    if not path and "incident_id" not in table.c:
        return None
    chain: list[tuple[Table, str]] = [(table, "")]
    for column, parent in path:
        chain.append((parent, column))
    last = chain[-1][0]
    predicate: ColumnElement[bool] = last.c.incident_id == incident_id
    for (child, _), (parent, column) in zip(reversed(chain[:-1]), reversed(chain[1:]), strict=True):
        pk = next(iter(parent.primary_key.columns))
        predicate = child.c[column].in_(select(pk).where(predicate))
    return predicate


def purge_tables(scope: PurgeScope) -> list[Table]:
    """The tables a purge of ``scope`` deletes from, children first."""
    seeds = {
        PurgeScope.PEOPLE: PEOPLE_SEEDS,
        PurgeScope.EVIDENCE: EVIDENCE_SEEDS,
        PurgeScope.ALL: frozenset(t.metadata.tables) - KEEP,
    }[scope]
    chosen = {name for name in seeds if name in t.metadata.tables}
    grown = True
    while grown:  # rows referencing deleted rows go too (foreign keys would refuse otherwise)
        grown = False
        for table in t.metadata.tables.values():
            if table.name in chosen or table.name in KEEP:
                continue
            if any(fk.column.table.name in chosen for fk in table.foreign_keys):
                chosen.add(table.name)
                grown = True
    return [
        table
        for table in reversed(t.metadata.sorted_tables)
        if table.name in chosen and (incident_path(table) or "incident_id" in table.c)
    ]


class SqlProtect:
    """Retention rows, purges and data-key rotation inside one unit of work."""

    def __init__(self, conn: Connection, engine: Engine) -> None:
        self._c = conn
        self._engine = engine

    @property
    def _keyring(self) -> Keyring:
        return engine_keyring(self._engine)

    # --- retention -------------------------------------------------------------------------

    def policy(self, incident_id: int) -> RetentionPolicy | None:
        """The incident's retention schedule, if one was set."""
        row = self._c.execute(
            select(t.retention_policies).where(t.retention_policies.c.incident_id == incident_id)
        ).first()
        return None if row is None else _policy(row)

    def policies(self) -> list[RetentionPolicy]:
        """Every retention schedule set."""
        rows = self._c.execute(
            select(t.retention_policies).order_by(t.retention_policies.c.incident_id)
        )
        return [_policy(r) for r in rows]

    def save_policy(self, policy: RetentionPolicy) -> None:
        """Insert or replace an incident's schedule."""
        rp = t.retention_policies
        values = {
            "keep_people_days": policy.keep_people_days,
            "keep_evidence_days": policy.keep_evidence_days,
            "legal_hold": policy.legal_hold,
            "hold_reason": policy.hold_reason,
            "set_by": policy.set_by,
            "set_at": policy.set_at,
            "people_purged_at": policy.people_purged_at,
            "evidence_purged_at": policy.evidence_purged_at,
        }
        done = self._c.execute(
            update(rp).where(rp.c.incident_id == policy.incident_id).values(**values)
        )
        if done.rowcount == 0:
            self._c.execute(insert(rp).values(incident_id=policy.incident_id, **values))

    # --- purge -----------------------------------------------------------------------------

    def destroy_keys(self, incident_id: int) -> int:
        """Overwrite, then delete, every data key of the incident; return how many."""
        return destroy_keys(self._c, self._keyring, incident_id)

    def destroy_old_versions(self, incident_id: int, keep_version: int) -> int:
        """Overwrite, then delete, the incident's data keys older than ``keep_version``."""
        ik = t.incident_keys
        old = ik.c.incident_id == incident_id, ik.c.version < keep_version
        count = len(list(self._c.execute(select(ik.c.id).where(*old))))
        self._c.execute(update(ik).where(*old).values(wrapped="destroyed", destroyed_at=func.now()))
        self._c.execute(delete(ik).where(*old))
        self._keyring.forget_versions(incident_id, keep_version)
        return count

    def rewrap_all(self) -> int:
        """Re-wrap every remaining data key under a new key-encryption key."""
        self._keyring.begin_epoch()
        ik = t.incident_keys
        rows = list(self._c.execute(select(ik.c.id, ik.c.incident_id, ik.c.version, ik.c.wrapped)))
        for row in rows:
            key_id = KeyId(row.incident_id, row.version)
            dek = self._keyring.unwrap(row.wrapped, key_id)
            self._c.execute(
                update(ik).where(ik.c.id == row.id).values(wrapped=self._keyring.wrap(dek, key_id))
            )
        return len(rows)

    def drop_old_keks(self) -> None:
        """After commit: destroy the key-encryption keys no row uses any more."""
        self._keyring.drop_old_epochs()

    def purge_rows(self, incident_id: int, scope: PurgeScope) -> dict[str, int]:
        """Delete the incident's rows of ``scope``; counts by table (no content)."""
        counts: dict[str, int] = {}
        for table in purge_tables(scope):
            predicate = _scoped(table, incident_id)
            if predicate is None:
                continue
            done = self._c.execute(delete(table).where(predicate))
            if done.rowcount:
                counts[table.name] = int(done.rowcount)
        return counts

    def blob_hashes(self, incident_id: int) -> set[str]:
        """Digests of stored files the incident's rows name."""
        found: set[str] = set()
        for table, predicate in self._sha_tables(incident_id):
            found |= {r[0] for r in self._c.execute(select(table.c.sha256).where(predicate))}
        found.discard(None)
        return found

    def blob_in_use(self, sha256: str) -> bool:
        """Whether any row (of any incident) still names the file."""
        for table in t.metadata.tables.values():
            if "sha256" in table.c:
                hit = self._c.execute(
                    select(func.count()).select_from(table).where(table.c.sha256 == sha256)
                ).scalar()
                if hit:
                    return True
        return False

    def _sha_tables(self, incident_id: int) -> Iterator[tuple[Table, ColumnElement[bool]]]:
        for table in t.metadata.tables.values():
            if "sha256" in table.c and table.name not in KEEP:
                predicate = _scoped(table, incident_id)
                if predicate is not None:
                    yield table, predicate

    # --- rotation --------------------------------------------------------------------------

    def rotate_incident(self, incident_id: int, at: datetime) -> tuple[KeyId, int]:
        """Retire the incident's data key, make a new one and re-seal every value with it."""
        ik = t.incident_keys
        if (
            self._c.execute(select(t.incidents.c.id).where(t.incidents.c.id == incident_id)).first()
            is None
        ):
            raise NotFoundError(f"incident {incident_id} does not exist")
        self._c.execute(
            update(ik)
            .where(ik.c.incident_id == incident_id, ik.c.retired_at.is_(None))
            .values(retired_at=at)
        )
        new = self._keyring.current(self._c, incident_id)
        self._keyring.refresh(self._c)
        return new, self._reseal(incident_id, new)

    def _reseal(self, incident_id: int, key_id: KeyId) -> int:
        count = 0
        for table in encrypted_tables(t.metadata.tables.values()).values():
            predicate = _scoped(table, incident_id)
            if predicate is None:
                continue
            for column in table.columns:
                if not isinstance(column.type, EncryptedText):
                    continue
                raw = type_coerce(column, Text)
                tokens = [
                    r[0] for r in self._c.execute(select(raw).where(predicate, column.is_not(None)))
                ]
                purpose = column.type.purpose
                batch = [
                    {
                        "old": token,
                        "new": self._keyring.encrypt_with(
                            key_id, self._keyring.decrypt(token, purpose=purpose), purpose=purpose
                        ),
                    }
                    for token in tokens
                    if not token.startswith(f"v2:{key_id.text()}:")
                ]
                if batch:
                    self._c.execute(
                        update(table)
                        .where(raw == bindparam("old"))
                        .values({column.name: bindparam("new", type_=Text)}),
                        batch,
                    )
                    count += len(batch)
        return count

    def key_versions(self, incident_id: int) -> list[tuple[int, bool]]:
        """The incident's data key versions and whether each is retired."""
        ik = t.incident_keys
        rows = self._c.execute(
            select(ik.c.version, ik.c.retired_at)
            .where(ik.c.incident_id == incident_id)
            .order_by(ik.c.version)
        )
        return [(r.version, r.retired_at is not None) for r in rows]

    def tokens(self, incident_id: int) -> list[str]:
        """Every stored encrypted value of the incident, as stored (for checks)."""
        found: list[str] = []
        for table in encrypted_tables(t.metadata.tables.values()).values():
            predicate = _scoped(table, incident_id)
            if predicate is None:
                continue
            for column in table.columns:
                if isinstance(column.type, EncryptedText):
                    raw = type_coerce(column, Text)
                    found += [
                        r[0]
                        for r in self._c.execute(select(raw).where(predicate, column.is_not(None)))
                    ]
        return found


def _policy(row: object) -> RetentionPolicy:
    return RetentionPolicy(
        incident_id=row.incident_id,  # type: ignore[attr-defined]
        keep_people_days=row.keep_people_days,  # type: ignore[attr-defined]
        keep_evidence_days=row.keep_evidence_days,  # type: ignore[attr-defined]
        legal_hold=bool(row.legal_hold),  # type: ignore[attr-defined]
        hold_reason=row.hold_reason,  # type: ignore[attr-defined]
        set_by=row.set_by,  # type: ignore[attr-defined]
        set_at=row.set_at,  # type: ignore[attr-defined]
        people_purged_at=row.people_purged_at,  # type: ignore[attr-defined]
        evidence_purged_at=row.evidence_purged_at,  # type: ignore[attr-defined]
    )
