"""SQL store of playbook runs (``playbook_runs``, ``playbook_steps``); one transaction per call."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Engine, delete, insert, select, update

from breachdesk.adapters.sql import tables as t
from breachdesk.adapters.sql.repositories import SqlAuditLog
from breachdesk.core.audit import AuditAction, AuditDraft
from breachdesk.services.playbook import RunRecord, StepRecord, StepState


class SqlPlaybookRunStore:
    """Runs and steps in the workspace database."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def find(self, name: str) -> RunRecord | None:
        """The run of a playbook name, with its steps."""
        with self._engine.begin() as c:
            row = c.execute(select(t.playbook_runs).where(t.playbook_runs.c.name == name)).first()
            if row is None:
                return None
            steps = c.execute(
                select(t.playbook_steps).where(t.playbook_steps.c.run_id == row.id)
            ).all()
        return RunRecord(
            row.id, row.name, row.digest, row.incident_id, row.started_at, row.finished_at,
            tuple(
                StepRecord(s.step, cast(StepState, s.state), s.summary, s.at, s.waiting_for,
                           s.due_at)
                for s in steps
            ),
        )  # fmt: skip

    def create(self, name: str, digest: str, at: datetime) -> RunRecord:
        """A new run."""
        with self._engine.begin() as c:
            values = {"name": name, "digest": digest, "started_at": at, "updated_at": at}
            run_id = c.execute(insert(t.playbook_runs).values(**values)).inserted_primary_key
        return RunRecord(int(run_id[0]) if run_id else 0, name, digest, None, at, None)

    def set_incident(self, run_id: int, incident_id: int, at: datetime) -> None:
        """Attach the incident the run opened."""
        with self._engine.begin() as c:
            c.execute(
                update(t.playbook_runs)
                .where(t.playbook_runs.c.id == run_id)
                .values(incident_id=incident_id, updated_at=at)
            )

    def record(self, run_id: int, step: StepRecord, *, incident_id: int | None, actor: str) -> None:
        """Replace the step's outcome and audit it, in one transaction."""
        s = t.playbook_steps
        with self._engine.begin() as c:
            SqlAuditLog(c).append(
                AuditDraft(
                    at=step.at,
                    actor=actor,
                    action=AuditAction.PLAYBOOK_STEP,
                    subject=f"playbook_run:{run_id}",
                    incident_id=incident_id,
                    details={
                        "step": step.step,
                        "state": step.state,
                        "waiting_for": step.waiting_for,
                    },
                )
            )
            c.execute(delete(s).where(s.c.run_id == run_id, s.c.step == step.step))
            c.execute(
                insert(s).values(
                    run_id=run_id, step=step.step, state=step.state, summary=step.summary,
                    waiting_for=step.waiting_for, due_at=step.due_at, at=step.at,
                )
            )  # fmt: skip

    def finish(self, run_id: int, digest: str, at: datetime | None) -> None:
        """Record the playbook digest of the last run and whether it completed."""
        with self._engine.begin() as c:
            c.execute(
                update(t.playbook_runs)
                .where(t.playbook_runs.c.id == run_id)
                .values(digest=digest, finished_at=at, **({"updated_at": at} if at else {}))
            )
