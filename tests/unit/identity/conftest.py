"""Fixtures for identity tests."""

from __future__ import annotations

import pytest
from identity_helpers import make_master

from breachdesk.identity.master import CustomerMaster


@pytest.fixture
def master() -> CustomerMaster:
    """Three customers; Bo and Cy share a household phone."""
    return make_master(
        {
            "customer_id": ["A", "B", "C"],
            "email": ["ana@example.com", "bo@example.com", "cy@example.com"],
            "phone": ["+15550001", "+15550002", "+15550002"],
            "first_name": ["Ana", "Bo", "Cy"],
            "last_name": ["Lopez", "Berg", "Dee"],
            "date_of_birth": ["1990-01-01", "1980-02-02", "1970-03-03"],
            "postal_code": ["94110", "10001", "60601"],
            "country": ["US", "Sweden", "US"],
            "state": ["California", None, "IL"],
        }
    )
