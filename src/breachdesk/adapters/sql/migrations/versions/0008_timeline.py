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


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}")


def _analysis_tables() -> None:
    op.create_table(
        "log_analyses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("rules", sa.Integer(), nullable=False),
        sa.Column("events", sa.BigInteger(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("analysed_by", sa.Text(), nullable=False),
        sa.Column("analysed_at", UtcDateTime(), nullable=False),
        _fk("log_analyses", "incident_id", "incidents"),
        sa.PrimaryKeyConstraint("id", name="pk_log_analyses"),
    )
    op.create_index("ix_log_analyses_incident_id", "log_analyses", ["incident_id"])
    op.create_table(
        "detections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("analysis_id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(128), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("events", sa.BigInteger(), nullable=False),
        sa.Column("first_at", UtcDateTime(), nullable=False),
        sa.Column("last_at", UtcDateTime(), nullable=False),
        sa.Column("actors", sa.Text(), nullable=False),
        _fk("detections", "analysis_id", "log_analyses"),
        sa.PrimaryKeyConstraint("id", name="pk_detections"),
    )
    op.create_index("ix_detections_analysis_id", "detections", ["analysis_id"])
    op.create_table(
        "detection_events",
        sa.Column("detection_id", sa.Integer(), nullable=False),
        sa.Column("event_id", _EVENT_ID, nullable=False),
        _fk("detection_events", "detection_id", "detections"),
    )
    op.create_index("ix_detection_events_detection_id", "detection_events", ["detection_id"])


def _access_tables() -> None:
    op.create_table(
        "record_maps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("pattern", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("added_by", sa.Text(), nullable=False),
        sa.Column("added_at", UtcDateTime(), nullable=False),
        _fk("record_maps", "incident_id", "incidents"),
        sa.PrimaryKeyConstraint("id", name="pk_record_maps"),
    )
    op.create_index("ix_record_maps_incident_id", "record_maps", ["incident_id"])
    op.create_table(
        "record_accesses",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("person_ref", sa.String(64)),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("keyed_hash", sa.String(64), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("first_at", UtcDateTime(), nullable=False),
        sa.Column("last_at", UtcDateTime(), nullable=False),
        sa.Column("event_id", _EVENT_ID, nullable=False),
        sa.Column("confirmed_at", UtcDateTime(), nullable=False),
        _fk("record_accesses", "incident_id", "incidents"),
    )
    op.create_index("ix_record_accesses_incident_id", "record_accesses", ["incident_id"])


def upgrade() -> None:
    """Create the investigation tables."""
    _log_tables()
    _analysis_tables()
    _access_tables()


def downgrade() -> None:
    """Drop the investigation tables."""
    for table in ("record_accesses", "record_maps", "detection_events", "detections"):
        op.drop_table(table)
    op.drop_table("log_analyses")
    op.drop_table("log_events")
    op.drop_table("log_files")
