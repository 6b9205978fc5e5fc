"""breachdesk: personal-data breach response, from evidence to notices, resets, fixes and report."""

__version__ = "0.1.0"
