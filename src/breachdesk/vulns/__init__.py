"""Vulnerabilities: scanner importers, built-in web checks, de-duplication, SLA and re-test."""
