"""``breachdesk user`` and ``breachdesk serve`` as a person runs them."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
from tests.e2e.cli_runner import Cli
from tests.web.web_support import free_port


def _cli(tmp_path: Path) -> Cli:
    cli = Cli(tmp_path / "ws")
    cli("init")
    cli.env["BREACHDESK_USER_PASSWORD"] = "a password long enough"
    return cli


def test_users_are_added_listed_given_roles_and_tokens(tmp_path: Path) -> None:
    cli = _cli(tmp_path)
    assert "added with role counsel" in cli("user", "add", "carol", "--role", "counsel").stdout
    assert "exists" in cli("user", "add", "carol", "--role", "viewer", code=2).stderr
    assert "not one of" in cli("user", "add", "dave", "--role", "owner", code=2).stderr
    cli("user", "role", "carol", "viewer")
    listed = cli.json("user", "list")
    assert listed == [
        {"name": "carol", "role": "viewer", "locked_until": None, "disabled": False,
         "created_at": listed[0]["created_at"]}  # type: ignore[index]
    ]  # fmt: skip
    token = cli("user", "token", "carol").stdout.strip()
    assert token.startswith("bdk_")
    assert token not in (tmp_path / "ws" / "breachdesk.db").read_bytes().decode("latin-1")
    del cli.env["BREACHDESK_USER_PASSWORD"]
    assert (
        "BREACHDESK_USER_PASSWORD" in cli("user", "add", "erin", "--role", "admin", code=2).stderr
    )


def test_serve_refuses_a_public_bind_without_tls_and_serves_on_loopback(tmp_path: Path) -> None:
    cli = _cli(tmp_path)
    cli("user", "add", "amy", "--role", "admin")
    refused = cli("serve", "--host", "0.0.0.0", code=2)  # noqa: S104 - the refusal under test
    assert "without TLS" in refused.stderr
    port = free_port()
    token = cli("user", "token", "amy").stdout.strip()
    server = subprocess.Popen(
        [sys.executable, "-m", "breachdesk", "serve", "--port", str(port)],
        env=cli.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = httpx.get(
                    f"{base}/api/v1/whoami", headers={"Authorization": f"Bearer {token}"}
                )
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not start"
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                time.sleep(0.3)
        assert answer.json() == {"name": "amy", "role": "admin"}
        assert httpx.get(f"{base}/login").status_code == 200
        assert httpx.get(f"{base}/static/htmx.min.js").status_code == 200
    finally:
        server.terminate()
        server.wait(30)
