"""Alembic environment: runs on the connection breachdesk passes in."""

from __future__ import annotations

from alembic import context

from breachdesk.adapters.sql.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `breachdesk init` (a connection is required)")
context.configure(
    connection=connection, target_metadata=metadata, render_as_batch=True, compare_type=True
)
with context.begin_transaction():
    context.run_migrations()
