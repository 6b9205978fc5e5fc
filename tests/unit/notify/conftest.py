"""Fixtures of the notify tests."""

from __future__ import annotations

import pytest
from notify_samples import MakeContext, sample_context


@pytest.fixture
def make_context() -> MakeContext:
    """Build a sample context, overriding any field by keyword."""
    return sample_context
