"""Security findings: scans, findings, occurrences, pentest schedules.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from breachdesk.adapters.sql.types import EncryptedText, UtcDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}")


def upgrade() -> None:
    """Create the finding scans, findings, occurrences and pentest schedules tables."""
    op.create_table(
        "finding_scans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("tool", sa.String(64), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("evidence_id", sa.Integer()),
        sa.Column("imported_at", UtcDateTime(), nullable=False),
        sa.Column("imported_by", sa.Text(), nullable=False),
        sa.Column("findings", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        _fk("finding_scans", "incident_id", "incidents"),
        _fk("finding_scans", "evidence_id", "evidence_items"),
        sa.PrimaryKeyConstraint("id", name="pk_finding_scans"),
    )
    op.create_index("ix_finding_scans_incident_id", "finding_scans", ["incident_id"])
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("tool", sa.String(64), nullable=False),
        sa.Column("rule_id", sa.Text(), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("cwe", sa.Text(), nullable=False),
        sa.Column("cve", sa.Text(), nullable=False),
        sa.Column("cvss_vector", sa.Text()),
        sa.Column("cvss_score", sa.Float()),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("evidence", EncryptedText("findings.evidence"), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("due_at", UtcDateTime()),
        sa.Column("first_seen_at", UtcDateTime(), nullable=False),
        sa.Column("opened_at", UtcDateTime(), nullable=False),
        sa.Column("last_seen_at", UtcDateTime(), nullable=False),
        sa.Column("first_scan_id", sa.Integer(), nullable=False),
        sa.Column("last_scan_id", sa.Integer(), nullable=False),
        sa.Column("fixed_by_scan_id", sa.Integer()),
        sa.Column("fixed_at", UtcDateTime()),
        sa.Column("recurring", sa.Boolean(), nullable=False),
        sa.Column("root_cause", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("accepted_until", UtcDateTime()),
        sa.Column("tools", sa.Text(), nullable=False),
        _fk("findings", "incident_id", "incidents"),
        _fk("findings", "first_scan_id", "finding_scans"),
        _fk("findings", "last_scan_id", "finding_scans"),
        _fk("findings", "fixed_by_scan_id", "finding_scans"),
        sa.PrimaryKeyConstraint("id", name="pk_findings"),
        sa.UniqueConstraint("incident_id", "fingerprint", name="uq_findings_incident_fingerprint"),
    )
    op.create_index("ix_findings_incident_id", "findings", ["incident_id"])
    op.create_table(
        "finding_occurrences",
        sa.Column("scan_id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("tool", sa.String(64), nullable=False),
        sa.Column("rule_id", sa.Text(), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        _fk("finding_occurrences", "scan_id", "finding_scans"),
        _fk("finding_occurrences", "finding_id", "findings"),
        sa.PrimaryKeyConstraint("scan_id", "finding_id", name="pk_finding_occurrences"),
    )
    op.create_index("ix_finding_occurrences_finding_id", "finding_occurrences", ["finding_id"])
    op.create_table(
        "pentest_schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("profile", sa.String(16), nullable=False),
        sa.Column("cron", sa.String(128), nullable=False),
        sa.Column("max_requests", sa.Integer(), nullable=False),
        sa.Column("rate", sa.Float(), nullable=False),
        sa.Column("ca_file", sa.Text()),
        sa.Column("network_tools", sa.Boolean(), nullable=False),
        sa.Column("authorised_by", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("next_run_at", UtcDateTime(), nullable=False),
        sa.Column("last_run_at", UtcDateTime()),
        sa.Column("last_scan_id", sa.Integer()),
        _fk("pentest_schedules", "incident_id", "incidents"),
        sa.PrimaryKeyConstraint("id", name="pk_pentest_schedules"),
    )
    op.create_index("ix_pentest_schedules_incident_id", "pentest_schedules", ["incident_id"])
    op.create_index("ix_pentest_schedules_next_run_at", "pentest_schedules", ["next_run_at"])


def downgrade() -> None:
    """Drop the findings tables."""
    op.drop_table("pentest_schedules")
    op.drop_table("finding_occurrences")
    op.drop_table("findings")
    op.drop_table("finding_scans")
