"""Notification rules: a reviewed, cited rules pack per jurisdiction and a pure engine."""
