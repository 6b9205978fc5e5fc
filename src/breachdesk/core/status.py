"""Closed vocabularies of case-file state."""

from __future__ import annotations

from enum import StrEnum


class CaseStatus(StrEnum):
    """Lifecycle of an incident."""

    OPEN = "open"
    INVESTIGATING = "investigating"
    CONTAINED = "contained"
    NOTIFYING = "notifying"
    REMEDIATING = "remediating"
    CLOSED = "closed"


class TaskStatus(StrEnum):
    """State of one checklist task."""

    OPEN = "open"
    DONE = "done"
