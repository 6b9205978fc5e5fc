"""Fixtures of the web tests: one populated SQLite workspace per module and a running app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from tests.web.web_support import Breach, make_client, populate

from breachdesk.config import Settings


@pytest.fixture(scope="module")
def breach(tmp_path_factory: pytest.TempPathFactory) -> Breach:
    """One populated SQLite workspace shared by a module's tests."""
    base = tmp_path_factory.mktemp("web")
    settings = Settings(home=base / "ws", actor="tester", key=None)
    return populate(settings, base)


@pytest.fixture(scope="module")
def client(breach: Breach) -> Iterator[TestClient]:
    """A running app without mail sending."""
    with make_client(breach, send_mail=False) as c:
        yield c


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    """Keep each phase's report on the item, so browser fixtures know when a test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
