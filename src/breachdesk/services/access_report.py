"""Who viewed or exported an incident's people, evidence and reports, and when (from the audit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from breachdesk.core.audit import AuditAction, AuditEntry
from breachdesk.core.ids import IncidentId
from breachdesk.services.ports import UnitOfWorkFactory

# Reads of one person's record; the subject or the details name the person.
PERSON_READS = frozenset({AuditAction.PERSON_VIEWED, AuditAction.PERSON_LOOKED_UP})
# Reads and exports that reach many people, evidence or reports at once.
BULK_READS = frozenset(
    {
        AuditAction.PEOPLE_LISTED,
        AuditAction.MANIFEST_EXPORTED,
        AuditAction.EVIDENCE_EXPORTED,
        AuditAction.NOTICES_PREVIEWED,
        AuditAction.NOTICES_LEDGER_EXPORTED,
        AuditAction.TIMELINE_EXPORTED,
        AuditAction.AUDIT_EXPORTED,
        AuditAction.RESETS_PREVIEWED,
        AuditAction.PORTAL_VIEWED,
        AuditAction.BUNDLE_EXPORTED,
        AuditAction.REPORT_WRITTEN,
        AuditAction.EXPORT_WRITTEN,
    }
)


@dataclass(frozen=True, slots=True)
class AccessEvent:
    """One read or export of personal data."""

    at: datetime
    actor: str
    action: str
    subject: str
    scope: str  # "person" (one record) or "bulk" (many at once)
    details: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "subject": self.subject,
            "scope": self.scope,
            "details": self.details,
        }


def _person_of(entry: AuditEntry) -> str | None:
    if entry.subject.startswith("person:"):
        return entry.subject.removeprefix("person:")
    person = entry.details.get("person")
    return None if person is None else str(person)


class AccessReportService:
    """Builds the access report of an incident from its audit entries."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    def report(self, incident_id: IncidentId, *, person: str | None = None) -> list[AccessEvent]:
        """Every read or export, oldest first; with ``person`` only what reached that person."""
        events: list[AccessEvent] = []
        with self._uow() as uow:
            uow.incidents.get(incident_id)  # raises NotFoundError
            for entry in uow.audit.entries(incident_id):
                try:
                    action = AuditAction(entry.action)
                except ValueError:  # an action of a newer version: not a known read
                    continue
                if action in PERSON_READS:
                    who = _person_of(entry)
                    if person is not None and who != person:
                        continue
                    scope = "person"
                elif action in BULK_READS:
                    scope = "bulk"
                else:
                    continue
                events.append(
                    AccessEvent(
                        entry.at,
                        entry.actor,
                        entry.action,
                        entry.subject,
                        scope,
                        dict(entry.details),
                    )
                )
        return events
