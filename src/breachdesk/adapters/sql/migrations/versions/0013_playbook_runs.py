"""Playbook runs: which response steps a run of a playbook has done, so a rerun resumes.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from breachdesk.adapters.sql.types import UtcDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``playbook_runs`` and ``playbook_steps``."""
    op.create_table(
        "playbook_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("incident_id", sa.Integer()),
        sa.Column("started_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("finished_at", UtcDateTime()),
        sa.PrimaryKeyConstraint("id", name="pk_playbook_runs"),
        sa.UniqueConstraint("name", name="uq_playbook_runs_name"),
    )
    op.create_table(
        "playbook_steps",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(32), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("waiting_for", sa.Text()),
        sa.Column("due_at", UtcDateTime()),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("run_id", "step", name="pk_playbook_steps"),
    )


def downgrade() -> None:
    """Drop the playbook tables."""
    op.drop_table("playbook_steps")
    op.drop_table("playbook_runs")
