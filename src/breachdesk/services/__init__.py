"""Use cases: one transaction per user action, with its audit entry inside it."""
