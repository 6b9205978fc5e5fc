"""The response checklist every incident starts with: six stages of breach response."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from breachdesk.core.clock import iso
from breachdesk.core.errors import InvalidInputError
from breachdesk.core.ids import IncidentId, TaskId
from breachdesk.core.status import TaskStatus


@dataclass(frozen=True, slots=True)
class TaskTemplate:
    """One checklist item; ``due_after`` counts from the incident's discovery time."""

    key: str
    title: str
    parent: str | None = None
    due_after: timedelta | None = None


def _stage(
    key: str, title: str, *subtasks: tuple[str, str, timedelta | None]
) -> tuple[TaskTemplate, ...]:
    head = TaskTemplate(key, title)
    return (head, *(TaskTemplate(f"{key}.{sub}", text, key, due) for sub, text, due in subtasks))


_H, _D = timedelta(hours=1), timedelta(days=1)

# Due offsets are planning targets; legal deadlines come from the obligations rules engine.
CHECKLIST: tuple[TaskTemplate, ...] = (
    *_stage(
        "notify",
        "Notify the affected people and the authorities on time",
        ("plan", "Decide who gets which notice, by which channel", 5 * _D),
        ("approve", "Have counsel approve the notice templates", 7 * _D),
        ("send", "Send the notices and keep proof of delivery", 30 * _D),
        ("media", "Decide on press release, website and substitute notice", 30 * _D),
    ),
    *_stage(
        "exposure",
        "Tell each person exactly what of theirs was exposed",
        ("discover", "Scan the leaked material for personal data", 2 * _D),
        ("link", "Link leaked records to real people", 3 * _D),
        ("manifest", "Review the per-person exposure manifest", 4 * _D),
    ),
    *_stage(
        "credentials",
        "Make affected people change their credentials",
        ("plan", "List the accounts whose secrets were exposed", 1 * _D),
        ("reset", "Force password resets and revoke sessions", 2 * _D),
        ("track", "Track completion and remind those who have not reset", 14 * _D),
    ),
    *_stage(
        "investigate",
        "Investigate how, why and when; contact the authorities",
        ("preserve", "Preserve evidence with chain of custody", 12 * _H),
        ("timeline", "Build the timeline from logs; find the breach window", 3 * _D),
        ("scope", "Establish the attacker and the records touched", 5 * _D),
        ("obligations", "Determine the legal obligations and their deadlines", 2 * _D),
        ("regulator", "Notify the supervisory authority where required", 72 * _H),
        ("law_enforcement", "Decide whether to involve law enforcement", 3 * _D),
    ),
    *_stage(
        "remediate",
        "Find and fix the vulnerabilities; tell customers it is fixed",
        ("findings", "Collect findings and identify the root cause", 5 * _D),
        ("fix", "Fix the root cause and the related findings", 14 * _D),
        ("retest", "Re-test and record the proof", 21 * _D),
        ("followup", "Tell customers and regulators it is fixed", 30 * _D),
    ),
    *_stage(
        "prevent",
        "Prevent a recurrence",
        ("pentest", "Run an authorised penetration test", 60 * _D),
        ("scanning", "Schedule repeatable scanning", 60 * _D),
        ("lessons", "Hold a lessons-learned review", 45 * _D),
    ),
)


@dataclass(frozen=True, slots=True)
class Task:
    """A checklist task as stored."""

    id: TaskId
    incident_id: IncidentId
    key: str
    title: str
    parent: str | None
    position: int
    status: TaskStatus
    assignee: str | None
    due_at: datetime | None
    completed_at: datetime | None
    completed_by: str | None
    note: str | None

    def state(self) -> dict[str, Any]:
        """Canonical state recorded (inside the incident's state) in the audit chain."""
        return {
            "id": self.id,
            "key": self.key,
            "title": self.title,
            "parent": self.parent,
            "position": self.position,
            "status": self.status.value,
            "assignee": self.assignee,
            "due_at": iso(self.due_at) if self.due_at else None,
            "completed_at": iso(self.completed_at) if self.completed_at else None,
            "completed_by": self.completed_by,
            "note": self.note,
        }


def find_task(tasks: list[Task], ref: str) -> Task:
    """Find a task by key (``notify.send``) or by id; raise naming the reference if absent."""
    for task in tasks:
        if task.key == ref or str(task.id) == ref:
            return task
    raise InvalidInputError(f"task {ref!r}: no such task in this incident (see `task list`)")


def children(tasks: list[Task], parent: Task) -> list[Task]:
    """The sub-tasks of ``parent``."""
    return [t for t in tasks if t.parent == parent.key]
