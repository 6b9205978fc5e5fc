"""In-memory fake of the reset repository (part of ``breachdesk.testing``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from breachdesk.core.errors import NotFoundError
from breachdesk.core.ids import IncidentId
from breachdesk.services.reset_ports import (
    PasswordRow,
    ResetAccount,
    ResetAttempt,
    StoredProvider,
)


class MemoryResets:
    """Reset campaigns kept in the fake database's ``resets`` mapping."""

    def __init__(self, store: dict[str, Any], people: dict[int, Any]) -> None:
        self.d = store
        self._people = people
        for key in ("providers", "accounts", "attempts", "passwords", "codes"):
            self.d.setdefault(key, {} if key in ("providers", "accounts") else [])

    def add_provider(self, provider: StoredProvider) -> None:
        self.d["providers"][provider.name] = provider

    def provider(self, name: str) -> StoredProvider | None:
        return self.d["providers"].get(name)  # type: ignore[no-any-return]

    def providers(self) -> list[StoredProvider]:
        return [p for _, p in sorted(self.d["providers"].items())]

    def add_account(self, account: ResetAccount, *, at: datetime) -> ResetAccount:
        new = replace(account, id=len(self.d["accounts"]) + 1)
        self.d["accounts"][new.id] = new
        return new

    def update_account(self, account: ResetAccount, *, at: datetime) -> None:
        self.d["accounts"][account.id] = account

    def accounts(self, incident_id: IncidentId) -> list[ResetAccount]:
        return [a for _, a in sorted(self.d["accounts"].items()) if a.incident_id == incident_id]

    def account(self, account_id: int) -> ResetAccount:
        if account_id not in self.d["accounts"]:
            raise NotFoundError(f"reset account {account_id} not found")
        return self.d["accounts"][account_id]  # type: ignore[no-any-return]

    def add_attempt(self, attempt: ResetAttempt) -> None:
        self.d["attempts"].append(attempt)

    def attempt_counts(self, incident_id: IncidentId) -> dict[int, int]:
        ids = {a.id for a in self.accounts(incident_id)}
        counts: dict[int, int] = {}
        for attempt in self.d["attempts"]:
            if attempt.account_id in ids:
                counts[attempt.account_id] = counts.get(attempt.account_id, 0) + 1
        return counts

    def attempt_count(self, account_id: int) -> int:
        return len(self.attempts(account_id))

    def attempts(self, account_id: int) -> list[ResetAttempt]:
        return [a for a in self.d["attempts"] if a.account_id == account_id]

    def replace_passwords(self, incident_id: IncidentId, rows: Sequence[PasswordRow]) -> int:
        kept = [(i, r) for i, r in self.d["passwords"] if i != incident_id]
        self.d["passwords"] = kept + [(incident_id, r) for r in rows]
        return len(rows)

    def passwords(self, incident_id: IncidentId) -> list[PasswordRow]:
        return [r for i, r in self.d["passwords"] if i == incident_id]

    def record_index(self, source_id: int) -> dict[tuple[str | None, int], int]:
        return {}  # the fake keeps no record ids

    def record_people(self, incident_id: IncidentId) -> dict[int, int]:
        return {}

    def set_person_flag(self, incident_id: IncidentId, person_ids: Sequence[int], flag: str) -> int:
        changed = 0
        for pid, person in list(self._people.items()):
            if person.incident_id != incident_id:
                continue
            flags = {f for f in person.row.flags.split(",") if f}
            target = flags | {flag} if pid in person_ids else flags - {flag}
            if target != flags:
                row = replace(person.row, flags=",".join(sorted(target)))
                self._people[pid] = replace(person, row=row)
                changed += 1
        return changed

    def add_codes(self, incident_id: IncidentId, codes: Sequence[tuple[str, str]]) -> int:
        known = {h for i, _, h, _ in self.d["codes"] if i == incident_id}
        fresh = []
        for code, digest in codes:
            if digest not in known:
                known.add(digest)
                fresh.append((incident_id, code, digest, None))
        self.d["codes"].extend(fresh)
        return len(fresh)

    def allocate_codes(
        self, incident_id: IncidentId, person_ids: Sequence[int], *, at: datetime
    ) -> int:
        rows = self.d["codes"]
        have = {p for i, _, _, p in rows if i == incident_id and p is not None}
        wanted = iter([p for p in person_ids if p not in have])
        given = 0
        for n, (i, code, h, p) in enumerate(rows):
            if i == incident_id and p is None:
                person = next(wanted, None)
                if person is None:
                    break
                rows[n] = (i, code, h, person)
                given += 1
        return given

    def codes(self, incident_id: IncidentId) -> list[tuple[int | None, str]]:
        return [(p, c) for i, c, _, p in self.d["codes"] if i == incident_id]

    def free_codes(self, incident_id: IncidentId) -> int:
        return sum(1 for i, _, _, p in self.d["codes"] if i == incident_id and p is None)
