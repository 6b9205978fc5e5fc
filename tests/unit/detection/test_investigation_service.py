"""The investigation service over the fakes: accesses tied to people both ways, apply, audit."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from detection_helpers import T0, web

from breachdesk.casefile.checklist import CHECKLIST
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.core.audit import AuditAction
from breachdesk.core.ids import EvidenceId, IncidentId
from breachdesk.services.investigation import InvestigationService
from breachdesk.services.people import key_function
from breachdesk.services.ports import PeopleWrite, PersonRow
from breachdesk.testing import FakeUnitOfWorkFactory, FixedClock
from breachdesk.timeline.store import LogFile


class Hasher:
    """HMAC-SHA-256 under a test key (the workspace cipher does the same with its own key)."""

    def keyed_hash(self, value: str, *, purpose: str) -> str:
        return hmac.new(b"k" * 32, f"{purpose}\0{value}".encode(), hashlib.sha256).hexdigest()


def _person(ref: str) -> PersonRow:
    return PersonRow(ref, True, None, "US", "US-CA", "master", "email", "", 1, False)


def _setup() -> tuple[FakeUnitOfWorkFactory, InvestigationService, IncidentId]:
    uow = FakeUnitOfWorkFactory()
    hasher = Hasher()
    clock = FixedClock(datetime(2026, 3, 2, tzinfo=UTC))
    by_key = "p-key"  # found through a lookup key (customer id hashed like the scan)
    by_ref = hasher.keyed_hash("customer:C2", purpose="person")  # the linking step's reference
    with uow() as tx:
        incident = tx.incidents.add(IncidentDraft("x", T0 + timedelta(days=1)), at=clock.now())
        tx.tasks.add_many(incident.id, CHECKLIST, discovered_at=incident.discovered_at)
        digest = key_function(hasher)("customer_id", "C1") or ""
        tx.people.replace(
            incident.id,
            PeopleWrite(
                [_person(by_key), _person(by_ref)], [], [], [(by_key, "customer_id", digest)], []
            ),
        )
        log = tx.logs.add_file(
            LogFile(
                0,
                incident.id,
                EvidenceId(1),
                "access.log",
                "0" * 64,
                "nginx",
                "{}",
                0,
                0,
                0,
                "[]",
                "a",
                clock.now(),
            )
        )
        tx.logs.add_events(
            incident.id,
            log.id,
            [
                web("/", ip="198.51.100.1", seconds=0),
                web("/q?id=1%27%20union%20select%201--", ip="203.0.113.5", seconds=10),
                web("/api/customers/C1", ip="203.0.113.5", seconds=20),
                web("/api/customers/C2", ip="203.0.113.5", seconds=30),
                web("/api/customers/C3", ip="203.0.113.5", status="404", seconds=40),
                web("/api/customers/C9", ip="203.0.113.5", seconds=50),
                web("/api/customers/C4", ip="198.51.100.1", seconds=60),
            ],
        )
        tx.commit()
    return uow, InvestigationService(uow, hasher, clock), incident.id


def test_accesses_join_people_by_lookup_key_and_by_person_reference() -> None:
    uow, service, incident = _setup()
    service.add_map(incident, "/api/customers/{customer_id}", actor="a")
    report = service.analyze(incident, actor="a", apply=True)
    assert report.attacker_ips == ("203.0.113.5",)
    assert report.window == (T0 + timedelta(seconds=10), T0 + timedelta(seconds=50))
    assert report.accessed_people == 2  # C1 and C2; C3 was refused (404), C4 is not the attacker
    assert report.accessed_unmatched == 1  # C9: nobody in the manifest
    with uow() as tx:
        assert len(tx.investigation.confirmed_people(incident)) == 2
        assert tx.incidents.get(incident).occurred_from == T0 + timedelta(seconds=10)
        actions = [e.action for e in tx.audit.entries(incident)]
        stored = tx.investigation.latest_analysis(incident)
        assert stored is not None
        assert {d.rule_id for d in tx.investigation.detections(stored.id)} >= {
            "1bfeb2da-e9d6-41eb-8aba-3bf889f53e88"
        }
    assert actions.count(AuditAction.RECORD_MAP_ADDED) == 1
    assert AuditAction.LOGS_ANALYZED in actions
    assert AuditAction.OCCURRENCE_SET in actions


def test_an_incident_without_events_has_nothing_to_conclude() -> None:
    uow = FakeUnitOfWorkFactory()
    clock = FixedClock(datetime(2026, 3, 2, tzinfo=UTC))
    with uow() as tx:
        incident = tx.incidents.add(IncidentDraft("empty", clock.now()), at=clock.now())
        tx.commit()
    stages: list[str] = []
    report = InvestigationService(uow, Hasher(), clock).analyze(
        incident.id, actor="a", apply=True, progress=stages.append
    )
    assert report.detections == ()
    assert report.window is None
    assert not report.applied
    assert len(stages) == 6
