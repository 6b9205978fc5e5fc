"""SQL implementations of the case-file repositories and the audit log."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, func, insert, select, update

from breachdesk.adapters.sql import tables as t
from breachdesk.casefile.checklist import Task, TaskTemplate
from breachdesk.casefile.decision import Decision, DecisionDraft
from breachdesk.casefile.evidence import CustodyAction, CustodyEntry, EvidenceItem
from breachdesk.casefile.incident import Incident, IncidentDraft
from breachdesk.core.audit import GENESIS_HASH, AuditDraft, AuditEntry, seal
from breachdesk.core.canonical import canonical_json
from breachdesk.core.errors import ConfigError, NotFoundError
from breachdesk.core.ids import CustodyId, DecisionId, EvidenceId, IncidentId, TaskId
from breachdesk.core.status import CaseStatus, TaskStatus


def _incident(row: RowMapping) -> Incident:
    return Incident(
        id=IncidentId(row["id"]),
        title=row["title"],
        controller=row["controller"],
        status=CaseStatus(row["status"]),
        discovered_at=row["discovered_at"],
        occurred_from=row["occurred_from"],
        occurred_to=row["occurred_to"],
        summary=row["summary"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class SqlIncidents:
    """Incidents table."""

    def __init__(self, conn: Connection) -> None:
        self._c = conn

    def add(self, draft: IncidentDraft, *, at: datetime) -> Incident:
        new_id = self._c.execute(
            insert(t.incidents)
            .values(
                title=draft.title,
                controller=draft.controller,
                status=CaseStatus.OPEN.value,
                discovered_at=draft.discovered_at,
                occurred_from=draft.occurred_from,
                occurred_to=draft.occurred_to,
                summary=draft.summary,
                created_at=at,
                updated_at=at,
            )
            .returning(t.incidents.c.id)
        ).scalar_one()
        return self.get(IncidentId(new_id))

    def get(self, incident_id: IncidentId) -> Incident:
        row = (
            self._c.execute(select(t.incidents).where(t.incidents.c.id == incident_id))
            .mappings()
            .first()
        )
        if row is None:
            raise NotFoundError(f"incident {incident_id}: no such incident (see `incident list`)")
        return _incident(row)

    def list(self) -> list[Incident]:
        rows = self._c.execute(select(t.incidents).order_by(t.incidents.c.id)).mappings()
        return [_incident(r) for r in rows]

    def set_status(self, incident_id: IncidentId, status: CaseStatus, *, at: datetime) -> Incident:
        self._c.execute(
            update(t.incidents)
            .where(t.incidents.c.id == incident_id)
            .values(status=status.value, updated_at=at)
        )
        return self.get(incident_id)

    def set_occurrence(
        self,
        incident_id: IncidentId,
        occurred_from: datetime,
        occurred_to: datetime,
        *,
        at: datetime,
    ) -> Incident:
        self._c.execute(
            update(t.incidents)
            .where(t.incidents.c.id == incident_id)
            .values(occurred_from=occurred_from, occurred_to=occurred_to, updated_at=at)
        )
        return self.get(incident_id)


def _task(row: RowMapping) -> Task:
    return Task(
        id=TaskId(row["id"]),
        incident_id=IncidentId(row["incident_id"]),
        key=row["key"],
        title=row["title"],
        parent=row["parent"],
        position=row["position"],
        status=TaskStatus(row["status"]),
        assignee=row["assignee"],
        due_at=row["due_at"],
        completed_at=row["completed_at"],
        completed_by=row["completed_by"],
        note=row["note"],
    )


class SqlTasks:
    """Checklist tasks table."""

    def __init__(self, conn: Connection) -> None:
        self._c = conn

    def add_many(
        self, incident_id: IncidentId, templates: Sequence[TaskTemplate], *, discovered_at: datetime
    ) -> list[Task]:
        self._c.execute(
            insert(t.tasks),
            [
                {
                    "incident_id": incident_id,
                    "key": tpl.key,
                    "title": tpl.title,
                    "parent": tpl.parent,
                    "position": pos,
                    "status": TaskStatus.OPEN.value,
                    "due_at": discovered_at + tpl.due_after if tpl.due_after else None,
                }
                for pos, tpl in enumerate(templates, start=1)
            ],
        )
        return self.for_incident(incident_id)

    def for_incident(self, incident_id: IncidentId) -> list[Task]:
        rows = self._c.execute(
            select(t.tasks).where(t.tasks.c.incident_id == incident_id).order_by(t.tasks.c.position)
        ).mappings()
        return [_task(r) for r in rows]

    def update(self, task: Task) -> None:
        self._c.execute(
            update(t.tasks)
            .where(t.tasks.c.id == task.id)
            .values(
                status=task.status.value,
                assignee=task.assignee,
                due_at=task.due_at,
                completed_at=task.completed_at,
                completed_by=task.completed_by,
                note=task.note,
            )
        )


def _decision(row: RowMapping) -> Decision:
    corrects = row["corrects"]
    return Decision(
        id=DecisionId(row["id"]),
        incident_id=IncidentId(row["incident_id"]),
        topic=row["topic"],
        decision=row["decision"],
        rationale=row["rationale"],
        author=row["author"],
        decided_at=row["decided_at"],
        corrects=DecisionId(corrects) if corrects is not None else None,
    )


class SqlDecisions:
    """Decisions table (insert-only)."""

    def __init__(self, conn: Connection) -> None:
        self._c = conn

    def add(
        self, incident_id: IncidentId, draft: DecisionDraft, *, author: str, at: datetime
    ) -> Decision:
        new_id = self._c.execute(
            insert(t.decisions)
            .values(
                incident_id=incident_id,
                topic=draft.topic,
                decision=draft.decision,
                rationale=draft.rationale,
                author=author,
                decided_at=at,
                corrects=draft.corrects,
            )
            .returning(t.decisions.c.id)
        ).scalar_one()
        return self.get(DecisionId(new_id))

    def get(self, decision_id: DecisionId) -> Decision:
        row = (
            self._c.execute(select(t.decisions).where(t.decisions.c.id == decision_id))
            .mappings()
            .first()
        )
        if row is None:
            raise NotFoundError(f"decision {decision_id}: no such decision")
        return _decision(row)

    def for_incident(self, incident_id: IncidentId | None) -> list[Decision]:
        query = select(t.decisions).order_by(t.decisions.c.id)
        if incident_id is not None:
            query = query.where(t.decisions.c.incident_id == incident_id)
        return [_decision(r) for r in self._c.execute(query).mappings()]


def _item(row: RowMapping) -> EvidenceItem:
    return EvidenceItem(
        id=EvidenceId(row["id"]),
        incident_id=IncidentId(row["incident_id"]),
        sha256=row["sha256"],
        size=row["size"],
        media_type=row["media_type"],
        original_name=row["original_name"],
        description=row["description"],
        added_by=row["added_by"],
        added_at=row["added_at"],
    )


# the blob key is read only to open the blob: listing items never decrypts it
_ITEM_COLUMNS = [c for c in t.evidence_items.c if c.name != "blob_key"]


def _key_text(key: bytes | None) -> str | None:
    return base64.urlsafe_b64encode(key).decode("ascii") if key is not None else None


class SqlEvidence:
    """Evidence items and custody entries."""

    def __init__(self, conn: Connection) -> None:
        self._c = conn

    def add(
        self,
        incident_id: IncidentId,
        *,
        sha256: str,
        size: int,
        media_type: str,
        original_name: str,
        description: str | None,
        added_by: str,
        at: datetime,
        blob_key: bytes | None = None,
    ) -> EvidenceItem:
        new_id = self._c.execute(
            insert(t.evidence_items)
            .values(
                incident_id=incident_id,
                sha256=sha256,
                size=size,
                media_type=media_type,
                original_name=original_name,
                description=description,
                added_by=added_by,
                added_at=at,
                blob_key=_key_text(blob_key),
            )
            .returning(t.evidence_items.c.id)
        ).scalar_one()
        return self.get(EvidenceId(new_id))

    def find(self, incident_id: IncidentId, sha256: str) -> EvidenceItem | None:
        row = (
            self._c.execute(
                select(*_ITEM_COLUMNS).where(
                    t.evidence_items.c.incident_id == incident_id,
                    t.evidence_items.c.sha256 == sha256,
                )
            )
            .mappings()
            .first()
        )
        return _item(row) if row is not None else None

    def get(self, evidence_id: EvidenceId) -> EvidenceItem:
        row = (
            self._c.execute(select(*_ITEM_COLUMNS).where(t.evidence_items.c.id == evidence_id))
            .mappings()
            .first()
        )
        if row is None:
            raise NotFoundError(f"evidence {evidence_id}: no such evidence item")
        return _item(row)

    def blob_key(self, evidence_id: EvidenceId) -> bytes | None:
        text = self._c.execute(
            select(t.evidence_items.c.blob_key).where(t.evidence_items.c.id == evidence_id)
        ).scalar()
        return base64.urlsafe_b64decode(text) if text else None

    def shared_blob_key(self, sha256: str) -> bytes | None:
        """The key another item sealed these bytes with (one row suffices: all hold the same)."""
        text = self._c.execute(
            select(t.evidence_items.c.blob_key)
            .where(t.evidence_items.c.sha256 == sha256, t.evidence_items.c.blob_key.is_not(None))
            .order_by(t.evidence_items.c.id)
            .limit(1)
        ).scalar()
        return base64.urlsafe_b64decode(text) if text else None

    def for_incident(self, incident_id: IncidentId | None) -> list[EvidenceItem]:
        query = select(*_ITEM_COLUMNS).order_by(t.evidence_items.c.id)
        if incident_id is not None:
            query = query.where(t.evidence_items.c.incident_id == incident_id)
        return [_item(r) for r in self._c.execute(query).mappings()]

    def add_custody(
        self,
        evidence_id: EvidenceId,
        *,
        action: CustodyAction,
        actor: str,
        at: datetime,
        detail: str | None,
    ) -> CustodyEntry:
        new_id = self._c.execute(
            insert(t.custody_entries)
            .values(
                evidence_id=evidence_id,
                at=at,
                actor=actor,
                action=action.value,
                detail=detail,
            )
            .returning(t.custody_entries.c.id)
        ).scalar_one()
        return CustodyEntry(CustodyId(new_id), evidence_id, at, actor, action, detail)

    def custody(self, evidence_id: EvidenceId) -> list[CustodyEntry]:
        rows = self._c.execute(
            select(t.custody_entries)
            .where(t.custody_entries.c.evidence_id == evidence_id)
            .order_by(t.custody_entries.c.id)
        ).mappings()
        return [
            CustodyEntry(
                CustodyId(r["id"]),
                EvidenceId(r["evidence_id"]),
                r["at"],
                r["actor"],
                CustodyAction(r["action"]),
                r["detail"],
            )
            for r in rows
        ]


def _entry(row: RowMapping) -> AuditEntry:
    details: dict[str, Any] = json.loads(row["details"])
    return AuditEntry(
        seq=row["seq"],
        at=row["at"],
        actor=row["actor"],
        action=row["action"],
        subject=row["subject"],
        incident_id=row["incident_id"],
        details=details,
        state_hash=row["state_hash"],
        prev_hash=row["prev_hash"],
        hash=row["hash"],
    )


class SqlAuditLog:
    """The audit chain; appends lock the head row, so concurrent writers form one chain."""

    def __init__(self, conn: Connection) -> None:
        self._c = conn

    def append(self, draft: AuditDraft) -> AuditEntry:
        head = self._c.execute(
            select(t.audit_head.c.seq, t.audit_head.c.hash)
            .where(t.audit_head.c.id == 1)
            .with_for_update()
        ).first()
        if head is None:
            raise ConfigError(
                "audit chain head is missing: the database was not initialised by `breachdesk init`"
            )
        entry = seal(draft, seq=head.seq + 1, prev_hash=head.hash)
        self._c.execute(
            insert(t.audit_entries).values(
                seq=entry.seq,
                at=entry.at,
                actor=entry.actor,
                action=entry.action,
                subject=entry.subject,
                incident_id=entry.incident_id,
                details=canonical_json(dict(entry.details)),
                state_hash=entry.state_hash,
                prev_hash=entry.prev_hash,
                hash=entry.hash,
            )
        )
        self._c.execute(
            update(t.audit_head)
            .where(t.audit_head.c.id == 1)
            .values(seq=entry.seq, hash=entry.hash)
        )
        return entry

    def entries(self, incident_id: IncidentId | None = None) -> Iterator[AuditEntry]:
        query = select(t.audit_entries).order_by(t.audit_entries.c.seq)
        if incident_id is not None:
            query = query.where(t.audit_entries.c.incident_id == incident_id)
        for row in self._c.execute(query.execution_options(yield_per=1000)).mappings():
            yield _entry(row)

    def head(self) -> tuple[int, str] | None:
        row = self._c.execute(
            select(t.audit_head.c.seq, t.audit_head.c.hash).where(t.audit_head.c.id == 1)
        ).first()
        if row is None or row.seq == 0:
            return None if row is None else (0, GENESIS_HASH)
        return int(row.seq), str(row.hash)

    def latest_states(self) -> dict[str, tuple[int, str | None]]:
        ae = t.audit_entries
        newest = (
            select(ae.c.subject, func.max(ae.c.seq).label("seq"))
            .where(ae.c.state_hash.is_not(None))
            .group_by(ae.c.subject)
            .subquery()
        )
        rows = self._c.execute(
            select(ae.c.subject, ae.c.seq, ae.c.state_hash).join(newest, ae.c.seq == newest.c.seq)
        )
        return {r.subject: (int(r.seq), r.state_hash) for r in rows}
