"""Case file: incidents, response checklist, decisions, evidence and chain of custody."""
