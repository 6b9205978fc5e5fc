"""Audit use cases: verify the chain and the recorded states; export entries with the head."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from breachdesk.core.audit import (
    AuditAction,
    AuditDraft,
    AuditEntry,
    ChainProblem,
    verify_chain,
)
from breachdesk.core.clock import Clock, iso
from breachdesk.core.errors import InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.services.ports import UnitOfWorkFactory
from breachdesk.services.state import TOMBSTONE, current_states


@dataclass(frozen=True, slots=True)
class AuditReport:
    """What ``audit verify`` found."""

    entries: int
    head: tuple[int, str] | None
    problems: list[ChainProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the chain and every recorded state hold."""
        return not self.problems


def state_problems(
    latest: dict[str, tuple[int, str | None]], current: dict[str, str]
) -> list[ChainProblem]:
    """Compare each aggregate's state with the state its newest audit entry recorded."""
    problems: list[ChainProblem] = []
    for subject, state in sorted(current.items()):
        if subject in latest and latest[subject][1] == TOMBSTONE:
            problems.append(
                ChainProblem(latest[subject][0], f"{subject} was purged but exists again")
            )
        elif subject not in latest:
            problems.append(
                ChainProblem(
                    0,
                    f"{subject} exists but no audit entry records it (written outside breachdesk)",
                )
            )
        elif latest[subject][1] != state:
            problems.append(
                ChainProblem(
                    latest[subject][0],
                    f"{subject} no longer matches the "
                    "state this entry recorded (changed outside "
                    "breachdesk)",
                )
            )
    for subject, (seq, recorded) in sorted(latest.items()):
        if recorded is not None and recorded != TOMBSTONE and subject not in current:
            problems.append(
                ChainProblem(
                    seq, f"{subject} recorded by this entry is missing (deleted outside breachdesk)"
                )
            )
    return sorted(problems, key=lambda p: p.seq)


class AuditService:
    """Check and export the audit chain."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def verify(self) -> AuditReport:
        """Walk the whole chain, then check every aggregate against its last recorded state."""
        with self._uow() as uow:
            head = uow.audit.head()
            count, problems = verify_chain(uow.audit.entries(), head=head)
            problems += state_problems(uow.audit.latest_states(), current_states(uow))
        return AuditReport(count, head, problems)

    def entries(self, incident_id: IncidentId | None = None) -> list[AuditEntry]:
        """Entries in seq order, optionally only one incident's."""
        with self._uow() as uow:
            return list(uow.audit.entries(incident_id))

    def export(self, target: Path, *, actor: str, incident_id: IncidentId | None = None) -> int:
        """Write entries as JSON lines, then a final line with the chain head; return the count."""
        if target.exists():
            raise InvalidInputError(f"{target}: already exists; choose another --to")
        count = 0
        with self._uow() as uow:
            if incident_id is not None:
                uow.incidents.get(incident_id)
            head = uow.audit.head()
            try:
                with target.open("x", encoding="utf-8") as out:
                    for entry in uow.audit.entries(incident_id):
                        out.write(
                            json.dumps(
                                {
                                    **entry.payload(),
                                    "prev_hash": entry.prev_hash,
                                    "hash": entry.hash,
                                },
                                ensure_ascii=False,
                            )
                            + "\n"
                        )
                        count += 1
                    out.write(
                        json.dumps(
                            {
                                "head": {"seq": head[0], "hash": head[1]} if head else None,
                                "exported_at": iso(self._clock.now()),
                                "incident_id": incident_id,
                            }
                        )
                        + "\n"
                    )
            except OSError as exc:
                raise InvalidInputError(f"{target}: cannot write ({exc.strerror})") from None
            uow.audit.append(
                AuditDraft(
                    at=self._clock.now(),
                    actor=actor,
                    action=AuditAction.AUDIT_EXPORTED,
                    subject="audit",
                    incident_id=incident_id,
                    details={"entries": count, "to": str(target)},
                )
            )
            uow.commit()
        return count
