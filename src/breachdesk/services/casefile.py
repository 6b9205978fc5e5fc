"""Incident, checklist and decision use cases."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from breachdesk.casefile.checklist import CHECKLIST, Task, children, find_task
from breachdesk.casefile.decision import Decision, DecisionDraft
from breachdesk.casefile.incident import Incident, IncidentDraft, is_reopen, transition
from breachdesk.core.audit import AuditAction, AuditDraft
from breachdesk.core.clock import Clock
from breachdesk.core.errors import InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.core.status import CaseStatus, TaskStatus
from breachdesk.services.ports import UnitOfWork, UnitOfWorkFactory
from breachdesk.services.state import (
    decision_state,
    decision_subject,
    incident_state,
    incident_subject,
)


@dataclass(frozen=True, slots=True)
class IncidentView:
    """An incident with its checklist and decisions, for display."""

    incident: Incident
    tasks: list[Task]
    decisions: list[Decision]
    evidence_count: int


def record_incident_change(
    uow: UnitOfWork,
    incident_id: IncidentId,
    action: AuditAction,
    *,
    actor: str,
    at: datetime,
    details: dict[str, Any],
) -> None:
    """Append an audit entry carrying the incident's new state, inside the caller's transaction."""
    uow.audit.append(
        AuditDraft(
            at=at,
            actor=actor,
            action=action,
            subject=incident_subject(incident_id),
            incident_id=incident_id,
            details=details,
            state_hash=incident_state(uow, incident_id),
        )
    )


class CaseService:
    """Open and move incidents, tick the checklist, record decisions."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def open_incident(self, draft: IncidentDraft, *, actor: str) -> Incident:
        """Create an incident with its response checklist."""
        draft = draft.validated()
        now = self._clock.now()
        with self._uow() as uow:
            incident = uow.incidents.add(draft, at=now)
            uow.tasks.add_many(incident.id, CHECKLIST, discovered_at=draft.discovered_at)
            record_incident_change(
                uow,
                incident.id,
                AuditAction.INCIDENT_OPENED,
                actor=actor,
                at=now,
                details={"status": incident.status.value},
            )
            uow.commit()
        return incident

    def list_incidents(self) -> list[Incident]:
        """Every incident, oldest first."""
        with self._uow() as uow:
            return uow.incidents.list()

    def show(self, incident_id: IncidentId) -> IncidentView:
        """An incident with its checklist, decisions and evidence count."""
        with self._uow() as uow:
            return IncidentView(
                uow.incidents.get(incident_id),
                uow.tasks.for_incident(incident_id),
                uow.decisions.for_incident(incident_id),
                len(uow.evidence.for_incident(incident_id)),
            )

    def change_status(self, incident_id: IncidentId, target: CaseStatus, *, actor: str) -> Incident:
        """Move an incident along its state machine; illegal moves write nothing."""
        with self._uow() as uow:
            current = uow.incidents.get(incident_id).status
            new = transition(current, target)
            now = self._clock.now()
            incident = uow.incidents.set_status(incident_id, new, at=now)
            action = (
                AuditAction.INCIDENT_REOPENED
                if is_reopen(current, new)
                else AuditAction.INCIDENT_STATUS_CHANGED
            )
            record_incident_change(
                uow,
                incident_id,
                action,
                actor=actor,
                at=now,
                details={"from": current.value, "to": new.value},
            )
            uow.commit()
        return incident

    def tasks(self, incident_id: IncidentId) -> list[Task]:
        """The incident's checklist in order."""
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            return uow.tasks.for_incident(incident_id)

    def complete_task(
        self, incident_id: IncidentId, ref: str, *, actor: str, note: str | None = None
    ) -> list[Task]:
        """Mark a task done; a stage closes itself when its last sub-task is done."""
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            tasks = uow.tasks.for_incident(incident_id)
            task = find_task(tasks, ref)
            if task.status is TaskStatus.DONE:
                raise InvalidInputError(f"task {task.key}: already done")
            pending = [c.key for c in children(tasks, task) if c.status is not TaskStatus.DONE]
            if pending:
                raise InvalidInputError(
                    f"task {task.key}: sub-tasks still open: " + ", ".join(pending)
                )
            now = self._clock.now()
            done = [
                replace(
                    task, status=TaskStatus.DONE, completed_at=now, completed_by=actor, note=note
                )
            ]
            parent = next((t for t in tasks if t.key == task.parent), None)
            if (
                parent is not None
                and parent.status is TaskStatus.OPEN
                and all(
                    c.status is TaskStatus.DONE or c.id == task.id for c in children(tasks, parent)
                )
            ):
                done.append(
                    replace(
                        parent,
                        status=TaskStatus.DONE,
                        completed_at=now,
                        completed_by=actor,
                        note="all sub-tasks done",
                    )
                )
            for changed in done:
                uow.tasks.update(changed)
            record_incident_change(
                uow,
                incident_id,
                AuditAction.TASK_COMPLETED,
                actor=actor,
                at=now,
                details={"tasks": [t.key for t in done]},
            )
            uow.commit()
        return done

    def assign_task(
        self,
        incident_id: IncidentId,
        ref: str,
        *,
        actor: str,
        assignee: str | None,
        due_at: datetime | None,
    ) -> Task:
        """Set a task's assignee and/or due time."""
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            task = find_task(uow.tasks.for_incident(incident_id), ref)
            changed = replace(
                task,
                assignee=assignee if assignee is not None else task.assignee,
                due_at=due_at if due_at is not None else task.due_at,
            )
            uow.tasks.update(changed)
            record_incident_change(
                uow,
                incident_id,
                AuditAction.TASK_ASSIGNED,
                actor=actor,
                at=self._clock.now(),
                details={
                    "task": task.key,
                    "assignee": changed.assignee,
                    "due_at": changed.due_at.isoformat() if changed.due_at else None,
                },
            )
            uow.commit()
        return changed

    def record_decision(
        self, incident_id: IncidentId, draft: DecisionDraft, *, actor: str
    ) -> Decision:
        """Write an immutable decision; a correction names the decision it corrects."""
        draft = draft.validated()
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            if draft.corrects is not None:
                old = uow.decisions.get(draft.corrects)
                if old.incident_id != incident_id:
                    raise InvalidInputError(
                        f"--corrects {draft.corrects}: that decision belongs "
                        f"to incident {old.incident_id}"
                    )
            now = self._clock.now()
            decision = uow.decisions.add(incident_id, draft, author=actor, at=now)
            uow.audit.append(
                AuditDraft(
                    at=now,
                    actor=actor,
                    action=AuditAction.DECISION_RECORDED,
                    subject=decision_subject(decision.id),
                    incident_id=incident_id,
                    details={"topic": decision.topic, "corrects": decision.corrects},
                    state_hash=decision_state(uow, decision.id),
                )
            )
            uow.commit()
        return decision

    def decisions(self, incident_id: IncidentId) -> list[Decision]:
        """The incident's decisions, oldest first."""
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            return uow.decisions.for_incident(incident_id)
