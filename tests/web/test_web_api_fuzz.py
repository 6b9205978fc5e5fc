"""schemathesis against /api/v1 on a real server (uvicorn on loopback): generated requests,
as a counsel and as an administrator, never meet a server error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from tests.web.web_support import Breach, served

from breachdesk.bootstrap import open_workspace
from breachdesk.services.user_ports import Role
from breachdesk.web import WebSettings, create_app

MAX_EXAMPLES = 12


@pytest.fixture(scope="module")
def server(breach: Breach) -> Iterator[str]:
    """The workspace app on a loopback port (no mail sending)."""
    app = create_app(lambda: open_workspace(breach.settings), WebSettings(send_mail=False))
    with served(app) as base:
        yield base


@pytest.fixture(scope="module")
def api_schema(server: str) -> Any:
    """The app's own OpenAPI document."""
    return schemathesis.openapi.from_url(f"{server}/api/v1/openapi.json")


def test_no_generated_request_meets_a_server_error(
    api_schema: Any, breach: Breach, server: str
) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case: Any) -> None:
            for role in (Role.COUNSEL, Role.ADMIN):
                headers = {"Authorization": f"Bearer {breach.tokens[role]}"}
                case.call_and_validate(
                    base_url=server, headers=headers, checks=[not_a_server_error]
                )

        check()


def test_the_openapi_document_lists_the_main_reads_and_writes(api_schema: Any, server: str) -> None:
    import httpx

    paths = httpx.get(f"{server}/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/incidents",
        "/api/v1/incidents/{iid}/obligations",
        "/api/v1/incidents/{iid}/notices/approve",
        "/api/v1/incidents/{iid}/people",
    ):
        assert path in paths  # fmt: skip
