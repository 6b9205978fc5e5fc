"""Recurring authorised web tests: ``pentest schedule`` stores one, ``pentest run-due`` runs them.

A schedule is created only with ``--authorized`` (audited as ``pentest.scheduled`` with who gave
it); each run it causes is audited as ``pentest.authorised`` naming the schedule. ``run-due``
claims a due schedule by moving its next run forward in a committed transaction before testing,
so two overlapping ``run-due`` processes (cron, a systemd timer) do not run it twice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from breachdesk.core.audit import AuditAction, AuditDraft
from breachdesk.core.clock import Clock
from breachdesk.core.errors import BreachdeskError
from breachdesk.core.ids import IncidentId
from breachdesk.services.pentest import (
    NotAuthorisedError,
    PentestOutcome,
    PentestRequest,
    PentestService,
)
from breachdesk.services.ports import PentestSchedule, UnitOfWorkFactory
from breachdesk.vulns.cron import parse_cron
from breachdesk.vulns.webcheck.engine import Progress
from breachdesk.vulns.webcheck.model import Origin, Profile


@dataclass(frozen=True, slots=True)
class DueRun:
    """One schedule run by ``run-due``: its outcome, or the error that stopped it."""

    schedule: PentestSchedule
    outcome: PentestOutcome | None
    error: str | None = None


def request_of(schedule: PentestSchedule) -> PentestRequest:
    """The authorised request a schedule repeats."""
    return PentestRequest(
        target=schedule.target,
        profile=Profile(schedule.profile),
        max_requests=schedule.max_requests,
        rate=schedule.rate,
        ca_file=Path(schedule.ca_file) if schedule.ca_file else None,
        network_tools=schedule.network_tools,
    )


class ScheduleService:
    """Store pentest schedules and run the due ones."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, pentest: PentestService) -> None:
        self._uow, self._clock, self._pentest = uow, clock, pentest

    def add(
        self,
        incident_id: IncidentId,
        request: PentestRequest,
        cron: str,
        *,
        actor: str,
        authorized: bool,
    ) -> PentestSchedule:
        """Validate, refuse without authorisation, store and audit a schedule."""
        request = request.validated()
        parsed = parse_cron(cron)
        if not authorized:
            raise NotAuthorisedError(
                f"refusing to schedule tests of {Origin.of(request.target).base}: confirm with "
                "--authorized that you are authorised to test it (recorded in the audit)"
            )
        now = self._clock.now()
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            stored = uow.schedules.add(
                PentestSchedule(
                    0,
                    incident_id,
                    request.target,
                    request.profile.value,
                    parsed.text,
                    request.max_requests,
                    request.rate,
                    str(request.ca_file) if request.ca_file else None,
                    request.network_tools,
                    actor,
                    now,
                    parsed.next_after(now),
                )
            )
            uow.audit.append(
                AuditDraft(
                    at=now,
                    actor=actor,
                    action=AuditAction.PENTEST_SCHEDULED,
                    subject=f"pentest:{incident_id}",
                    incident_id=incident_id,
                    details={
                        **request.details(),
                        "schedule": stored.id,
                        "cron": parsed.text,
                        "authorised_by": actor,
                        "next_run_at": stored.next_run_at.isoformat(),
                    },
                )
            )
            uow.commit()
        return stored

    def schedules(self, incident_id: IncidentId | None = None) -> list[PentestSchedule]:
        """Schedules of an incident, or every schedule."""
        with self._uow() as uow:
            return uow.schedules.for_incident(incident_id)

    def claim_due(self) -> list[PentestSchedule]:
        """Due schedules, each moved to its next run in one committed transaction."""
        now = self._clock.now()
        with self._uow() as uow:
            due = uow.schedules.due(now)
            claimed = []
            for schedule in due:
                moved = replace(
                    schedule,
                    next_run_at=parse_cron(schedule.cron).next_after(now),
                    last_run_at=now,
                )
                uow.schedules.update(moved)
                claimed.append(moved)
            uow.commit()
        return claimed

    def run_due(self, *, actor: str, on_progress: Progress | None = None) -> list[DueRun]:
        """Run every due schedule under its recorded authorisation; one failure stops only it."""
        runs = []
        for schedule in self.claim_due():
            try:
                outcome = self._pentest.run(
                    schedule.incident_id, request_of(schedule), actor=actor, authorized=True,
                    on_progress=on_progress,
                    basis={"schedule": schedule.id, "authorised_by": schedule.authorised_by},
                )  # fmt: skip
            except BreachdeskError as exc:
                runs.append(DueRun(schedule, None, exc.message))
                continue
            with self._uow() as uow:
                uow.schedules.update(replace(schedule, last_scan_id=outcome.imported.scan.id))
                uow.commit()
            runs.append(DueRun(schedule, outcome))
        return runs
