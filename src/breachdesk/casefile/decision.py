"""Recorded judgements: immutable; a correction is a new decision pointing at the old one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from breachdesk.core.clock import iso
from breachdesk.core.errors import InvalidInputError
from breachdesk.core.ids import DecisionId, IncidentId


@dataclass(frozen=True, slots=True)
class DecisionDraft:
    """A judgement as the user states it."""

    topic: str
    decision: str
    rationale: str
    corrects: DecisionId | None = None

    def validated(self) -> DecisionDraft:
        """Return self, or raise naming the empty field."""
        for name in ("topic", "decision", "rationale"):
            if not getattr(self, name).strip():
                raise InvalidInputError(f"--{name}: must not be empty")
        return self


@dataclass(frozen=True, slots=True)
class Decision:
    """A decision as stored."""

    id: DecisionId
    incident_id: IncidentId
    topic: str
    decision: str
    rationale: str
    author: str
    decided_at: datetime
    corrects: DecisionId | None

    def state(self) -> dict[str, Any]:
        """Canonical state recorded in the audit chain."""
        return {
            "id": self.id,
            "incident_id": self.incident_id,
            "topic": self.topic,
            "decision": self.decision,
            "rationale": self.rationale,
            "author": self.author,
            "decided_at": iso(self.decided_at),
            "corrects": self.corrects,
        }
