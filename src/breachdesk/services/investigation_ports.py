"""The investigation store port: analyses with their detections, record maps, confirmed accesses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from breachdesk.core.ids import IncidentId


@dataclass(frozen=True, slots=True)
class DetectionRow:
    """A stored detection: rule, level, how many events, when, from where."""

    rule_id: str
    title: str
    level: str
    kind: str  # sigma | analytic
    events: int
    first_at: datetime
    last_at: datetime
    actors: str  # comma-separated source addresses
    event_ids: tuple[int, ...] = field(default=(), repr=False)


@dataclass(frozen=True, slots=True)
class StoredAnalysis:
    """One ``logs analyze`` run; ``summary`` is canonical JSON of its conclusions."""

    id: int
    incident_id: IncidentId
    rules: int
    events: int
    summary: str
    analysed_by: str
    analysed_at: datetime


@dataclass(frozen=True, slots=True)
class AccessRow:
    """Requests by attackers that returned a record: whose (``person_ref``, None when no one in
    the manifest has the identifier), which identifier (keyed hash), how often, when."""

    person_ref: str | None
    kind: str
    keyed_hash: str
    requests: int
    first_at: datetime
    last_at: datetime
    event_id: int  # the first such request, as evidence


class InvestigationRepository(Protocol):
    """Analyses, detections, record maps and confirmed accesses per incident."""

    def add_analysis(
        self,
        incident_id: IncidentId,
        *,
        rules: int,
        events: int,
        summary: str,
        actor: str,
        at: datetime,
    ) -> int: ...
    def add_detections(self, analysis_id: int, rows: Sequence[DetectionRow]) -> None: ...
    def latest_analysis(self, incident_id: IncidentId) -> StoredAnalysis | None: ...
    def detections(self, analysis_id: int) -> list[DetectionRow]: ...
    def add_map(
        self, incident_id: IncidentId, pattern: str, kind: str, *, actor: str, at: datetime
    ) -> bool: ...
    def maps(self, incident_id: IncidentId) -> list[tuple[str, str]]: ...
    def replace_accesses(
        self, incident_id: IncidentId, rows: Sequence[AccessRow], *, at: datetime
    ) -> int: ...
    def accesses(self, incident_id: IncidentId) -> list[AccessRow]: ...
    def confirmed_people(self, incident_id: IncidentId) -> set[str]: ...
    def people_by_keys(
        self, incident_id: IncidentId, kind: str, hashes: Sequence[str]
    ) -> dict[str, str]:
        """``keyed hash -> person_ref`` for people of the incident holding one of ``hashes``."""
        ...

    def known_people(self, incident_id: IncidentId, refs: Sequence[str]) -> set[str]:
        """Which of ``refs`` are people of the incident."""
        ...
