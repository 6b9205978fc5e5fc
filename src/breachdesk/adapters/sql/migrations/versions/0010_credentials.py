"""Credential resets: providers, reset accounts, tokens, attempts.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

from __future__ import annotations

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the tables of this feature (filled in as the feature lands)."""


def downgrade() -> None:
    """Drop the tables of this feature."""
