"""Case file: incidents, checklist, decisions, evidence, custody, audit chain.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from breachdesk.adapters.sql.types import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def upgrade() -> None:
    """Create the case-file tables and the audit chain head."""
    op.create_table(
        "workspace_meta",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_workspace_meta"),
    )
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("controller", sa.Text()),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("discovered_at", UtcDateTime(), nullable=False),
        sa.Column("occurred_from", UtcDateTime()),
        sa.Column("occurred_to", UtcDateTime()),
        sa.Column("summary", sa.Text()),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_incidents"),
    )
    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("parent", sa.String(64)),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("assignee", sa.Text()),
        sa.Column("due_at", UtcDateTime()),
        sa.Column("completed_at", UtcDateTime()),
        sa.Column("completed_by", sa.Text()),
        sa.Column("note", sa.Text()),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name="fk_tasks_incident_id_incidents"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_tasks"),
        sa.UniqueConstraint("incident_id", "key", name="uq_tasks_incident_key"),
    )
    op.create_index("ix_tasks_incident_id", "tasks", ["incident_id"])
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("decided_at", UtcDateTime(), nullable=False),
        sa.Column("corrects", sa.Integer()),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name="fk_decisions_incident_id_incidents"
        ),
        sa.ForeignKeyConstraint(
            ["corrects"], ["decisions.id"], name="fk_decisions_corrects_decisions"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_decisions"),
    )
    op.create_index("ix_decisions_incident_id", "decisions", ["incident_id"])
    op.create_table(
        "evidence_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(255), nullable=False),
        sa.Column("original_name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("added_by", sa.Text(), nullable=False),
        sa.Column("added_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name="fk_evidence_items_incident_id_incidents"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_evidence_items"),
        sa.UniqueConstraint("incident_id", "sha256", name="uq_evidence_items_incident_sha256"),
    )
    op.create_index("ix_evidence_items_incident_id", "evidence_items", ["incident_id"])
    op.create_table(
        "custody_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text()),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence_items.id"],
            name="fk_custody_entries_evidence_id_evidence_items",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_custody_entries"),
    )
    op.create_index("ix_custody_entries_evidence_id", "custody_entries", ["evidence_id"])
    op.create_table(
        "audit_entries",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(128), nullable=False),
        sa.Column("incident_id", sa.Integer()),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("state_hash", sa.String(64)),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_entries"),
    )
    op.create_index("ix_audit_entries_subject", "audit_entries", ["subject"])
    op.create_index("ix_audit_entries_incident_id", "audit_entries", ["incident_id"])
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_head"),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS}])


def downgrade() -> None:
    """Drop everything this revision created."""
    for table in (
        "audit_head",
        "audit_entries",
        "custody_entries",
        "evidence_items",
        "decisions",
        "tasks",
        "incidents",
        "workspace_meta",
    ):
        op.drop_table(table)
