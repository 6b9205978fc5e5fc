"""Manual status changes of a finding: the pure rules behind ``findings set-status``."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from breachdesk.core.errors import InvalidInputError
from breachdesk.core.finding import FindingStatus, StoredFinding
from breachdesk.vulns.sla import SlaPolicy


def move(
    held: StoredFinding,
    target: FindingStatus,
    now: datetime,
    *,
    note: str | None,
    until: datetime | None,
    sla: SlaPolicy,
) -> StoredFinding:
    """The finding after a manual status change; refuses a change to the status it has."""
    if target is FindingStatus.REOPENED:
        target = FindingStatus.OPEN
    if target is FindingStatus.OPEN:
        if held.status.active:
            raise InvalidInputError(f"finding {held.id}: already {held.status.value}")
        reopened = held.status is FindingStatus.FIXED
        return replace(
            held,
            status=FindingStatus.REOPENED if reopened else FindingStatus.OPEN,
            note=note,
            accepted_until=None,
            fixed_by_scan_id=None,
            fixed_at=None,
            opened_at=now if reopened else held.opened_at,
            due_at=sla.due_at(held.finding.severity, now if reopened else held.opened_at),
        )
    if held.status is target:
        raise InvalidInputError(f"finding {held.id}: already {target.value}")
    return replace(
        held,
        status=target,
        note=note,
        accepted_until=until,
        fixed_by_scan_id=None,
        fixed_at=now if target is FindingStatus.FIXED else None,
    )
