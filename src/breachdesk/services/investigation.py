"""Investigation use cases: analyse an incident's logs, map record URLs, confirm accesses."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from breachdesk.core.audit import AuditAction, AuditDraft
from breachdesk.core.clock import Clock, iso
from breachdesk.core.ids import IncidentId
from breachdesk.identity.link import CUSTOMER_PREFIX
from breachdesk.services.casefile import record_incident_change
from breachdesk.services.investigation_ports import AccessRow, DetectionRow
from breachdesk.services.people import key_function, tick_task
from breachdesk.services.ports import KeyedHasher, UnitOfWork, UnitOfWorkFactory
from breachdesk.timeline.analytics import (
    Detection,
    Findings,
    Thresholds,
    analytics,
    conclude,
    from_match,
)
from breachdesk.timeline.recordmap import RecordMap, accessed_ids, parse_pattern

if TYPE_CHECKING:
    from breachdesk.timeline.sigma import RuleProblem

Progress = Callable[[str], None]
_OK = r"^(2\d\d|success)$"
STORED_EVENTS = 100_000  # event ids kept per detection; the count stays exact


def logs_subject(incident_id: int) -> str:
    """Audit subject of an incident's log analyses and record maps."""
    return f"logs:{incident_id}"


@dataclass(frozen=True, slots=True)
class AnalysisReport:
    """What one analysis found, ready to print."""

    analysis_id: int
    events: int
    rules: int
    problems: tuple[RuleProblem, ...]
    detections: tuple[Detection, ...]
    attacker_ips: tuple[str, ...]
    accounts: tuple[str, ...]
    window: tuple[datetime, datetime] | None
    evidence: tuple[int, ...]
    accessed_people: int
    accessed_unmatched: int
    maps: int
    applied: bool


def _summary(findings: Findings, accessed: int, unmatched: int) -> str:
    return json.dumps(
        {
            "attacker_ips": list(findings.attacker_ips),
            "accounts": list(findings.accounts),
            "window": [iso(t) for t in findings.window] if findings.window else None,
            "evidence": list(findings.evidence),
            "accessed_people": accessed,
            "accessed_unmatched": unmatched,
        },
        sort_keys=True,
    )


def _rows(detections: Sequence[Detection]) -> list[DetectionRow]:
    return [
        DetectionRow(
            d.rule_id,
            d.title,
            d.level,
            d.kind,
            d.count,
            d.first,
            d.last,
            ",".join(d.actors),
            d.event_ids[:STORED_EVENTS],
        )
        for d in detections
    ]


