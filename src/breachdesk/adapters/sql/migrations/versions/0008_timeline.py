"""Investigation: ingested log files, normalised events, detections, record maps.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from breachdesk.adapters.sql.types import UtcDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_EVENT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _log_tables() -> None:
    op.create_table(
        "log_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("parser", sa.String(64), nullable=False),
        sa.Column("options", sa.Text(), nullable=False),
        sa.Column("lines", sa.BigInteger(), nullable=False),
        sa.Column("events", sa.BigInteger(), nullable=False),
        sa.Column("skipped", sa.BigInteger(), nullable=False),
        sa.Column("skipped_sample", sa.Text(), nullable=False),
        sa.Column("ingested_by", sa.Text(), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=False),
        sa.Column("completed_at", UtcDateTime()),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name="fk_log_files_incident_id_incidents"
        ),
        sa.ForeignKeyConstraint(
            ["evidence_id"], ["evidence_items.id"], name="fk_log_files_evidence_id_evidence_items"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_log_files"),
        sa.UniqueConstraint("incident_id", "sha256", name="uq_log_files_incident_sha256"),
    )
    op.create_index("ix_log_files_incident_id", "log_files", ["incident_id"])
    op.create_table(
        "log_events",
        sa.Column("id", _EVENT_ID, nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.BigInteger(), nullable=False),
        sa.Column("time_us", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("host", sa.Text()),
        sa.Column("src_ip", sa.String(64)),
        sa.Column("user_name", sa.Text()),
        sa.Column("action", sa.Text()),
        sa.Column("target", sa.Text()),
        sa.Column("status", sa.String(64)),
        sa.Column("bytes", sa.BigInteger()),
        sa.Column("user_agent", sa.Text()),
        sa.Column("fields", sa.Text()),
        sa.ForeignKeyConstraint(
            ["file_id"], ["log_files.id"], name="fk_log_events_file_id_log_files"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_log_events"),
    )
    op.create_index("ix_log_events_incident_time", "log_events", ["incident_id", "time_us"])
    op.create_index("ix_log_events_incident_ip", "log_events", ["incident_id", "src_ip"])
    op.create_index("ix_log_events_incident_user", "log_events", ["incident_id", "user_name"])
    op.create_index("ix_log_events_file_line", "log_events", ["file_id", "line"])


def upgrade() -> None:
    """Create the investigation tables."""
    _log_tables()


def downgrade() -> None:
    """Drop the investigation tables."""
    op.drop_table("log_events")
    op.drop_table("log_files")
