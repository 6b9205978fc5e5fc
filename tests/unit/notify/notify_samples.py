"""Sample notice contexts for the notify tests."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from breachdesk.core.obligation import ContactInfo
from breachdesk.notify.context import NoticeContext

MakeContext = Callable[..., NoticeContext]


def sample_context(elements: Iterable[str] = ("ssn", "password_hash", "email"), **kw: Any):
    """A filled-in notice context for one fictional person."""
    values: dict[str, Any] = {
        "organisation": "Example Outfitters",
        "contact": ContactInfo(
            "Example Outfitters privacy team",
            email="privacy@outfitters.example",
            phone="1-800-555-0100",
        ),
        "incident_description": "An attacker copied a customer table from a test server.",
        "measures_taken": "We shut the server down, reset every password and hired auditors.",
        "notice_date": date(2026, 3, 20),
        "elements": frozenset(elements),
        "occurred_from": date(2026, 2, 1),
        "occurred_to": date(2026, 2, 14),
        "discovered_on": date(2026, 3, 1),
        "person_name": "Jane Roe",
        "person_address": "1 Main Street, Springfield",
    }
    values.update(kw)
    return NoticeContext(**values)