class InvestigationService:
    """Sigma rules and analytics over an incident's events; record accesses tied to people."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        hasher: KeyedHasher,
        clock: Clock,
        limits: Thresholds | None = None,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock
        self._limits = limits or Thresholds()

    def analyze(
        self,
        incident_id: IncidentId,
        *,
        rule_dirs: Sequence[Path] = (),
        actor: str,
        apply: bool = False,
        progress: Progress | None = None,
    ) -> AnalysisReport:
        """Detect, conclude and store; with ``apply``, also record the breach window on the
        incident (audited)."""
        step = progress or (lambda _stage: None)
        step("reading events")
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            frame = uow.logs.events_frame(incident_id)
            maps = [RecordMap(p, k) for p, k in uow.investigation.maps(incident_id)]
        step("loading rules")
        from breachdesk.timeline.sigma import evaluate, load_rules  # pySigma: on use only

        rules = load_rules(rule_dirs)
        step("evaluating rules")
        detections = [from_match(m, frame) for m in evaluate(frame, rules)]
        step("running analytics")
        detections += analytics(frame, self._limits)
        findings = conclude(frame, detections)
        step("mapping accessed records")
        accesses = self._accesses(incident_id, frame, findings, maps)
        step("storing results")
        return self._store(
            incident_id,
            frame.height,
            rules.rules,
            rules.problems,
            findings,
            accesses,
            len(maps),
            actor=actor,
            apply=apply,
        )

    def _store(
        self,
        incident_id: IncidentId,
        events: int,
        rules: Sequence[object],
        problems: Sequence[RuleProblem],
        findings: Findings,
        accesses: list[AccessRow],
        maps: int,
        *,
        actor: str,
        apply: bool,
    ) -> AnalysisReport:
        people = len({a.person_ref for a in accesses if a.person_ref})
        unmatched = sum(a.person_ref is None for a in accesses)
        with self._uow() as uow:
            now = self._clock.now()
            analysis_id = uow.investigation.add_analysis(
                incident_id,
                rules=len(rules),
                events=events,
                summary=_summary(findings, people, unmatched),
                actor=actor,
                at=now,
            )
            uow.investigation.add_detections(analysis_id, _rows(findings.detections))
            uow.investigation.replace_accesses(incident_id, accesses, at=now)
            uow.audit.append(
                AuditDraft(
                    at=now,
                    actor=actor,
                    action=AuditAction.LOGS_ANALYZED,
                    subject=logs_subject(incident_id),
                    incident_id=incident_id,
                    details={
                        "analysis": analysis_id,
                        "events": events,
                        "rules": len(rules),
                        "detections": len(findings.detections),
                        "attackers": len(findings.attacker_ips),
                        "accessed_people": people,
                        "accessed_unmatched": unmatched,
                    },
                )
            )
            applied = apply and findings.window is not None
            if apply and findings.window is not None:
                self._apply_window(
                    uow, incident_id, findings.window, findings.evidence, analysis_id, actor, now
                )
                # confirmed by a person: the window is found; with accesses, the scope too
                done = ["investigate.timeline"] + (["investigate.scope"] if people else [])
                for key in done:
                    tick_task(uow, incident_id, key, actor=actor, clock=self._clock)
            uow.commit()
        return AnalysisReport(
            analysis_id,
            events,
            len(rules),
            tuple(problems),
            findings.detections,
            findings.attacker_ips,
            findings.accounts,
            findings.window,
            findings.evidence,
            people,
            unmatched,
            maps,
            applied,
        )

    def _apply_window(
        self,
        uow: UnitOfWork,
        incident_id: IncidentId,
        window: tuple[datetime, datetime],
        evidence: Sequence[int],
        analysis_id: int,
        actor: str,
        now: datetime,
    ) -> None:
        start, end = window
        uow.incidents.set_occurrence(incident_id, start, end, at=now)
        record_incident_change(
            uow,
            incident_id,
            AuditAction.OCCURRENCE_SET,
            actor=actor,
            at=now,
            details={
                "occurred_from": iso(start),
                "occurred_to": iso(end),
                "analysis": analysis_id,
                "evidence": list(evidence),
            },
        )

    def add_map(
        self, incident_id: IncidentId, pattern: str, *, kind: str | None = None, actor: str
    ) -> RecordMap:
        """Record how URLs name records of one kind (audited); the next analysis uses it."""
        record_map = parse_pattern(pattern, kind)
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            now = self._clock.now()
            added = uow.investigation.add_map(
                incident_id, record_map.pattern, record_map.kind, actor=actor, at=now
            )
            if added:
                uow.audit.append(
                    AuditDraft(
                        at=now,
                        actor=actor,
                        action=AuditAction.RECORD_MAP_ADDED,
                        subject=logs_subject(incident_id),
                        incident_id=incident_id,
                        details={"pattern": record_map.pattern, "kind": record_map.kind},
                    )
                )
                uow.commit()
        return record_map

    def _accesses(
        self,
        incident_id: IncidentId,
        frame: pl.DataFrame,
        findings: Findings,
        maps: Sequence[RecordMap],
    ) -> list[AccessRow]:
        if not maps or not findings.attacker_ips:
            return []
        served = frame.filter(
            pl.col("src_ip").is_in(list(findings.attacker_ips))
            & pl.col("status").str.contains(_OK).fill_null(False)
        )
        found = accessed_ids(served, maps)
        key_of = key_function(self._hasher)
        keyed = [
            (kind, raw, key_of(kind, raw), n, first, last, ids)
            for kind, raw, n, first, last, ids in found.iter_rows()
        ]
        keyed = [k for k in keyed if k[2]]
        refs = self._people_of(incident_id, keyed)
        return [
            AccessRow(
                refs.get((kind, digest or "")), kind, digest or "", int(n), first, last, int(ids[0])
            )
            for kind, _raw, digest, n, first, last, ids in keyed
        ]

    def _people_of(
        self, incident_id: IncidentId, keyed: Sequence[tuple[object, ...]]
    ) -> dict[tuple[str, str], str]:
        """``(kind, keyed hash) -> person_ref`` through the people's lookup keys, and for
        customer ids also through the linking step's person reference."""
        out: dict[tuple[str, str], str] = {}
        with self._uow() as uow:
            for kind in sorted({str(k[0]) for k in keyed}):
                mine = [k for k in keyed if k[0] == kind]
                hashes = [str(k[2]) for k in mine]
                for digest, ref in uow.investigation.people_by_keys(
                    incident_id, kind, hashes
                ).items():
                    out[(kind, digest)] = ref
                if kind == "customer_id":
                    by_ref = {
                        self._hasher.keyed_hash(
                            CUSTOMER_PREFIX + str(k[1]).strip(), purpose="person"
                        ): str(k[2])
                        for k in mine
                    }
                    for ref in uow.investigation.known_people(incident_id, sorted(by_ref)):
                        out.setdefault((kind, by_ref[ref]), ref)
        return out
