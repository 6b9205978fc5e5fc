"""What the incident report says, as frozen values: aggregates and masked references only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

#: Who reads the report; ``internal`` adds evidence custody details and tool names.
AUDIENCES = ("executive", "regulator", "internal")


@dataclass(frozen=True, slots=True)
class ObligationLine:
    """One notification obligation with its due and met times."""

    jurisdiction: str
    recipient: str
    people: int
    due_at: datetime | None
    met_at: datetime | None
    late: bool | None
    status: str = "applies"  # applies | review (counsel to decide) | ...


@dataclass(frozen=True, slots=True)
class FindingLine:
    """One finding of the security testing, with its fix when verified."""

    title: str
    severity: str
    status: str
    location: str
    root_cause: bool
    fixed_at: datetime | None


@dataclass(frozen=True, slots=True)
class DecisionLine:
    """A recorded decision with its rationale."""

    topic: str
    decision: str
    rationale: str
    author: str
    decided_at: datetime


@dataclass(frozen=True, slots=True)
class EvidenceLine:
    """A stored evidence item with its content hash."""

    name: str
    sha256: str
    size: int
    added_at: datetime


@dataclass(frozen=True, slots=True)
class TimelineLine:
    """A case event or a detection on the timeline."""

    time: datetime
    kind: str
    summary: str


@dataclass(frozen=True, slots=True)
class Detection:
    """A detection of the log analysis: rule title, level, events, span and source addresses."""

    title: str
    level: str
    events: int
    first_at: datetime
    last_at: datetime
    actors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class IncidentReport:
    """Everything the report shows; built by ``services.report``, rendered by this package."""

    incident_id: int
    title: str
    controller: str
    status: str
    summary: str
    discovered_at: datetime
    occurred_from: datetime | None
    occurred_to: datetime | None
    generated_at: datetime
    audience: str
    people: int
    records: int  # leaked records holding personal data, over every scanned source
    by_jurisdiction: tuple[tuple[str, int], ...]
    by_element: tuple[tuple[str, int], ...]
    elements_by_jurisdiction: tuple[tuple[str, tuple[str, ...]], ...]
    obligations: tuple[ObligationLine, ...]
    delivery: tuple[tuple[str, str, int], ...]  # channel, state, messages
    resets: tuple[tuple[str, int], ...]  # state, accounts
    detections: tuple[Detection, ...]
    findings: tuple[FindingLine, ...]
    decisions: tuple[DecisionLine, ...]
    evidence: tuple[EvidenceLine, ...]
    timeline: tuple[TimelineLine, ...]
    audit_head: tuple[int, str] | None

    @property
    def root_causes(self) -> tuple[FindingLine, ...]:
        """Findings marked as the breach's root cause."""
        return tuple(f for f in self.findings if f.root_cause)

    @property
    def attacker_ips(self) -> tuple[str, ...]:
        """Source addresses named by the detections, sorted."""
        return tuple(sorted({a for d in self.detections for a in d.actors}))

    @property
    def delivered(self) -> int:
        """Messages delivered on any channel."""
        return sum(n for _, state, n in self.delivery if state == "delivered")

    @property
    def messages(self) -> int:
        """Messages on any channel, whatever their state."""
        return sum(n for _, _, n in self.delivery)

    @property
    def resets_done(self) -> int:
        """Accounts whose reset was executed (forced by the store) or completed by the person."""
        return sum(n for state, n in self.resets if state in _RESET_DONE)

    @property
    def resets_total(self) -> int:
        """Accounts in the reset campaign."""
        return sum(n for _, n in self.resets)

    @property
    def late_obligations(self) -> tuple[ObligationLine, ...]:
        """Obligations met after their due time, or still unmet past it."""
        return tuple(
            o
            for o in self.obligations
            if o.late
            or (o.met_at is None and o.due_at is not None and o.due_at < self.generated_at)
        )


#: Reset states where the credential no longer works: forced by the store, or changed.
_RESET_DONE = frozenset({"flagged", "completed"})
