"""Typed identifiers shared across features."""

from __future__ import annotations

from typing import NewType

IncidentId = NewType("IncidentId", int)
TaskId = NewType("TaskId", int)
DecisionId = NewType("DecisionId", int)
EvidenceId = NewType("EvidenceId", int)
CustodyId = NewType("CustodyId", int)
