"""Credential resets: provider protocol, password assessment, reset tokens and tracking."""
