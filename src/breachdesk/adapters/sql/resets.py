"""SQL repository of credential resets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, bindparam, delete, func, insert, select, update

from breachdesk.adapters.sql import tables as t
from breachdesk.core.errors import NotFoundError
from breachdesk.core.ids import IncidentId
from breachdesk.services.reset_ports import (
    PasswordRow,
    ResetAccount,
    ResetAttempt,
    ResetState,
    StoredProvider,
)

_LISTS = ("actions", "reasons", "done_actions")
_UPDATE = update(t.reset_accounts).where(t.reset_accounts.c.id == bindparam("account_pk"))


def _account(row: RowMapping) -> ResetAccount:
    values: dict[str, Any] = {k: row[k] for k in ResetAccount.__dataclass_fields__}
    for name in _LISTS:
        values[name] = tuple(x for x in str(row[name]).split(",") if x)
    values["incident_id"] = IncidentId(row["incident_id"])
    values["state"] = ResetState(row["state"])
    return ResetAccount(**values)


def _row(account: ResetAccount, at: datetime) -> dict[str, Any]:
    values = {k: getattr(account, k) for k in ResetAccount.__dataclass_fields__}
    for name in _LISTS:
        values[name] = ",".join(values[name])
    values["state"] = account.state.value
    values["updated_at"] = at
    values.pop("id")
    return values


class SqlResets:
    """Reset accounts, attempts, providers, password assessments and credit-monitoring codes."""

    def __init__(self, conn: Connection) -> None:
        self._c = conn

    def add_provider(self, provider: StoredProvider) -> None:
        """Store (or replace) a provider configuration."""
        self._c.execute(
            delete(t.credential_providers).where(t.credential_providers.c.name == provider.name)
        )
        self._c.execute(insert(t.credential_providers).values(**asdict(provider)))

    def provider(self, name: str) -> StoredProvider | None:
        """One configured provider, if any."""
        row = (
            self._c.execute(
                select(t.credential_providers).where(t.credential_providers.c.name == name)
            )
            .mappings()
            .first()
        )
        return StoredProvider(**row) if row else None

    def providers(self) -> list[StoredProvider]:
        """Every configured provider by name."""
        rows = self._c.execute(
            select(t.credential_providers).order_by(t.credential_providers.c.name)
        )
        return [StoredProvider(**r) for r in rows.mappings()]

    def add_account(self, account: ResetAccount, *, at: datetime) -> ResetAccount:
        """Store a planned account; returns it with its id."""
        new_id = self._c.execute(insert(t.reset_accounts), _row(account, at)).inserted_primary_key
        if new_id is None:  # pragma: no cover - every backend returns the key
            raise NotFoundError("reset account was not stored")
        return replace(account, id=int(new_id[0]))

    def update_account(self, account: ResetAccount, *, at: datetime) -> None:
        """Write every field of an account back."""
        # bound parameters (not literal values) keep the compiled statement cached
        self._c.execute(_UPDATE, {**_row(account, at), "account_pk": account.id})

    def accounts(self, incident_id: IncidentId) -> list[ResetAccount]:
        """The incident's accounts by id."""
        ra = t.reset_accounts
        rows = self._c.execute(select(ra).where(ra.c.incident_id == incident_id).order_by(ra.c.id))
        return [_account(r) for r in rows.mappings()]

    def account(self, account_id: int) -> ResetAccount:
        """One account by id."""
        ra = t.reset_accounts
        row = self._c.execute(select(ra).where(ra.c.id == account_id)).mappings().first()
        if row is None:
            raise NotFoundError(f"reset account {account_id} not found")
        return _account(row)

    def add_attempt(self, attempt: ResetAttempt) -> None:
        """Log one intent or result."""
        self._c.execute(insert(t.reset_attempts), asdict(attempt))

    def attempt_counts(self, incident_id: IncidentId) -> dict[int, int]:
        """How many intents and results each account of the incident logged."""
        at, ra = t.reset_attempts, t.reset_accounts
        rows = self._c.execute(
            select(at.c.account_id, func.count())
            .join(ra, ra.c.id == at.c.account_id)
            .where(ra.c.incident_id == incident_id)
            .group_by(at.c.account_id)
        )
        return {int(a): int(n) for a, n in rows}

    def attempt_count(self, account_id: int) -> int:
        """How many intents and results an account logged."""
        at = t.reset_attempts
        query = select(func.count()).where(at.c.account_id == account_id)
        return int(self._c.execute(query).scalar_one())

    def attempts(self, account_id: int) -> list[ResetAttempt]:
        """An account's log, oldest first."""
        at = t.reset_attempts
        rows = self._c.execute(
            select(*(at.c[k] for k in ResetAttempt.__dataclass_fields__))
            .where(at.c.account_id == account_id)
            .order_by(at.c.id)
        )
        return [ResetAttempt(**r) for r in rows.mappings()]

    def replace_passwords(self, incident_id: IncidentId, rows: Sequence[PasswordRow]) -> int:
        """Replace the incident's password assessment."""
        pa = t.password_assessments
        self._c.execute(delete(pa).where(pa.c.incident_id == incident_id))
        if rows:
            self._c.execute(insert(pa), [{"incident_id": incident_id, **asdict(r)} for r in rows])
        return len(rows)

    def passwords(self, incident_id: IncidentId) -> list[PasswordRow]:
        """The incident's assessed password values (locations and schemes only)."""
        pa = t.password_assessments
        cols = [pa.c[k] for k in PasswordRow.__dataclass_fields__]
        rows = self._c.execute(
            select(*cols).where(pa.c.incident_id == incident_id).order_by(pa.c.id)
        )
        return [PasswordRow(**r) for r in rows.mappings()]

    def record_index(self, source_id: int) -> dict[tuple[str | None, int], int]:
        """Leaked record ids of a source by (table, row)."""
        lr = t.leaked_records
        rows = self._c.execute(
            select(lr.c.table_name, lr.c.row_number, lr.c.id).where(lr.c.source_id == source_id)
        )
        return {(a, int(b)): int(c) for a, b, c in rows}

    def record_people(self, incident_id: IncidentId) -> dict[int, int]:
        """Person id of every linked leaked record of the incident."""
        pr, p = t.person_records, t.people
        rows = self._c.execute(
            select(pr.c.record_id, pr.c.person_id)
            .join(p, p.c.id == pr.c.person_id)
            .where(p.c.incident_id == incident_id)
        )
        return {int(a): int(b) for a, b in rows}

    def set_person_flag(self, incident_id: IncidentId, person_ids: Sequence[int], flag: str) -> int:
        """Add a manifest flag to people (the notify step reads flags); returns how many changed."""
        p = t.people
        wanted = set(person_ids)
        changed = 0
        rows = self._c.execute(
            select(p.c.id, p.c.flags).where(p.c.incident_id == incident_id)
        ).all()
        for pid, flags in rows:
            current = {f for f in str(flags).split(",") if f}
            target = current | {flag} if pid in wanted else current - {flag}
            if target != current:
                self._c.execute(
                    update(p).where(p.c.id == pid).values(flags=",".join(sorted(target)))
                )
                changed += 1
        return changed

    def add_codes(self, incident_id: IncidentId, codes: Sequence[tuple[str, str]]) -> int:
        """Import enrolment codes ``(code, keyed hash)``; codes already imported are skipped."""
        cc = t.credit_codes
        seen = set(
            self._c.execute(select(cc.c.code_hash).where(cc.c.incident_id == incident_id)).scalars()
        )
        fresh = []
        for code, digest in codes:
            if digest not in seen:
                seen.add(digest)
                fresh.append({"incident_id": incident_id, "code": code, "code_hash": digest})
        if fresh:
            self._c.execute(insert(cc), fresh)
        return len(fresh)

    def allocate_codes(
        self, incident_id: IncidentId, person_ids: Sequence[int], *, at: datetime
    ) -> int:
        """Give each listed person without a code the next free one; returns how many were given."""
        cc = t.credit_codes
        have = set(
            self._c.execute(
                select(cc.c.person_id).where(
                    cc.c.incident_id == incident_id, cc.c.person_id.is_not(None)
                )
            ).scalars()
        )
        wanted = [p for p in person_ids if p not in have]
        free = (
            self._c.execute(
                select(cc.c.id)
                .where(cc.c.incident_id == incident_id, cc.c.person_id.is_(None))
                .order_by(cc.c.id)
                .limit(len(wanted))
            )
            .scalars()
            .all()
        )
        for code_id, person in zip(free, wanted, strict=False):
            self._c.execute(
                update(cc).where(cc.c.id == code_id).values(person_id=person, allocated_at=at)
            )
        return min(len(free), len(wanted))

    def codes(self, incident_id: IncidentId) -> list[tuple[int | None, str]]:
        """Every code of the incident with the person holding it."""
        cc = t.credit_codes
        rows = self._c.execute(
            select(cc.c.person_id, cc.c.code)
            .where(cc.c.incident_id == incident_id)
            .order_by(cc.c.id)
        )
        return [(a, str(b)) for a, b in rows]

    def free_codes(self, incident_id: IncidentId) -> int:
        """Codes not yet allocated."""
        cc = t.credit_codes
        return int(
            self._c.execute(
                select(func.count()).where(
                    cc.c.incident_id == incident_id, cc.c.person_id.is_(None)
                )
            ).scalar_one()
        )
