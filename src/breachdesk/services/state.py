"""Digests of each audited aggregate's current state, as the audit chain records them."""

from __future__ import annotations

from breachdesk.core.canonical import digest
from breachdesk.core.ids import DecisionId, EvidenceId, IncidentId
from breachdesk.services.ports import UnitOfWork

# The state a purge records for an aggregate it deleted: verify then expects it to be absent.
TOMBSTONE = "purged"


def incident_subject(incident_id: int) -> str:
    """Audit subject of an incident (with its checklist)."""
    return f"incident:{incident_id}"


def decision_subject(decision_id: int) -> str:
    """Audit subject of a decision."""
    return f"decision:{decision_id}"


def evidence_subject(evidence_id: int) -> str:
    """Audit subject of an evidence item (with its custody chain)."""
    return f"evidence:{evidence_id}"


def scan_subject(source_id: int) -> str:
    """Audit subject of a scanned source."""
    return f"scan:{source_id}"


def scan_state(uow: UnitOfWork, source_id: int) -> str:
    """Digest of a scanned source row and how many leaked records it holds."""
    source = uow.scans.get(source_id)
    return digest({"source": source.state(), "records": uow.scans.record_count(source_id)})


def people_subject(incident_id: int) -> str:
    """Audit subject of an incident's affected people (the exposure manifest)."""
    return f"people:{incident_id}"


def people_state(uow: UnitOfWork, incident_id: IncidentId) -> str:
    """Digest of every stored person of an incident."""
    return digest([p.state() for p in uow.people.for_incident(incident_id)])


def incident_state(uow: UnitOfWork, incident_id: IncidentId) -> str:
    """Digest of an incident row and its tasks."""
    incident = uow.incidents.get(incident_id)
    tasks = sorted(uow.tasks.for_incident(incident_id), key=lambda t: t.position)
    return digest({"incident": incident.state(), "tasks": [t.state() for t in tasks]})


def decision_state(uow: UnitOfWork, decision_id: DecisionId) -> str:
    """Digest of a decision row."""
    return digest(uow.decisions.get(decision_id).state())


def evidence_state(uow: UnitOfWork, evidence_id: EvidenceId) -> str:
    """Digest of an evidence row and its custody entries."""
    item = uow.evidence.get(evidence_id)
    return digest(item.state(uow.evidence.custody(evidence_id)))


def current_states(uow: UnitOfWork) -> dict[str, str]:
    """Digest of every audited aggregate now in the case file, by subject."""
    states: dict[str, str] = {}
    for incident in uow.incidents.list():
        states[incident_subject(incident.id)] = incident_state(uow, incident.id)
    for decision in uow.decisions.for_incident(None):
        states[decision_subject(decision.id)] = decision_state(uow, decision.id)
    for item in uow.evidence.for_incident(None):
        states[evidence_subject(item.id)] = evidence_state(uow, item.id)
    for incident_id in uow.people.linked_incidents():
        states[people_subject(incident_id)] = people_state(uow, incident_id)
    from breachdesk.services.obligations import obligations_state, obligations_subject

    for incident_id in uow.obligations.evaluated_incidents():
        states[obligations_subject(incident_id)] = obligations_state(uow, incident_id)
    from breachdesk.services.findings import findings_state, findings_subject

    for with_findings in uow.findings.incidents():
        states[findings_subject(with_findings)] = findings_state(uow, with_findings)
    from breachdesk.services.logs import log_file_state, log_subject

    for log_file in uow.logs.files(None):
        if log_file.completed_at is not None:  # a file is audited once, when it completes
            states[log_subject(log_file.id)] = log_file_state(uow, log_file.id)
    for source in uow.scans.for_incident(None):
        states[scan_subject(source.id)] = scan_state(uow, source.id)
    from breachdesk.services.resets import reset_state, reset_subject

    for incident in uow.incidents.list():
        if uow.resets.accounts(incident.id):
            states[reset_subject(incident.id)] = reset_state(uow, incident.id)
    return states
